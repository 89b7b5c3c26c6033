package dev.p2pchat.bench.irc;

import dev.p2pchat.bench.process.CpuPinning;
import dev.p2pchat.bench.process.ProcStats;
import dev.p2pchat.bench.report.Latency;
import dev.p2pchat.bench.report.LoadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the IRC side of {@code bench registry --compare ngircd} and reports it in the same shape as ours. */
public final class IrcBaseline {
    private IrcBaseline() {
    }

    public record Params(int sessions, int rooms, double rampRate, double requestRate, long warmupMillis,
                         long durationMillis,
                         Duration keepAliveInterval, Duration timeout, String runId) {
    }

    public static Map<String, Object> run(Path binary, Path dir, Params p, CpuPinning pinning, PrintStream progress)
            throws IOException, InterruptedException {
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("server", NgircdProcess.version(binary));
        try (NgircdProcess ngircd = NgircdProcess.start(binary, dir, pinning, Duration.ofSeconds(60))) {
            long pid = ngircd.pid();
            Map<String, Object> before = ProcStats.snapshot(pid);
            LoadResult result = new LoadResult();
            try (IrcLoad load = new IrcLoad("127.0.0.1", ngircd.tlsPort(), ngircd.fingerprint(), p.sessions(),
                    p.rooms(), p.runId(), p.timeout(), result)) {
                long rampStart = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
                Thread ticker = progressTicker(progress, "irc ramp", () -> load.registered() + "/" + p.sessions()
                        + " registered, errors " + result.errorTotal());
                load.startKeepAlives(p.keepAliveInterval());
                load.login(rampStart, p.rampRate());
                ticker.interrupt();
                long rampEnd = System.nanoTime();
                Map<String, Object> afterRamp = ProcStats.snapshot(pid);
                long holdStart = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                long cpuHold0 = ProcStats.cpuMillis(pid); // includes the warm-up
                ticker = progressTicker(progress, "irc hold", () -> load.requests() + " requests, errors "
                        + result.errorTotal());
                load.hold(holdStart, p.warmupMillis(), p.durationMillis(), p.requestRate());
                ticker.interrupt();
                long cpuHold1 = ProcStats.cpuMillis(pid);
                Map<String, Object> afterHold = ProcStats.snapshot(pid);
                report.put("sessions_held", load.registered());
                report.put("ramp_seconds", (rampEnd - rampStart) / 1e9);
                report.put("logins_per_second", load.registered() / ((rampEnd - rampStart) / 1e9));
                long holdRequests = result.histogram("hold/WHOIS").getTotalCount();
                report.put("hold_requests", holdRequests);
                report.put("hold_requests_per_second", holdRequests / (p.durationMillis() / 1000.0));
                report.put("cpu_ms_ramp", (Long) afterRamp.get("cpu_ms") - (Long) before.get("cpu_ms"));
                report.put("cpu_ms_hold", cpuHold1 - cpuHold0);
                report.put("process_before", before);
                report.put("process_after_ramp", afterRamp);
                report.put("process_after_hold", afterHold);
                long rssDelta = (Long) afterRamp.get("rss_bytes") - (Long) before.get("rss_bytes");
                report.put("rss_bytes_per_session", load.registered() == 0 ? 0 : rssDelta / (double) load.registered());
            }
            report.put("latency", Latency.all(result.latencies()));
            report.put("errors", result.errors());
            report.put("counters", result.counters());
            report.put("log", ngircd.log().toString());
        }
        return report;
    }

    private static Thread progressTicker(PrintStream out, String label, java.util.function.Supplier<String> line) {
        long start = System.nanoTime();
        return Thread.ofPlatform().daemon().start(() -> {
            while (true) {
                try {
                    Thread.sleep(2000);
                } catch (InterruptedException e) {
                    return;
                }
                out.printf("[%s %3ds] %s%n", label, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), line.get());
            }
        });
    }
}
