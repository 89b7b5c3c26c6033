package dev.p2pchat.bench;

import dev.p2pchat.bench.process.CpuPinning;
import dev.p2pchat.bench.process.JavaCommand;
import dev.p2pchat.bench.process.ProcStats;
import dev.p2pchat.bench.process.RegistryProcess;
import dev.p2pchat.bench.report.Environment;
import dev.p2pchat.bench.report.Json;
import dev.p2pchat.bench.report.Latency;
import dev.p2pchat.bench.report.LoadResult;
import dev.p2pchat.bench.report.TextTable;
import dev.p2pchat.peer.Peer;
import dev.p2pchat.peer.PeerConfig;
import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.peer.mesh.LinkRoute;
import dev.p2pchat.registry.RegistryConfig;
import dev.p2pchat.registry.RegistryServer;
import dev.p2pchat.registry.RelaySettings;
import dev.p2pchat.registry.service.Relays;
import dev.p2pchat.relay.RelayLimits;
import dev.p2pchat.relay.RendezvousTokens;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench path}: how long each rung of the ladder takes to open a link, and what a relayed link costs. Real
 * peers in this JVM, a registry in this JVM, and a relay in its own process ({@code p2pchat relay}, pinned to the
 * registry CPUs) that the registry hands out, all on loopback. A peer is made undialable before it logs in by
 * {@link Peer#stopListening} (its announced address refuses, as behind a NAT, and the registry's reachability
 * self-test lists it so), so the rungs are the ones a NAT forces: both dialable (direct), the recipient undialable (reversed: the registry asks it
 * to dial back), neither dialable (relayed). Each try is a new pair of users.
 */
@Command(name = "path", mixinStandardHelpOptions = true,
        description = "Link set-up time per rung (direct, reversed, relayed), one-to-one latency direct against "
                + "relayed, and the relay's CPU per MB relayed.")
public final class PathScenario implements Callable<Integer> {
    @Mixin
    RegistryOptions options;

    @Option(names = "--tries", defaultValue = "20", description = "New pairs per rung (default: ${DEFAULT-VALUE}).")
    int tries;

    @Option(names = "--messages", defaultValue = "300",
            description = "One-to-one messages timed one at a time on a direct and on a relayed link (default: ${DEFAULT-VALUE}).")
    int messages;

    @Option(names = "--relay-megabytes", defaultValue = "16",
            description = "MiB of 4 KiB messages sent at once over a relayed link for the relay's CPU figure (default: ${DEFAULT-VALUE}).")
    int relayMegabytes;

    private final LoadResult result = new LoadResult();
    private final List<Peer> peers = new ArrayList<>();

    /** The rungs measured, and how the pair is set up for each: which side announces a dead port. */
    private enum Rung {
        DIRECT(false, false, LinkRoute.Kind.DIRECT),
        REVERSED(false, true, LinkRoute.Kind.DIALLED_BACK),
        RELAYED(true, true, LinkRoute.Kind.RELAYED);

        final boolean askerUndialable;
        final boolean askedUndialable;
        final LinkRoute.Kind expected;

        Rung(boolean askerUndialable, boolean askedUndialable, LinkRoute.Kind expected) {
            this.askerUndialable = askerUndialable;
            this.askedUndialable = askedUndialable;
            this.expected = expected;
        }
    }

    /** One peer and the events it has seen. */
    private record Side(Peer peer, String name, BlockingQueue<PeerEvent> events) {
    }

