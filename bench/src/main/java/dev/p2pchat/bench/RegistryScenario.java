package dev.p2pchat.bench;

import dev.p2pchat.registry.DurationConverter;
import dev.p2pchat.bench.irc.IrcBaseline;
import dev.p2pchat.bench.irc.NgircdProcess;
import dev.p2pchat.bench.load.LoadSpec;
import dev.p2pchat.bench.load.Population;
import dev.p2pchat.bench.load.RegistryLoad;
import dev.p2pchat.bench.report.Argon2Cost;
import dev.p2pchat.bench.report.Environment;
import dev.p2pchat.bench.report.Latency;
import dev.p2pchat.bench.report.LoadResult;
import dev.p2pchat.bench.report.TextTable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench registry}: log in N sessions over TLS on a ramp, hold them with UDP keep-alives and an open-loop
 * request mix, and report what the registry did and what it cost; optionally the same against ngIRCd.
 */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Registry scale: N TLS sessions logged in on a ramp, held with keep-alives and a request mix.")
public final class RegistryScenario implements Callable<Integer> {
    @Mixin
    RegistryOptions options;

    @Option(names = "--sessions", defaultValue = "10000", description = "Sessions to log in and hold (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--ramp-rate", defaultValue = "200", description = "Logins per second during the ramp (default: ${DEFAULT-VALUE}).")
    double rampRate;

    @Option(names = "--rate", defaultValue = "5000", description = "Requests per second while holding (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--duration", defaultValue = "60s", converter = DurationConverter.class,
            description = "How long to hold the sessions under the request mix (default: ${DEFAULT-VALUE}).")
    Duration duration;

    @Option(names = "--warmup", defaultValue = "10s", converter = DurationConverter.class,
            description = "Untimed start of the hold at the same rate, so a cold JIT is not measured (default: ${DEFAULT-VALUE}).")
    Duration warmup;

    @Option(names = "--room-size", defaultValue = "50", description = "Sessions per room (default: ${DEFAULT-VALUE}).")
    int roomSize;

    @Option(names = "--keepalive-interval", converter = DurationConverter.class,
            description = "Keep-alive interval (default: the one the registry announces at login).")
    Duration keepAliveInterval;

    @Option(names = "--compare", paramLabel = "SERVER", description = "Also run the same workload against: ngircd.")
    String compare;

    @Option(names = "--nodes", defaultValue = "1",
            description = "Registry nodes to start as one cluster on --database, a client process each (default: ${DEFAULT-VALUE}).")
    int nodes;

    @Option(names = "--kill-node", description = "With --nodes: after the hold, SIGKILL the last node; its clients"
            + " resume at the others (each at one chosen at random) and the time they take is reported.")
    boolean killNode;

    @Option(names = "--database", paramLabel = "JDBC_URL",
            description = "PostgreSQL for a cluster of --nodes, e.g. jdbc:postgresql://127.0.0.1:5432/p2pchat?user=…")
    String database;

    @Override
    public Integer call() throws Exception {
        if (compare != null && !compare.equals("ngircd")) {
            System.err.println("--compare knows only ngircd");
            return 2;
        }
        if (nodes > 1 && (database == null || compare != null || options.registry != null)) {
            System.err.println("--nodes above 1 needs --database (PostgreSQL), and neither --compare nor --registry");
            return 2;
        }
        if (nodes > 1 && (sessions + nodes - 1) / nodes > options.maxSessionsPerProcess) {
            System.err.println("--nodes " + nodes + " puts more than --max-sessions-per-process on one client process");
            return 2;
        }
        Path work = options.workDir != null ? options.workDir : java.nio.file.Files.createTempDirectory("p2pchat-bench-");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", "registry");
        report.put("environment", Environment.capture());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cpu_pinning", options.pinning().describe());
        params.put("sessions", sessions);
        params.put("ramp_rate", rampRate);
        params.put("rate", rate);
        params.put("duration_s", duration.toMillis() / 1000.0);
        params.put("warmup_s", warmup.toMillis() / 1000.0);
        params.put("room_size", roomSize);
        params.put("nodes", nodes);
        params.put("request_mix", nodes > 1
                ? "SEARCH_USER 40% (half of them for a user on another node), DISCOVER_PEERS room 25%, SHOW_ROOMS_LIST 15%,"
                        + " ROOM_EXIT/JOIN_CHAT_ROOM 20%; rooms have members on every node"
                : "SEARCH_USER 40%, DISCOVER_PEERS room 25%, SHOW_ROOMS_LIST 15%, ROOM_EXIT/JOIN_CHAT_ROOM 20%");
        int rooms = Math.max(1, (sessions + roomSize - 1) / roomSize);
        params.put("registry_args", options.registryCommandArgs(rooms));
        params.put("registry_jvm_options", options.registryJvm(rooms));
        report.put("parameters", params);
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);

