package dev.p2pchat.bench;

import dev.p2pchat.bench.process.CpuPinning;
import dev.p2pchat.bench.process.JavaCommand;
import dev.p2pchat.bench.process.ProcStats;
import dev.p2pchat.bench.process.RegistryProcess;
import dev.p2pchat.security.Argon2Params;
import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The registry a scenario loads: one the bench started (and can measure and restart), one given by address, or a
 * cluster of nodes the bench started on one PostgreSQL database. {@link #host}/{@link #port} are the first node's;
 * what is measured (RSS, CPU, threads, files, heap) is summed over the nodes.
 */
final class RegistryUnderTest implements AutoCloseable {
    private final List<RegistryProcess> processes;
    /** Each node's metrics port, to read its counters (empty for a registry the bench did not start). */
    private final List<Integer> metricsPorts;
    final String host;
    final int port;
    final String fingerprint;

    private RegistryUnderTest(List<RegistryProcess> processes, List<Integer> metricsPorts, String host, int port,
                              String fingerprint) {
        this.processes = processes;
        this.metricsPorts = metricsPorts;
        this.host = host;
        this.port = port;
        this.fingerprint = fingerprint;
    }

    /**
     * {@code nodes} registries with {@code --cluster} on {@code database}, all pinned to the registry CPUs and
     * presenting the first node's certificate (as an operator runs them, so a peer pins one fingerprint).
     */
    static RegistryUnderTest startCluster(RegistryOptions o, Path workDir, int rooms, int nodes, String database)
            throws IOException {
        CpuPinning pinning = o.pinning();
        pinning.pinThisProcessToClients();
        List<RegistryProcess> started = new ArrayList<>();
        List<Integer> metrics = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                List<String> args = new ArrayList<>(o.registryCommandArgs(rooms));
                int metricsPort = freePort();
                args.addAll(List.of("--cluster", "--database", database, "--metrics-port", Integer.toString(metricsPort)));
                if (i > 0) {
                    Path tls = workDir.resolve("node-0").resolve("tls");
                    args.addAll(List.of("--tls-cert", tls.resolve("cert.pem").toString(),
                            "--tls-key", tls.resolve("key.pem").toString()));
                }
                started.add(RegistryProcess.start(workDir.resolve("node-" + i), o.registryJvm(rooms), args, pinning,
                        Duration.ofSeconds(90)));
                metrics.add(metricsPort);
            }
        } catch (IOException | RuntimeException e) {
            for (RegistryProcess p : started) {
                try {
                    p.close();
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
            throw e;
        }
        RegistryProcess first = started.getFirst();
        return new RegistryUnderTest(List.copyOf(started), List.copyOf(metrics), "127.0.0.1", first.ready().tcpPort(),
                first.ready().fingerprint());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    /** SIGKILLs node {@code i} of a cluster (a node lost: its clients fail over to another). */
    void killNode(int i) throws InterruptedException {
        processes.get(i).kill();
    }

    /** A node's address: TCP, and UDP for its keep-alives (0: the one it announces). */
    record Node(String host, int tcpPort, int udpPort) {
    }

    /** Every node, the first one first. */
    List<Node> nodes() {
        if (processes.isEmpty()) {
            return List.of(new Node(host, port, 0));
        }
        return processes.stream().map(p -> new Node("127.0.0.1", p.ready().tcpPort(), p.ready().udpPort())).toList();
    }

    /**
     * Cluster events sent and received so far, summed over the nodes (from their Prometheus metrics); empty for one
     * registry or when a node does not answer.
     */
    Map<String, Double> clusterEvents() {
        if (metricsPorts.size() < 2) {
            return Map.of();
        }
        Map<String, Double> sum = new LinkedHashMap<>();
        for (String kind : List.of("sent", "received")) {
            Double value = counterSum("p2pchat_registry_cluster_events_" + kind);
            if (value == null) {
                return Map.of();
            }
            sum.put(kind, value);
        }
        return sum;
    }

    /** UDP keep-alives the live nodes have received so far (their Prometheus counter); null when one does not say. */
    Double keepAlivesReceived() {
        return counterSum("p2pchat_registry_keepalives");
    }

    /**
     * A counter summed over the live nodes' {@code /metrics}: the samples named {@code name} or {@code name_total},
     * whatever their labels; null when a node does not answer or has no such sample.
     */
    private Double counterSum(String name) {
        if (metricsPorts.isEmpty()) {
            return null;
        }
        double sum = 0;
        for (int i = 0; i < metricsPorts.size(); i++) {
            if (!processes.get(i).isAlive()) {
                continue;
            }
            try {
                HttpURLConnection c = (HttpURLConnection) URI.create("http://127.0.0.1:" + metricsPorts.get(i)
                        + "/metrics").toURL().openConnection();
                c.setConnectTimeout(5_000);
                c.setReadTimeout(10_000);
                boolean found = false;
                try (var in = c.getInputStream()) {
                    for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                        int end = line.indexOf(line.indexOf('{') >= 0 ? '{' : ' ');
                        String sample = end < 0 ? line : line.substring(0, end);
                        if (sample.equals(name) || sample.equals(name + "_total")) {
                            sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
                            found = true;
                        }
                    }
                }
                if (!found) {
                    return null;
                }
            } catch (IOException | NumberFormatException e) {
                return null;
            }
        }
        return sum;
    }

    static RegistryUnderTest start(RegistryOptions o, Path workDir, int rooms) throws IOException {
        if (o.registry != null) {
            if (o.registryFingerprint == null) {
                throw new IllegalArgumentException("--registry needs --registry-fingerprint");
            }
            int colon = o.registry.lastIndexOf(':');
            return new RegistryUnderTest(List.of(), List.of(), o.registry.substring(0, colon),
                    Integer.parseInt(o.registry.substring(colon + 1)), o.registryFingerprint);
        }
        CpuPinning pinning = o.pinning();
        pinning.pinThisProcessToClients();
        int metricsPort = freePort();
        List<String> args = new ArrayList<>(o.registryCommandArgs(rooms));
        args.addAll(List.of("--metrics-port", Integer.toString(metricsPort)));
        RegistryProcess p = RegistryProcess.start(workDir.resolve("registry"), o.registryJvm(rooms), args,
                pinning, Duration.ofSeconds(90));
        return new RegistryUnderTest(List.of(p), List.of(metricsPort), "127.0.0.1", p.ready().tcpPort(),
                p.ready().fingerprint());
    }

    boolean measurable() {
        return !processes.isEmpty();
    }

    /** The (first) registry process. */
    RegistryProcess process() {
        return processes.isEmpty() ? null : processes.getFirst();
    }

    /**
     * RSS, CPU, threads and files now, summed over the live nodes; with {@code fullGc}, also the live heap after a
     * full collection. {@code open_files_per_node} lists each live node's open files.
     */
    Map<String, Object> snapshot(boolean fullGc) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<Object> filesPerNode = new ArrayList<>();
        for (RegistryProcess process : processes) {
            if (!process.isAlive()) {
                continue;
            }
            Map<String, Object> node = new LinkedHashMap<>(ProcStats.snapshot(process.pid()));
            if (fullGc) {
                node.put("heap_used_after_full_gc_bytes",
                        ProcStats.heapUsedBytes(JavaCommand.tool("jcmd"), process.pid(), true));
            }
            filesPerNode.add(node.get("open_files"));
            node.forEach((k, v) -> m.merge(k, v, (a, b) -> a instanceof Long x && b instanceof Long y ? x + y : a));
        }
        if (processes.size() > 1) {
            m.put("open_files_per_node", filesPerNode);
        }
        return m;
    }

    Map<String, long[]> classHistogram() {
        return processes.size() != 1 ? Map.of()
                : ProcStats.classHistogram(JavaCommand.tool("jcmd"), processes.getFirst().pid());
    }

    long cpuMillis() {
        return processes.isEmpty() ? -1 : processes.stream().mapToLong(p -> ProcStats.cpuMillis(p.pid())).sum();
    }

    /** The Argon2 parameters new hashes get: the flags given, else the registry's documented defaults. */
    static Argon2Params argon2(RegistryOptions o) {
        return new Argon2Params(o.argon2MemoryKib != null ? o.argon2MemoryKib : Argon2Params.DEFAULT.memoryKiB(),
                o.argon2Iterations != null ? o.argon2Iterations : Argon2Params.DEFAULT.iterations(),
                Argon2Params.DEFAULT.parallelism());
    }

    void dumpJfr(Path file) {
        if (!processes.isEmpty() && file != null) {
            processes.getFirst().dumpFlightRecording(file);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (RegistryProcess process : processes) {
            process.close();
        }
    }
}