    @Override
    public Integer call() throws Exception {
        Path work = options.workDir != null ? options.workDir : Files.createTempDirectory("p2pchat-bench-");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", "path");
        report.put("environment", Environment.capture());
        Map<String, Object> params = new LinkedHashMap<>();
        CpuPinning pinning = options.pinning();
        params.put("cpu_pinning", pinning.describe() + " (the relay process on the registry CPUs; registry and peers"
                + " in the bench JVM)");
        params.put("tries_per_rung", tries);
        params.put("messages", messages);
        params.put("relay_megabytes", relayMegabytes);
        params.put("relay_bytes_per_second_limit", "raised to 1 GiB/s per link for this run (default 256 KiB/s)");
        params.put("method", "set-up = requestChat() to the asked side's ChatRequested event, which travels on the new"
                + " link (dial, mutual TLS, LINK_HELLO, CHAT_REQUEST); a rung that opens another kind of link is"
                + " counted as an error; latency = sendDirect() to the Delivered receipt, one message at a time");
        report.put("parameters", params);
        pinning.pinThisProcessToClients();

        Path secret = work.resolve("relay.secret");
        Files.createDirectories(work);
        RendezvousTokens.loadOrCreateSecret(secret);
        Map<String, Object> ours = new LinkedHashMap<>();
        Process relay = null;
        RegistryServer registry = null;
        try {
            Path relayDir = work.resolve("relay");
            Files.createDirectories(relayDir);
            Path ready = relayDir.resolve("ready.json");
            boolean viaApp = JavaCommand.present(RegistryProcess.APP_MAIN);
            List<String> args = new ArrayList<>(viaApp ? List.of("relay") : List.of());
            args.addAll(List.of("--host", "127.0.0.1", "--port", "0", "--data-dir", relayDir.toString(),
                    "--secret-file", secret.toString(), "--ready-file", ready.toString(),
                    "--bytes-per-second", Long.toString(1L << 30), "--max-links-per-user", "64"));
            List<String> command = pinning.forRegistry(JavaCommand.of(List.of("-Xmx256m"),
                    viaApp ? RegistryProcess.APP_MAIN : dev.p2pchat.bench.process.RelayMain.class.getName(), args));
            relay = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(relayDir.resolve("relay.log").toFile())).start();
            Map<String, Object> relayReady = awaitReady(ready, relay);
            String endpoint = "127.0.0.1:" + ((Number) relayReady.get("port")).intValue() + "@"
                    + relayReady.get("fingerprint");
            params.put("relay", endpoint + " (pid " + relay.pid() + ")");
            registry = new RegistryServer(RegistryConfig.builder(work.resolve("registry")).host("127.0.0.1")
                    .tcpPort(0).udpPort(0).argon2(new dev.p2pchat.security.Argon2Params(1024, 1, 1))
                    .registrationLimit(100_000, Duration.ofMinutes(10))
                    .relays(new RelaySettings(false, 0, List.of(Relays.Endpoint.parse(endpoint)), secret,
                            RelayLimits.DEFAULTS))
                    .build(), Clock.systemUTC()).start();
            String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
            Map<String, Object> setUp = new LinkedHashMap<>();
            Map<Rung, Side[]> lastPair = new LinkedHashMap<>();
            for (Rung rung : Rung.values()) {
                int opened = 0;
                for (int i = 0; i < tries; i++) {
                    Side[] pair = pair(registry, work, runId + rung.ordinal() + "t" + i, rung);
                    if (openChat(pair, rung)) {
                        opened++;
                    }
                    if (i < tries - 1) {
                        closePair(pair);
                    } else {
                        lastPair.put(rung, pair);
                    }
                }
                Map<String, Object> r = new LinkedHashMap<>(Latency.of(result.latencies()
                        .getOrDefault("setup/" + rung.name(), new org.HdrHistogram.Histogram(LoadResult.MAX_TRACKED_NANOS, 3)))
                        .toMap());
                r.put("opened_as_expected", opened);
                setUp.put(rung.name().toLowerCase(java.util.Locale.ROOT), r);
            }
            ours.put("link_setup", setUp);
            for (Rung rung : List.of(Rung.DIRECT, Rung.RELAYED)) {
                latency(lastPair.get(rung), "latency/" + rung.name());
            }
            ours.put("receipt_round_trip_direct", Latency.of(result.latencies().get("latency/DIRECT")).toMap());
            ours.put("receipt_round_trip_relayed", Latency.of(result.latencies().get("latency/RELAYED")).toMap());
            ours.put("relay", relayCost(lastPair.get(Rung.RELAYED), relay.pid()));
        } finally {
            peers.parallelStream().forEach(Peer::close);
            if (registry != null) {
                registry.close();
            }
            if (relay != null) {
                relay.destroy();
                relay.waitFor(10, TimeUnit.SECONDS);
            }
        }
        ours.put("latency", Latency.all(result.latencies()));
        ours.put("errors", result.errors());
        ours.put("error_total", result.errorTotal());
        report.put("p2pchat", ours);
        ((Map<String, Object>) report.get("environment")).put("load_average_at_end", Environment.loadAverage());
        Reports.finish(report, options.json, table(ours));
        return result.errorTotal() == 0 ? 0 : 1;
    }

    private Side[] pair(RegistryServer registry, Path work, String id, Rung rung) throws PeerException {
        return new Side[] {side(registry, work, "b" + id + "a", rung.askerUndialable),
                side(registry, work, "b" + id + "b", rung.askedUndialable)};
    }

    private Side side(RegistryServer registry, Path work, String name, boolean undialable) throws PeerException {
        BlockingQueue<PeerEvent> events = new LinkedBlockingQueue<>();
        PeerConfig config = new PeerConfig("127.0.0.1", registry.tcpPort(), registry.fingerprint(),
                "127.0.0.1", 0, work.resolve("peers").resolve(name),
                Duration.ofSeconds(options.timeoutSeconds), Duration.ofMinutes(2), Duration.ofMillis(200),
                Duration.ofSeconds(5), 0, false);
        Peer peer = Peer.start(config, events::add);
        peers.add(peer);
        if (undialable) {
            peer.stopListening(); // before login, as behind a NAT: the registry's self-test finds it undialable
        }
        char[] password = ("bench-" + name).toCharArray();
        peer.register(name, password);
        peer.login(name, password);
        return new Side(peer, name, events);
    }

    /** Asks, times the request's arrival over the new link, accepts; true if the link is of the rung's kind. */
    private boolean openChat(Side[] pair, Rung rung) throws Exception {
        Side asker = pair[0];
        Side asked = pair[1];
        long t0 = System.nanoTime();
        asker.peer().requestChat(asked.name());
        PeerEvent.ChatRequested request = await(asked, PeerEvent.ChatRequested.class);
        long t1 = System.nanoTime();
        if (request == null) {
            result.error("setup/" + rung.name() + " no chat request arrived");
            return false;
        }
        asked.peer().acceptChat(asker.name());
        if (await(asker, PeerEvent.ChatAccepted.class) == null) {
            result.error("setup/" + rung.name() + " not accepted");
            return false;
        }
        LinkRoute.Kind kind = asker.peer().linkRoute(asked.name()).map(LinkRoute::kind).orElse(null);
        if (kind != rung.expected) {
            result.error("setup/" + rung.name() + " opened as " + kind);
            return false;
        }
        result.recordLatency("setup/" + rung.name(), t1 - t0);
        return true;
    }

    private void latency(Side[] pair, String key) throws Exception {
        Side from = pair[0];
        Map<String, CompletableFuture<Long>> receipts = new ConcurrentHashMap<>();
        Thread watcher = Thread.ofVirtual().start(() -> drainReceipts(from, receipts, null));
        try {
            for (int i = 0; i < messages + messages / 10; i++) {
                long t0 = System.nanoTime();
                String id = from.peer().sendDirect(pair[1].name(), "latency " + i);
                long at = receipts.computeIfAbsent(id, k -> new CompletableFuture<>())
                        .get(options.timeoutSeconds, TimeUnit.SECONDS);
                receipts.remove(id);
                if (at < 0) {
                    result.error(key + " not delivered");
                } else if (i >= messages / 10) { // the first tenth warms the path up
                    result.recordLatency(key, at - t0);
                }
                // 20 a second: under the peer server's per-link limit, so this is latency, not rate limiting.
                java.util.concurrent.locks.LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50));
            }
        } finally {
            watcher.interrupt();
            watcher.join();
        }
    }

    /** Bytes through the relay at once and the relay process's CPU for them. */
    private Map<String, Object> relayCost(Side[] pair, long relayPid) throws Exception {
        Side from = pair[0];
        int count = relayMegabytes * 256;
        String text = "x".repeat(4000);
        Map<String, CompletableFuture<Long>> receipts = new ConcurrentHashMap<>();
        AtomicInteger settled = new AtomicInteger();
        CompletableFuture<Long> all = new CompletableFuture<>();
        Thread watcher = Thread.ofVirtual().start(() -> drainReceipts(from, receipts, () -> {
            if (settled.incrementAndGet() == count) {
                all.complete(System.nanoTime());
            }
        }));
        long cpu0 = ProcStats.cpuMillis(relayPid);
        long t0 = System.nanoTime();
        try {
            for (int i = 0; i < count; i++) {
                from.peer().sendDirect(pair[1].name(), text);
            }
            long end = all.get(300, TimeUnit.SECONDS);
            long cpu1 = ProcStats.cpuMillis(relayPid);
            double mib = count * 4000.0 / (1 << 20);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("messages", count);
            m.put("payload_mib", mib);
            m.put("seconds", (end - t0) / 1e9);
            m.put("relay_cpu_ms", cpu1 - cpu0);
            m.put("relay_cpu_ms_per_payload_mib", (cpu1 - cpu0) / mib);
            m.put("payload_mib_per_second", mib / ((end - t0) / 1e9));
            m.put("method", "relay_cpu = /proc utime+stime of the relay process over the transfer; payload = message"
                    + " text only (the relay carries it inside TLS records with the protocol's headers, and the"
                    + " receipts back)");
            return m;
        } finally {
            watcher.interrupt();
            watcher.join();
        }
    }

    /** Completes each message's future with the time its receipt came (-1: failed); runs until interrupted. */
    private static void drainReceipts(Side side, Map<String, CompletableFuture<Long>> receipts, Runnable each) {
        try {
            while (true) {
                PeerEvent e = side.events().take();
                if (e instanceof PeerEvent.Delivered d) {
                    receipts.computeIfAbsent(d.id(), k -> new CompletableFuture<>()).complete(System.nanoTime());
                } else if (e instanceof PeerEvent.DeliveryFailed f) {
                    receipts.computeIfAbsent(f.id(), k -> new CompletableFuture<>()).complete(-1L);
                } else {
                    continue;
                }
                if (each != null) {
                    each.run();
                }
            }
        } catch (InterruptedException done) {
            Thread.currentThread().interrupt();
        }
    }

    private <T extends PeerEvent> T await(Side side, Class<T> type) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2L * options.timeoutSeconds);
        while (true) {
            PeerEvent e = side.events().poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (e == null) {
                return null;
            }
            if (type.isInstance(e)) {
                return type.cast(e);
            }
        }
    }

    /** Closes a pair that is done with: the relay's per-user link limit and the file limit stay clear. */
    private void closePair(Side[] pair) {
        for (Side s : pair) {
            peers.remove(s.peer());
            s.peer().close();
        }
    }

    private static Map<String, Object> awaitReady(Path ready, Process relay) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            if (Files.exists(ready)) {
                try {
                    return Json.parseObject(Files.readString(ready));
                } catch (RuntimeException partial) {
                    // written but not complete yet
                }
            }
            if (!relay.isAlive()) {
                throw new IOException("the relay exited with " + relay.exitValue() + " before it was ready");
            }
            Thread.sleep(20);
        }
        throw new IOException("the relay was not ready within 60 s");
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> ours) {
        StringBuilder out = new StringBuilder();
        TextTable t = new TextTable("bench path — link set-up per rung (ms, /chat to the request's arrival)",
                "rung", "opened", "p50", "p99", "max");
        Object setUp = ours.get("link_setup");
        if (setUp instanceof Map<?, ?> m) {
            m.forEach((rung, v) -> {
                Map<String, Object> r = (Map<String, Object>) v;
                t.row(rung, r.get("opened_as_expected"), r.get("p50_ms"), r.get("p99_ms"), r.get("max_ms"));
            });
        }
        out.append(t.render()).append('\n');
        TextTable l = new TextTable("one-to-one receipt round trip (ms)", "link", "count", "p50", "p99", "max");
        for (String k : List.of("direct", "relayed")) {
            if (ours.get("receipt_round_trip_" + k) instanceof Map<?, ?> r) {
                l.row(k, r.get("count"), r.get("p50_ms"), r.get("p99_ms"), r.get("max_ms"));
            }
        }
        out.append(l.render()).append('\n');
        if (ours.get("relay") instanceof Map<?, ?> r) {
            out.append(String.format(java.util.Locale.ROOT,
                    "relay: %.1f MiB of message text in %.1f s (%.1f MiB/s), relay CPU %d ms = %.1f ms per MiB%n",
                    (Double) r.get("payload_mib"), (Double) r.get("seconds"), (Double) r.get("payload_mib_per_second"),
                    (Long) r.get("relay_cpu_ms"), (Double) r.get("relay_cpu_ms_per_payload_mib")));
        }
        out.append("errors: ").append(ours.get("error_total")).append('\n');
        return out.toString();
    }
}
