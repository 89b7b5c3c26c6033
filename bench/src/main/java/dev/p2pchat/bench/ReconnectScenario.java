package dev.p2pchat.bench;

import dev.p2pchat.registry.DurationConverter;
import dev.p2pchat.bench.load.LoadSpec;
import dev.p2pchat.bench.load.Population;
import dev.p2pchat.bench.load.RegistryLoad;
import dev.p2pchat.bench.report.Environment;
import dev.p2pchat.bench.report.Latency;
import dev.p2pchat.bench.report.LoadResult;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code bench reconnect}: N sessions in rooms; the registry is SIGKILLed and started again on the same data
 * directory and ports; each session reconnects (jittered backoff 100 ms doubling to 1 s), RESUMEs with its token
 * and rejoins its room. Reports the time until every session is back, and how many needed a full login.
 */
@Command(name = "reconnect", mixinStandardHelpOptions = true,
        description = "Reconnect storm: kill -9 the registry under N sessions, restart it, time until all resumed.")
public final class ReconnectScenario implements Callable<Integer> {
    @Mixin
    RegistryOptions options;

    @Option(names = "--sessions", defaultValue = "10000", description = "Sessions (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--ramp-rate", defaultValue = "200", description = "Logins per second before the kill (default: ${DEFAULT-VALUE}).")
    double rampRate;

    @Option(names = "--room-size", defaultValue = "50", description = "Sessions per room (default: ${DEFAULT-VALUE}).")
    int roomSize;

    @Option(names = "--resume-deadline", defaultValue = "120s", converter = DurationConverter.class,
            description = "Give up on sessions not back this long after the kill (default: ${DEFAULT-VALUE}).")
    Duration resumeDeadline;

    @Override
    public Integer call() throws Exception {
        if (options.registry != null) {
            System.err.println("bench reconnect must start (and kill) its own registry; drop --registry");
            return 2;
        }
        Path work = options.workDir != null ? options.workDir : java.nio.file.Files.createTempDirectory("p2pchat-bench-");
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("scenario", "reconnect");
        report.put("environment", Environment.capture());
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("cpu_pinning", options.pinning().describe());
        params.put("sessions", sessions);
        params.put("ramp_rate", rampRate);
        params.put("room_size", roomSize);
        params.put("resume_deadline_s", resumeDeadline.toMillis() / 1000.0);
        params.put("reconnect_backoff", "jittered, 100 ms doubling to 1 s, from the moment the connection drops;"
                + " at most " + dev.p2pchat.bench.load.RegistryLoad.MAX_RECONNECTS_AT_ONCE + " TLS connects at once per client process");
        int rooms = Math.max(1, (sessions + roomSize - 1) / roomSize);
        params.put("registry_args", options.registryCommandArgs(rooms));
        report.put("parameters", params);
        String runId = Long.toString(System.currentTimeMillis() % 100_000_000L, 36);
        Map<String, Object> ours = new LinkedHashMap<>();
        try (RegistryUnderTest registry = RegistryUnderTest.start(options, work, rooms)) {
            LoadSpec spec = new LoadSpec(registry.host, registry.port, registry.fingerprint, runId, 0, sessions, sessions,
                    rooms, rampRate, 0, 0, 0, 0, 0, options.timeoutSeconds * 1000L);
            LoadResult setupResult = new LoadResult();
            RegistryLoad.Setup setup = RegistryLoad.createRooms(spec, setupResult);
            spec = new LoadSpec(spec.host(), spec.port(), spec.fingerprint(), runId, 0, sessions, sessions, rooms,
                    rampRate, 0, 0, 0, setup.keepAliveInterval().toMillis(), setup.udpPort(), spec.timeoutMillis());
            int workers = options.workersFor(sessions);
            ours.put("client_processes", workers);
            try (Population population = new Population(spec, workers, options.workerJvmOptions, work, System.err)) {
                long rampStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(500);
                population.step("ramp", slice -> slice.login(rampStart),
                        Duration.ofSeconds((long) (sessions / rampRate) + 2L * options.timeoutSeconds + 60));
                long held = population.progress().loggedIn();
                ours.put("sessions_before_kill", held);
                long deadline = System.nanoTime() + resumeDeadline.toNanos();
                population.step("arm", slice -> slice.watchForRestart(deadline, List.of()), Duration.ofSeconds(60));
                setup.close();
                System.err.println("bench reconnect: " + held + " sessions in rooms; SIGKILL registry pid "
                        + registry.process().pid());
                long killNanos = System.nanoTime();
                registry.process().kill();
                long killedNanos = System.nanoTime();
                registry.process().restart(Duration.ofSeconds(90));
                long restartedNanos = System.nanoTime();
                System.err.printf("bench reconnect: registry back after %.2f s (pid %d)%n",
                        (restartedNanos - killNanos) / 1e9, registry.process().pid());
                population.step("resume", slice -> slice.awaitResumed(killNanos, restartedNanos),
                        resumeDeadline.plusSeconds(60));
                if (options.jfr != null) {
                    // The restarted registry's recording: its whole life is the storm.
                    registry.dumpJfr(options.jfr);
                    ours.put("jfr", options.jfr.toAbsolutePath().toString());
                }
                LoadResult result = population.finish();
                result.merge(setupResult);
                Map<String, Histogram> latencies = result.latencies();
                Histogram afterKill = latencies.getOrDefault("reconnect/RESUMED_AFTER_KILL",
                        new Histogram(LoadResult.MAX_TRACKED_NANOS, 3));
                Histogram afterRestart = latencies.getOrDefault("reconnect/RESUMED_AFTER_RESTART",
                        new Histogram(LoadResult.MAX_TRACKED_NANOS, 3));
                ours.put("sessions_resumed", afterKill.getTotalCount());
                ours.put("kill_to_dead_ms", (killedNanos - killNanos) / 1e6);
                ours.put("kill_to_registry_ready_ms", (restartedNanos - killNanos) / 1e6);
                ours.put("kill_to_all_resumed_ms", afterKill.getTotalCount() == 0 ? null : afterKill.getMaxValue() / 1e6);
                ours.put("restart_to_all_resumed_ms", afterRestart.getTotalCount() == 0 ? null
                        : afterRestart.getMaxValue() / 1e6);
                ours.put("full_logins", result.counter("reconnect_full_logins"));
                ours.put("rooms_restored_by_resume", result.counter("reconnect_room_restored_by_resume"));
                ours.put("rooms_rejoined_explicitly", result.counter("reconnect_rejoined_explicitly"));
                ours.put("latency", Latency.all(latencies));
                ours.put("errors", result.errors());
                ours.put("error_total", result.errorTotal());
                ours.put("counters", result.counters());
                ours.put("registry_after_restart", registry.snapshot(false));
            }
        }
        report.put("p2pchat", ours);
        ((Map<String, Object>) report.get("environment")).put("load_average_at_end", Environment.loadAverage());
        Reports.finish(report, options.json, Reports.summaryTable("bench reconnect", ours,
                "sessions_before_kill", "sessions_resumed", "kill_to_registry_ready_ms", "kill_to_all_resumed_ms",
                "restart_to_all_resumed_ms", "full_logins", "rooms_restored_by_resume", "rooms_rejoined_explicitly",
                "error_total"));
        return 0;
    }
}