        System.err.println("bench registry: measuring Argon2id cost on this machine ...");
        var argon2 = RegistryUnderTest.argon2(options);
        Map<String, Object> argon2Cost = Argon2Cost.measure(argon2, argon2.memoryKiB() > 4096 ? 5 : 50);
        argon2Cost.put("source", options.argon2MemoryKib != null || options.argon2Iterations != null
                ? "--argon2-* flags passed to the registry" : "registry defaults (Argon2Params.DEFAULT)");
        report.put("argon2", argon2Cost);

        Map<String, Object> ours = new LinkedHashMap<>();
        try (RegistryUnderTest registry = nodes > 1 ? RegistryUnderTest.startCluster(options, work, rooms, nodes, database)
                : RegistryUnderTest.start(options, work, rooms)) {
            System.err.println("bench registry: registry at " + registry.host + ":" + registry.port
                    + (registry.measurable() ? " (pid " + registry.process().pid() + ", log " + registry.process().log() + ")" : ""));
            LoadSpec spec = new LoadSpec(registry.host, registry.port, registry.fingerprint, runId, 0, sessions, sessions,
                    rooms, rampRate, rate, warmup.toMillis(), duration.toMillis(), 0, 0, options.timeoutSeconds * 1000L);
            LoadResult setupResult = new LoadResult();
            try (RegistryLoad.Setup setup = RegistryLoad.createRooms(spec, setupResult)) {
                Duration interval = keepAliveInterval != null ? keepAliveInterval : setup.keepAliveInterval();
                spec = new LoadSpec(spec.host(), spec.port(), spec.fingerprint(), runId, 0, sessions, sessions, rooms,
                        rampRate, rate, warmup.toMillis(), duration.toMillis(), interval.toMillis(), setup.udpPort(), spec.timeoutMillis());
                params.put("rooms", rooms);
                params.put("keepalive_interval_ms", interval.toMillis());
                Map<String, long[]> histogramBefore = registry.classHistogram();
                Map<String, Object> base = registry.snapshot(true);
                ours.put("registry_before", base);
                int workers = nodes > 1 ? nodes : options.workersFor(sessions);
                ours.put("client_processes", workers);
                List<LoadSpec> atNodes = new java.util.ArrayList<>();
                for (RegistryUnderTest.Node node : registry.nodes()) {
                    atNodes.add(nodes > 1 ? spec.at(node.host(), node.tcpPort(), node.udpPort(), nodes) : spec);
                }
                try (Population population = new Population(atNodes, workers, options.workerJvmOptions, work, System.err)) {
                    long rampStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                    long cpu0 = registry.cpuMillis();
                    ours.put("ramp_started_at", java.time.Instant.now().toString());
                    final LoadSpec s = spec;
                    population.step("ramp", slice -> slice.login(rampStart),
                            Duration.ofSeconds((long) (sessions / rampRate) + 2L * options.timeoutSeconds + 60));
                    long rampEnd = System.nanoTime();
                    long cpu1 = registry.cpuMillis();
                    Map<String, Object> afterRamp = registry.snapshot(true);
                    long heldNow = population.progress().loggedIn();
                    ours.put("heap_growth_by_class_top", dev.p2pchat.bench.process.ProcStats.histogramGrowth(
                            histogramBefore, registry.classHistogram(), heldNow, 15));
                    ours.put("registry_after_ramp", afterRamp);
                    long held = population.progress().loggedIn();
                    long holdStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                    ours.put("hold_started_at", java.time.Instant.now().plusSeconds(1).toString());
                    ours.put("hold_measured_from", java.time.Instant.now().plusSeconds(1).plus(warmup).toString());
                    long cpu2 = registry.cpuMillis();
                    Map<String, Double> eventsBefore = registry.clusterEvents();
                    Double keepAlivesBefore = registry.keepAlivesReceived();
                    population.step("hold", slice -> slice.hold(holdStart),
                            duration.plus(warmup).plusSeconds(2L * options.timeoutSeconds + 60));
                    long cpu3 = registry.cpuMillis();
                    Map<String, Double> eventsAfter = registry.clusterEvents();
                    Double keepAlivesAfter = registry.keepAlivesReceived();
                    if (keepAlivesBefore != null && keepAlivesAfter != null) {
                        ours.put("keepalives_received_in_hold", (long) (keepAlivesAfter - keepAlivesBefore));
                    }
                    if (!eventsBefore.isEmpty() && !eventsAfter.isEmpty()) {
                        double seconds = (duration.toMillis() + warmup.toMillis()) / 1000.0;
                        Map<String, Object> events = new LinkedHashMap<>();
                        eventsAfter.forEach((kind, after) -> events.put(kind + "_per_second",
                                (after - eventsBefore.getOrDefault(kind, 0.0)) / seconds));
                        events.put("method", "p2pchat_registry_cluster_events_{sent,received} summed over the nodes'"
                                + " /metrics, before and after the hold (warm-up included), divided by its length");
                        ours.put("cluster_events", events);
                    }
                    ours.put("registry_after_hold", registry.snapshot(false));
                    long stillHeld = population.progress().loggedIn();
                    long killNanos = 0;
                    Map<String, Object> afterFailover = null;
                    if (killNode && nodes > 1) {
                        int victim = nodes - 1;
                        List<Integer> survivors = registry.nodes().subList(0, victim).stream()
                                .map(RegistryUnderTest.Node::tcpPort).toList();
                        Duration failoverLimit = Duration.ofSeconds(120 + 2L * options.timeoutSeconds);
                        long deadline = System.nanoTime() + failoverLimit.toNanos();
                        population.stepOn(List.of(victim), "arm", slice -> slice.watchForRestart(deadline, survivors),
                                Duration.ofSeconds(60));
                        System.err.println("bench registry: SIGKILL node " + victim + "; its sessions resume at the others");
                        killNanos = System.nanoTime();
                        registry.killNode(victim);
                        final long killed = killNanos;
                        population.stepOn(List.of(victim), "failover", slice -> slice.awaitResumed(killed, killed),
                                failoverLimit.plusSeconds(60));
                        afterFailover = registry.snapshot(false);
                    }
                    if (options.jfr != null) {
                        registry.dumpJfr(options.jfr);
                        ours.put("jfr", options.jfr.toAbsolutePath().toString());
                    }
                    LoadResult result = population.finish();
                    result.merge(setupResult);
                    if (killNanos != 0) {
                        Histogram resumed = result.latencies().getOrDefault("reconnect/RESUMED_AFTER_KILL",
                                new Histogram(LoadResult.MAX_TRACKED_NANOS, 3));
                        Map<String, Object> failover = new LinkedHashMap<>();
                        failover.put("sessions_on_killed_node", sessions - (long) sessions * (nodes - 1) / nodes);
                        failover.put("sessions_resumed_elsewhere", resumed.getTotalCount());
                        failover.put("kill_to_resumed", Latency.of(resumed).toMap());
                        failover.put("full_logins", result.counter("reconnect_full_logins"));
                        failover.put("sessions_connected_at_end", result.counter("sessions_connected_at_end"));
                        failover.put("survivors_after_failover", afterFailover);
                        failover.put("resumes_refused", result.counters().entrySet().stream()
                                .filter(e -> e.getKey().startsWith("reconnect_resume_refused_"))
                                .collect(java.util.stream.Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
                        failover.put("method", "the killed node's clients reconnect with the peers' back-off (100 ms"
                                + " doubling to 1 s) to another node chosen at random, as a peer given every node does,"
                                + " and RESUME there (another node after a failed attempt), at most "
                                + dev.p2pchat.bench.load.RegistryLoad.MAX_RECONNECTS_AT_ONCE
                                + " TLS connects at once per client process; a RESUME refused (resumes_refused,"
                                + " by code) falls back to a full login (full_logins)");
                        ours.put("failover", failover);
                    }
                    summarise(ours, result, held, stillHeld, rampStart, rampEnd, cpu0, cpu1, cpu2, cpu3, base, afterRamp,
                            argon2Cost, s);
                }
            }
        }
        report.put("p2pchat", ours);

        if (compare != null) {
            Optional<Path> ngircd = NgircdProcess.find();
            if (ngircd.isEmpty()) {
                System.err.println("bench registry: ngircd is not installed (apt-get install ngircd); running only our side.");
                report.put("ngircd", Map.of("skipped", "ngircd is not installed"));
            } else {
                System.err.println("bench registry: same workload against " + ngircd.get() + " ...");
                Duration interval = Duration.ofMillis(((Number) params.get("keepalive_interval_ms")).longValue());
                report.put("ngircd", IrcBaseline.run(ngircd.get(), work.resolve("ngircd"),
                        new IrcBaseline.Params(sessions, rooms, rampRate, rate, warmup.toMillis(), duration.toMillis(), interval,
                                Duration.ofSeconds(options.timeoutSeconds), runId + "i"), options.pinning(), System.err));
            }
        }
        ((Map<String, Object>) report.get("environment")).put("load_average_at_end", Environment.loadAverage());
        Reports.finish(report, options.json, table(report));
        return 0;
    }

    private void summarise(Map<String, Object> ours, LoadResult result, long held, long stillHeld, long rampStart,
            long rampEnd, long cpu0, long cpu1, long cpu2, long cpu3, Map<String, Object> base,
            Map<String, Object> afterRamp, Map<String, Object> argon2Cost, LoadSpec spec) {
        double rampSeconds = (rampEnd - rampStart) / 1e9;
        ours.put("sessions_held", held);
        ours.put("sessions_held_at_end", result.counter("sessions_still_connected_after_hold"));
        ours.put("ramp_seconds", rampSeconds);
        ours.put("logins_per_second", held / rampSeconds);
        Map<String, Histogram> latencies = result.latencies();
        long holdRequests = latencies.entrySet().stream().filter(e -> e.getKey().startsWith("hold/"))
                .mapToLong(e -> e.getValue().getTotalCount()).sum();
        ours.put("hold_requests", holdRequests);
        ours.put("hold_requests_per_second", holdRequests / (spec.durationMillis() / 1000.0));
        Histogram allHold = new Histogram(LoadResult.MAX_TRACKED_NANOS, 3);
        latencies.forEach((k, h) -> {
            if (k.startsWith("hold/")) {
                allHold.add(h);
            }
        });
        ours.put("hold_latency_all_types", Latency.of(allHold).toMap());
        ours.put("latency", Latency.all(latencies));
        ours.put("errors", result.errors());
        ours.put("error_total", result.errorTotal());
        ours.put("counters", result.counters());
        ours.put("registry_cpu_ms_ramp", cpu0 < 0 ? null : cpu1 - cpu0);
        ours.put("registry_cpu_ms_hold", cpu0 < 0 ? null : cpu3 - cpu2); // warm-up included
        if (cpu0 >= 0 && held > 0) {
            double cpuPerLogin = (cpu1 - cpu0) / (double) held;
            double argon2PerLogin = (Double) argon2Cost.get("hash_cpu_ms") + (Double) argon2Cost.get("verify_cpu_ms");
            ours.put("registry_cpu_ms_per_session_setup", cpuPerLogin);
            ours.put("argon2_cpu_ms_per_session_setup", argon2PerLogin);
            ours.put("argon2_share_of_setup_cpu", argon2PerLogin / cpuPerLogin);
            long warmupRequests = latencies.entrySet().stream().filter(e -> e.getKey().startsWith("warmup/"))
                    .mapToLong(e -> e.getValue().getTotalCount()).sum();
            ours.put("registry_cpu_ms_per_hold_request", holdRequests == 0 ? null
                    : (cpu3 - cpu2) / (double) (holdRequests + warmupRequests));
            // With no requests (--rate 0) the hold's CPU is the keep-alives' and the idle sessions': per keep-alive.
            if (holdRequests == 0 && warmupRequests == 0 && ours.get("keepalives_received_in_hold") instanceof Long k
                    && k > 0) {
                ours.put("registry_cpu_us_per_keepalive", (cpu3 - cpu2) * 1000.0 / k);
            }
        }
        if (base.containsKey("rss_bytes") && held > 0) {
            long rss = (Long) afterRamp.get("rss_bytes") - (Long) base.get("rss_bytes");
            long heap = (Long) afterRamp.get("heap_used_after_full_gc_bytes") - (Long) base.get("heap_used_after_full_gc_bytes");
            ours.put("rss_bytes_per_session", rss / (double) held);
            ours.put("heap_bytes_per_session_after_full_gc", heap / (double) held);
            ours.put("memory_method", "delta between a snapshot before the ramp and one after it, divided by sessions"
                    + " held: RSS = /proc/PID/status VmRSS; heap = used heap from `jcmd PID GC.heap_info` right after"
                    + " `jcmd PID GC.run` (a full GC), so only live objects count");
        }
        ours.put("argon2_method", "Argon2 CPU per session = one hash (REGISTER) + one verify (LOGIN) timed on one"
                + " thread in the bench JVM with the registry's PasswordHasher and the same parameters; share = that"
                + " divided by the registry's CPU time (/proc utime+stime) spent during the ramp per session logged in"
                + " (TLS handshake, HELLO_P2P, REGISTER, LOGIN, JOIN and keep-alives included)");
    }

    @SuppressWarnings("unchecked")
    private static String table(Map<String, Object> report) {
        Map<String, Object> ours = (Map<String, Object>) report.get("p2pchat");
        Map<String, Object> irc = report.get("ngircd") instanceof Map<?, ?> m && !m.containsKey("skipped")
                ? (Map<String, Object>) m : null;
        StringBuilder out = new StringBuilder();
        Map<?, ?> parameters = (Map<?, ?>) report.get("parameters");
        String title = "bench registry — " + parameters.get("sessions") + " sessions"
                + (((Number) parameters.get("nodes")).intValue() > 1 ? " on " + parameters.get("nodes") + " nodes" : "");
        TextTable t = irc != null ? new TextTable(title, "", "p2pchat", "ngircd", "ratio") : new TextTable(title, "", "p2pchat");
        row(t, "sessions held", ours, irc, "sessions_held");
        t.row("sessions still connected after the hold", ours.get("sessions_held_at_end"), null, null);
        row(t, "logins/s (ramp)", ours, irc, "logins_per_second");
        row(t, "requests/s (hold)", ours, irc, "hold_requests_per_second");
        Map<String, Object> ourHold = (Map<String, Object>) ours.get("hold_latency_all_types");
        Map<String, Object> ircHold = irc == null ? null
                : (Map<String, Object>) ((Map<String, Object>) irc.get("latency")).get("hold/WHOIS");
        for (String q : List.of("p50_ms", "p99_ms", "p999_ms", "max_ms")) {
            Object a = ourHold.get(q);
            Object b = ircHold == null ? null : ircHold.get(q);
            t.row("hold latency " + q + (irc != null ? " (all types / WHOIS)" : " (all types)"), a, b, ratio(a, b));
        }
        if (ours.get("cluster_events") instanceof Map<?, ?> events) {
            t.row("cluster events/s sent / received (all nodes)", String.format(java.util.Locale.ROOT, "%.0f / %.0f",
                    (Double) events.get("sent_per_second"), (Double) events.get("received_per_second")));
        }
        if (ours.get("failover") instanceof Map<?, ?> f) {
            Map<?, ?> k = (Map<?, ?>) f.get("kill_to_resumed");
            t.row("node killed: sessions resumed elsewhere", f.get("sessions_resumed_elsewhere") + " of "
                    + f.get("sessions_on_killed_node") + ", " + f.get("full_logins") + " full logins");
            t.row("node killed: kill to resumed p50 / max ms", k.get("p50_ms") + " / " + k.get("max_ms"));
            t.row("node killed: sessions connected at the end (all nodes)", String.valueOf(
                    f.get("sessions_connected_at_end")));
            if (f.get("survivors_after_failover") instanceof Map<?, ?> after) {
                t.row("node killed: survivors' open files", String.valueOf(after.get("open_files_per_node")));
            }
        }
        row(t, "RSS bytes/session", ours, irc, "rss_bytes_per_session");
        t.row("heap bytes/session (after full GC)", ours.get("heap_bytes_per_session_after_full_gc"),
                irc != null ? "n/a" : null, null);
        row(t, "server CPU ms (ramp)", ours, irc, "registry_cpu_ms_ramp", "cpu_ms_ramp");
        row(t, "server CPU ms (hold)", ours, irc, "registry_cpu_ms_hold", "cpu_ms_hold");
        if (ours.get("keepalives_received_in_hold") != null) {
            t.row("keep-alives received (hold)", ours.get("keepalives_received_in_hold"), null, null);
        }
        if (ours.get("registry_cpu_us_per_keepalive") != null) {
            t.row("registry CPU us per keep-alive (no requests)", ours.get("registry_cpu_us_per_keepalive"), null, null);
        }
        t.row("errors", ours.get("error_total"), irc == null ? null : sum((Map<String, Object>) irc.get("errors")), null);
        out.append(t.render()).append('\n');
        TextTable lat = new TextTable("p2pchat latency by message type (ms, open loop from the due time in hold)",
                "type", "count", "p50", "p99", "p99.9", "max");
        ((Map<String, Object>) ours.get("latency")).forEach((k, v) -> {
            Map<String, Object> l = (Map<String, Object>) v;
            lat.row(k, l.get("count"), l.get("p50_ms"), l.get("p99_ms"), l.get("p999_ms"), l.get("max_ms"));
        });
        if (irc != null) {
            ((Map<String, Object>) irc.get("latency")).forEach((k, v) -> {
                Map<String, Object> l = (Map<String, Object>) v;
                lat.row("ngircd " + k, l.get("count"), l.get("p50_ms"), l.get("p99_ms"), l.get("p999_ms"), l.get("max_ms"));
            });
        }
        out.append(lat.render()).append('\n');
        Map<String, Object> errors = (Map<String, Object>) ours.get("errors");
        if (!errors.isEmpty()) {
            TextTable e = new TextTable("p2pchat errors", "kind", "count");
            errors.forEach((k, v) -> e.row(k, v));
            out.append(e.render()).append('\n');
        }
        Object share = ours.get("argon2_share_of_setup_cpu");
        if (share != null) {
            out.append(String.format(java.util.Locale.ROOT,
                    "Argon2id %s: %.1f ms CPU per new session (hash + verify) of %.1f ms registry CPU per session set-up"
                            + " (%.0f%%)%n", argon2Label(report), (Double) ours.get("argon2_cpu_ms_per_session_setup"),
                    (Double) ours.get("registry_cpu_ms_per_session_setup"), 100 * (Double) share));
        }
        return out.toString();
    }

    @SuppressWarnings("unchecked")
    private static String argon2Label(Map<String, Object> report) {
        Map<String, Object> a = (Map<String, Object>) report.get("argon2");
        return "m=" + a.get("memory_kib") + " KiB, t=" + a.get("iterations") + ", p=" + a.get("parallelism");
    }

    private static long sum(Map<String, Object> m) {
        return m.values().stream().mapToLong(v -> ((Number) v).longValue()).sum();
    }

    private static void row(TextTable t, String label, Map<String, Object> ours, Map<String, Object> irc, String key) {
        row(t, label, ours, irc, key, key);
    }

    private static void row(TextTable t, String label, Map<String, Object> ours, Map<String, Object> irc, String key,
            String ircKey) {
        Object a = ours.get(key);
        Object b = irc == null ? null : irc.get(ircKey);
        t.row(label, a, b, ratio(a, b));
    }

    static String ratio(Object a, Object b) {
        if (!(a instanceof Number x) || !(b instanceof Number y) || y.doubleValue() == 0) {
            return null;
        }
        return String.format(java.util.Locale.ROOT, "%.2fx", x.doubleValue() / y.doubleValue());
    }
}
