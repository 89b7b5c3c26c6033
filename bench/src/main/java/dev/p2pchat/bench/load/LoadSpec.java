package dev.p2pchat.bench.load;

import dev.p2pchat.bench.report.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one load process does: sessions {@code [from, to)} of {@code total}, all on one global schedule, so
 * several worker processes together behave like one client population. Times are in {@link System#nanoTime()}
 * units, which on Linux is CLOCK_MONOTONIC and therefore shared by every process on the machine.
 *
 * @param runId             makes user and room names unique to this run (a reused registry keeps old accounts)
 * @param rooms             sessions are spread over this many rooms (session g is in room g % rooms)
 * @param rampRate          logins per second, for the whole population
 * @param requestRate       requests per second in the hold phase, for the whole population
 * @param warmupMillis      untimed start of the hold phase (same rate and mix), so a cold JIT is not measured
 * @param durationMillis    length of the measured part of the hold phase
 * @param keepAliveMillis   keep-alive interval; 0 means the interval the registry announces in AUTH
 * @param udpPort           the registry's keep-alive port; 0 means the one it announces
 * @param timeoutMillis     longest wait for one answer, one TLS connect, or one resumption
 * @param nodes             registry nodes of a cluster the population is spread over, a slice per node; above 1,
 *                          sessions outside this slice are on other nodes and half of SEARCH_USER look them up
 */
public record LoadSpec(String host, int port, String fingerprint, String runId, int from, int to, int total,
                       int rooms, double rampRate, double requestRate, long warmupMillis, long durationMillis, long keepAliveMillis,
                       int udpPort, long timeoutMillis, int nodes) {

    /** One registry. */
    public LoadSpec(String host, int port, String fingerprint, String runId, int from, int to, int total, int rooms,
                    double rampRate, double requestRate, long warmupMillis, long durationMillis, long keepAliveMillis,
                    int udpPort, long timeoutMillis) {
        this(host, port, fingerprint, runId, from, to, total, rooms, rampRate, requestRate, warmupMillis,
                durationMillis, keepAliveMillis, udpPort, timeoutMillis, 1);
    }

    public LoadSpec {
        if (nodes < 1) {
            throw new IllegalArgumentException("nodes must be at least 1");
        }
        if (from < 0 || to < from || to > total) {
            throw new IllegalArgumentException("bad session range " + from + ".." + to + " of " + total);
        }
        if (rooms < 1 || rampRate <= 0 || requestRate < 0 || warmupMillis < 0 || durationMillis < 0 || timeoutMillis <= 0) {
            throw new IllegalArgumentException("bad load parameters");
        }
    }

    public LoadSpec slice(int sliceFrom, int sliceTo) {
        return new LoadSpec(host, port, fingerprint, runId, sliceFrom, sliceTo, total, rooms, rampRate, requestRate,
                warmupMillis, durationMillis, keepAliveMillis, udpPort, timeoutMillis, nodes);
    }

    /**
     * The same load at another node of a cluster of {@code clusterNodes}, whose keep-alives go to {@code nodeUdpPort}
     * (known before the ramp, so that the sessions logged in first are kept alive while the rest log in).
     */
    public LoadSpec at(String nodeHost, int nodePort, int nodeUdpPort, int clusterNodes) {
        return new LoadSpec(nodeHost, nodePort, fingerprint, runId, from, to, total, rooms, rampRate, requestRate,
                warmupMillis, durationMillis, keepAliveMillis, nodeUdpPort, timeoutMillis, clusterNodes);
    }

    public String username(int g) {
        return "b" + runId + "u" + g;
    }

    public String roomName(int r) {
        return "b" + runId + "r" + r;
    }

    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("host", host);
        m.put("port", port);
        m.put("fingerprint", fingerprint);
        m.put("run_id", runId);
        m.put("from", from);
        m.put("to", to);
        m.put("total", total);
        m.put("rooms", rooms);
        m.put("ramp_rate", rampRate);
        m.put("request_rate", requestRate);
        m.put("warmup_ms", warmupMillis);
        m.put("duration_ms", durationMillis);
        m.put("keepalive_ms", keepAliveMillis);
        m.put("udp_port", udpPort);
        m.put("timeout_ms", timeoutMillis);
        m.put("nodes", nodes);
        return Json.write(m).replace("\n", " ");
    }

    public static LoadSpec fromJson(String json) {
        Map<String, Object> m = Json.parseObject(json);
        return new LoadSpec((String) m.get("host"), num(m, "port").intValue(), (String) m.get("fingerprint"),
                (String) m.get("run_id"), num(m, "from").intValue(), num(m, "to").intValue(),
                num(m, "total").intValue(), num(m, "rooms").intValue(), num(m, "ramp_rate").doubleValue(),
                num(m, "request_rate").doubleValue(), num(m, "warmup_ms").longValue(), num(m, "duration_ms").longValue(),
                num(m, "keepalive_ms").longValue(), num(m, "udp_port").intValue(), num(m, "timeout_ms").longValue(),
                m.containsKey("nodes") ? num(m, "nodes").intValue() : 1);
    }

    private static Number num(Map<String, Object> m, String key) {
        return (Number) m.get(key);
    }
}
