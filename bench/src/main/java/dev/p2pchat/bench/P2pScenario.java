package dev.p2pchat.bench;

import dev.p2pchat.registry.DurationConverter;
import dev.p2pchat.bench.report.Environment;
import dev.p2pchat.bench.report.Latency;
import dev.p2pchat.bench.report.LoadResult;
import dev.p2pchat.peer.Peer;
import dev.p2pchat.peer.PeerConfig;
import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.registry.RegistryConfig;
import dev.p2pchat.registry.RegistryServer;
import java.time.Clock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench p2p}: real peers (the peer module's {@link Peer}, mutual TLS, outbox and receipts included) in
 * this process, on loopback. One-to-one: latency of each message to the other peer and back as a receipt, one
 * message at a time; then throughput with receipts, everything sent at once. Room: one sender and M members,
 * time until every member has a message and until the sender has every receipt. Send and receive times are
 * {@link System#nanoTime()} of the same JVM, so one-way figures need no clock sync.
 */
@Command(name = "p2p", mixinStandardHelpOptions = true,
        description = "Peer speed: one-to-one latency and throughput with receipts, and room fan-out to M members.")
public final class P2pScenario implements Callable<Integer> {
    @Mixin
    RegistryOptions options;

    @Option(names = "--messages", defaultValue = "2000", description = "One-to-one messages timed one at a time (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--latency-rate", defaultValue = "50",
            description = "Messages per second for the one-at-a-time latency run; stay under the peer server's per-link "
                    + "limit (100/s) so the figure is latency, not rate limiting (default: ${DEFAULT-VALUE}).")
    int latencyRate;

    @Option(names = "--throughput-messages", defaultValue = "5000",
            description = "One-to-one messages sent at once for the throughput figure (default: ${DEFAULT-VALUE}).")
    int throughputMessages;

    @Option(names = "--members", defaultValue = "50", description = "Room members besides the sender (default: ${DEFAULT-VALUE}).")
    int members;

    @Option(names = "--room-messages", defaultValue = "200", description = "Room messages timed (default: ${DEFAULT-VALUE}).")
    int roomMessages;

    @Option(names = "--warmup", defaultValue = "200", description = "Untimed one-to-one messages first; a tenth of it for the room (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--phase-limit", defaultValue = "120s", converter = DurationConverter.class,
            description = "Longest any one phase may run (default: ${DEFAULT-VALUE}).")
    Duration phaseLimit;

    private final LoadResult result = new LoadResult();

    /** Where the peers find the registry. */
    private record Target(String host, int port, String fingerprint) {
    }

    /** Routes a peer's events to whatever the current phase wants to see. */
    private static final class Handler {
        volatile Consumer<PeerEvent> consumer = e -> { };
    }

    @Override
    public Integer call() throws Exception {
        Path work = options.workDir != null ? options.workDir : java.nio.file.Files.createTempDirectory("p2pchat-bench-");
        if (options.argon2MemoryKib == null && options.argon2Iterations == null && options.registry == null) {
            // The registry is not what this scenario measures: cheap hashes keep 50 registrations quick.
            options.argon2MemoryKib = 1024;
            options.argon2Iterations = 1;
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", "p2p");
        report.put("environment", Environment.capture());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cpu_pinning", options.pinning().describe());
        params.put("messages", messages);
        params.put("throughput_messages", throughputMessages);
        params.put("members", members);
        params.put("room_messages", roomMessages);
        params.put("warmup", warmup);
        params.put("registry_args", options.registryCommandArgs(1));
        report.put("parameters", params);
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        Map<String, Object> ours = new LinkedHashMap<>();
        List<Peer> peers = new ArrayList<>();
        // The registry is not what this scenario measures, and its per-IP limit on new accounts (20) would refuse
        // 53 peers all on 127.0.0.1: it runs in this JVM with that limit raised (the only setting changed).
        RegistryServer inProcess = null;
        Target registry;
        if (options.registry != null) {
            int colon = options.registry.lastIndexOf(':');
            registry = new Target(options.registry.substring(0, colon),
                    Integer.parseInt(options.registry.substring(colon + 1)), options.registryFingerprint);
        } else {
            inProcess = new RegistryServer(RegistryConfig.builder(work.resolve("registry")).host("127.0.0.1")
                    .tcpPort(0).udpPort(0).argon2(RegistryUnderTest.argon2(options))
                    .registrationLimit(100_000, Duration.ofMinutes(10)).build(), Clock.systemUTC()).start();
            registry = new Target("127.0.0.1", inProcess.tcpPort(), inProcess.fingerprint());
            params.put("registry", "in this JVM, argon2 " + RegistryUnderTest.argon2(options)
                    + ", registrations per IP raised to 100,000 per 10 min");
        }
        try {
            directPhase(registry, work, runId, peers, ours);
            roomPhase(registry, work, runId, peers, ours);
        } finally {
            peers.parallelStream().forEach(Peer::close);
            if (inProcess != null) {
                inProcess.close();
            }
        }
        ours.put("latency", Latency.all(result.latencies()));
        ours.put("errors", result.errors());
        ours.put("error_total", result.errorTotal());
        report.put("p2pchat", ours);
        ((Map<String, Object>) report.get("environment")).put("load_average_at_end", Environment.loadAverage());
        Reports.finish(report, options.json, Reports.summaryTable("bench p2p", ours,
                "direct_messages_per_second_with_receipts", "direct_throughput_messages", "direct_throughput_seconds",
                "room_members", "room_messages_timed", "error_total"));
        return result.errorTotal() == 0 ? 0 : 1;
    }

    private Peer startPeer(Target registry, Path work, String name, Handler handler) throws PeerException {
        PeerConfig config = new PeerConfig(registry.host(), registry.port(), registry.fingerprint(), "127.0.0.1", 0,
                work.resolve("peers").resolve(name), Duration.ofSeconds(options.timeoutSeconds), Duration.ofMinutes(2));
        Peer peer = Peer.start(config, event -> handler.consumer.accept(event));
        char[] password = ("bench-" + name).toCharArray();
        peer.register(name, password);
        peer.login(name, password);
        return peer;
    }

    private void directPhase(Target registry, Path work, String runId, List<Peer> peers,
            Map<String, Object> ours) throws Exception {
        Handler aEvents = new Handler();
        Handler bEvents = new Handler();
        String a = "b" + runId + "a";
        String b = "b" + runId + "b";
        Peer alice = startPeer(registry, work, a, aEvents);
        peers.add(alice);
        Peer bob = startPeer(registry, work, b, bEvents);
        peers.add(bob);

        CompletableFuture<Void> accepted = new CompletableFuture<>();
        bEvents.consumer = e -> {
            if (e instanceof PeerEvent.ChatRequested r) {
                Thread.ofVirtual().start(() -> {
                    try {
                        bob.acceptChat(r.from());
                    } catch (PeerException ex) {
                        accepted.completeExceptionally(ex);
                    }
                });
            }
        };
        aEvents.consumer = e -> {
            if (e instanceof PeerEvent.ChatAccepted) {
                accepted.complete(null);
            }
        };
        alice.requestChat(b);
        accepted.get(phaseLimit.toMillis(), TimeUnit.MILLISECONDS);

        // One at a time: one-way latency (send -> DirectMessageReceived at b) and receipt round trip (send -> Delivered).
        Map<String, CompletableFuture<Long>> delivered = new ConcurrentHashMap<>();
        bEvents.consumer = e -> {
            if (e instanceof PeerEvent.DirectMessageReceived m) {
                long now = System.nanoTime();
                String[] f = m.text().split(" ");
                if (Integer.parseInt(f[0]) >= warmup) {
                    result.recordLatency("direct/ONE_WAY", now - Long.parseLong(f[1]));
                }
            }
        };
        aEvents.consumer = e -> {
            if (e instanceof PeerEvent.Delivered d) {
                delivered.computeIfAbsent(d.id(), k -> new CompletableFuture<>()).complete(System.nanoTime());
            } else if (e instanceof PeerEvent.DeliveryFailed f) {
                result.error("direct DeliveryFailed " + f.reason());
                delivered.computeIfAbsent(f.id(), k -> new CompletableFuture<>()).complete(-1L);
            }
        };
        long phaseEnd = System.nanoTime() + phaseLimit.toNanos();
        long spacing = 1_000_000_000L / Math.max(1, latencyRate);
        long due = System.nanoTime();
        for (int i = 0; i < warmup + messages && System.nanoTime() < phaseEnd; i++) {
            due += spacing;
            java.util.concurrent.locks.LockSupport.parkNanos(due - System.nanoTime());
            long t0 = System.nanoTime();
            String id = alice.sendDirect(b, i + " " + t0);
            long at = delivered.computeIfAbsent(id, k -> new CompletableFuture<>()).get(options.timeoutSeconds, TimeUnit.SECONDS);
            delivered.remove(id);
            if (i >= warmup && at > 0) {
                result.recordLatency("direct/RECEIPT_ROUND_TRIP", at - t0);
            }
        }

        // Throughput: all at once, until every receipt is back.
        AtomicInteger receipts = new AtomicInteger();
        CompletableFuture<Long> allReceipts = new CompletableFuture<>();
        aEvents.consumer = e -> {
            if (e instanceof PeerEvent.Delivered || e instanceof PeerEvent.DeliveryFailed) {
                if (e instanceof PeerEvent.DeliveryFailed f) {
                    result.error("throughput DeliveryFailed " + f.reason());
                }
                if (receipts.incrementAndGet() == throughputMessages) {
                    allReceipts.complete(System.nanoTime());
                }
            }
        };
        bEvents.consumer = e -> { };
        long start = System.nanoTime();
        for (int i = 0; i < throughputMessages; i++) {
            alice.sendDirect(b, "t" + i);
        }
        long sent = System.nanoTime();
        long end = allReceipts.get(phaseLimit.toMillis(), TimeUnit.MILLISECONDS);
        double seconds = (end - start) / 1e9;
        ours.put("direct_throughput_messages", throughputMessages);
        ours.put("direct_throughput_seconds", seconds);
        ours.put("direct_messages_per_second_with_receipts", throughputMessages / seconds);
        ours.put("direct_send_calls_seconds", (sent - start) / 1e9);
    }

    private void roomPhase(Target registry, Path work, String runId, List<Peer> peers,
            Map<String, Object> ours) throws Exception {
        String room = "b" + runId + "room";
        Handler senderEvents = new Handler();
        Peer sender = startPeer(registry, work, "b" + runId + "s", senderEvents);
        peers.add(sender);
        sender.createRoom(room, null, Math.max(2, members + 1), "bench fan-out");
        if (sender.currentRoom().isEmpty()) {
            sender.joinRoom(room, null);
        }
        Map<Integer, AtomicInteger> receivedBy = new ConcurrentHashMap<>();
        AtomicLong roomErrors = new AtomicLong();
        int roomWarmup = Math.max(1, warmup / 10);
        Consumer<PeerEvent> memberConsumer = e -> {
            if (e instanceof PeerEvent.RoomMessageReceived m) {
                long now = System.nanoTime();
                String[] f = m.text().split(" ");
                int seq = Integer.parseInt(f[0]);
                long t0 = Long.parseLong(f[1]);
                if (seq >= roomWarmup) {
                    result.recordLatency("room/MEMBER_RECEIVED", now - t0);
                    if (receivedBy.computeIfAbsent(seq, k -> new AtomicInteger()).incrementAndGet() == members) {
                        result.recordLatency("room/ALL_MEMBERS_RECEIVED", now - t0);
                    }
                }
            }
        };
        List<Peer> memberPeers = java.util.Collections.synchronizedList(new ArrayList<>());
        List<Throwable> startFailures = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.stream.IntStream.range(0, members).parallel().forEach(i -> {
            Handler h = new Handler();
            h.consumer = memberConsumer;
            try {
                Peer p = startPeer(registry, work, "b" + runId + "m" + i, h);
                memberPeers.add(p);
                p.joinRoom(room, null);
            } catch (PeerException | RuntimeException ex) {
                startFailures.add(ex);
            }
        });
        peers.addAll(memberPeers);
        if (!startFailures.isEmpty()) {
            throw new IllegalStateException(startFailures.size() + " members failed to start: " + startFailures.get(0));
        }
        long deadline = System.nanoTime() + phaseLimit.toNanos();
        while (sender.roomMembers().size() < members + 1) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("sender sees " + sender.roomMembers().size() + " of " + (members + 1) + " members");
            }
            Thread.sleep(20);
        }
        Map<String, CompletableFuture<PeerEvent.RoomDeliveryReport>> reports = new ConcurrentHashMap<>();
        senderEvents.consumer = e -> {
            if (e instanceof PeerEvent.RoomDeliveryReport r) {
                reports.computeIfAbsent(r.id(), k -> new CompletableFuture<>()).complete(r);
            }
        };
        long phaseEnd = System.nanoTime() + phaseLimit.toNanos();
        int timed = 0;
        for (int i = 0; i < roomWarmup + roomMessages && System.nanoTime() < phaseEnd; i++) {
            long t0 = System.nanoTime();
            String id = sender.sendToRoom(i + " " + t0);
            PeerEvent.RoomDeliveryReport r = reports.computeIfAbsent(id, k -> new CompletableFuture<>())
                    .get(options.timeoutSeconds * 2L, TimeUnit.SECONDS);
            long now = System.nanoTime();
            reports.remove(id);
            if (r.delivered() != members || r.members() != members) {
                result.error("room report " + r.delivered() + "/" + r.members() + " of " + members);
                roomErrors.incrementAndGet();
            }
            if (i >= roomWarmup) {
                result.recordLatency("room/ALL_RECEIPTS", now - t0);
                timed++;
            }
        }
        ours.put("room_members", members);
        ours.put("room_messages_timed", timed);
    }
}
