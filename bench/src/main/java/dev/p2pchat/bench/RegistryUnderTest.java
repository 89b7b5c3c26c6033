package dev.p2pchat.bench;

import dev.p2pchat.bench.process.CpuPinning;
import dev.p2pchat.bench.process.JavaCommand;
import dev.p2pchat.bench.process.ProcStats;
import dev.p2pchat.bench.process.RegistryProcess;
import dev.p2pchat.security.Argon2Params;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/** The registry a scenario loads: one the bench started (and can measure and restart), or one given by address. */
final class RegistryUnderTest implements AutoCloseable {
    private final RegistryProcess process;
    final String host;
    final int port;
    final String fingerprint;

    private RegistryUnderTest(RegistryProcess process, String host, int port, String fingerprint) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.fingerprint = fingerprint;
    }

    static RegistryUnderTest start(RegistryOptions o, Path workDir, int rooms) throws IOException {
        if (o.registry != null) {
            if (o.registryFingerprint == null) {
                throw new IllegalArgumentException("--registry needs --registry-fingerprint");
            }
            int colon = o.registry.lastIndexOf(':');
            return new RegistryUnderTest(null, o.registry.substring(0, colon),
                    Integer.parseInt(o.registry.substring(colon + 1)), o.registryFingerprint);
        }
        CpuPinning pinning = o.pinning();
        pinning.pinThisProcessToClients();
        RegistryProcess p = RegistryProcess.start(workDir.resolve("registry"), o.registryJvm(rooms), o.registryCommandArgs(rooms),
                pinning, Duration.ofSeconds(90));
        return new RegistryUnderTest(p, "127.0.0.1", p.ready().tcpPort(), p.ready().fingerprint());
    }

    boolean measurable() {
        return process != null;
    }

    RegistryProcess process() {
        return process;
    }

    /** RSS, CPU, threads and files now; with {@code fullGc}, also the live heap after a full collection. */
    Map<String, Object> snapshot(boolean fullGc) {
        if (process == null) {
            return Map.of();
        }
        Map<String, Object> m = new LinkedHashMap<>(ProcStats.snapshot(process.pid()));
        if (fullGc) {
            m.put("heap_used_after_full_gc_bytes", ProcStats.heapUsedBytes(JavaCommand.tool("jcmd"), process.pid(), true));
        }
        return m;
    }

    Map<String, long[]> classHistogram() {
        return process == null ? Map.of() : ProcStats.classHistogram(JavaCommand.tool("jcmd"), process.pid());
    }

    long cpuMillis() {
        return process == null ? -1 : ProcStats.cpuMillis(process.pid());
    }

    /** The Argon2 parameters new hashes get: the flags given, else the registry's documented defaults. */
    static Argon2Params argon2(RegistryOptions o) {
        return new Argon2Params(o.argon2MemoryKib != null ? o.argon2MemoryKib : Argon2Params.DEFAULT.memoryKiB(),
                o.argon2Iterations != null ? o.argon2Iterations : Argon2Params.DEFAULT.iterations(),
                Argon2Params.DEFAULT.parallelism());
    }

    void dumpJfr(Path file) {
        if (process != null && file != null) {
            process.dumpFlightRecording(file);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            process.close();
        }
    }
}
