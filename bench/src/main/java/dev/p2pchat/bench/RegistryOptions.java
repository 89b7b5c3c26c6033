package dev.p2pchat.bench;

import dev.p2pchat.bench.process.CpuPinning;
import dev.p2pchat.registry.RegistryJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** Options shared by the scenarios that load a registry: which one, how it is started, where the report goes. */
public final class RegistryOptions {
    @Option(names = "--registry", paramLabel = "HOST:PORT",
            description = "Load a running registry instead of starting one (needs --registry-fingerprint).")
    String registry;

    @Option(names = "--registry-fingerprint", paramLabel = "HEX", description = "SHA-256 of its certificate.")
    String registryFingerprint;

    @Option(names = "--argon2-memory-kib", description = "Passed to the registry it starts (default: the registry's).")
    Integer argon2MemoryKib;

    @Option(names = "--argon2-iterations", description = "Passed to the registry it starts (default: the registry's).")
    Integer argon2Iterations;

    @Option(names = "--keepalive-timeout", paramLabel = "DURATION",
            description = "Passed to the registry it starts, e.g. 30s (default: the registry's).")
    String keepAliveTimeout;

    @Option(names = "--registry-arg", paramLabel = "ARG", description = "Extra argument for the registry it starts; repeatable.")
    List<String> registryArgs = new ArrayList<>();

    @Option(names = "--registry-jvm-opt", paramLabel = "OPT", description = "JVM option for the registry it starts; repeatable.")
    List<String> registryJvmOptions = new ArrayList<>();

    @Option(names = "--jfr", paramLabel = "FILE",
            description = "Record the registry with Java Flight Recorder (settings=profile) and dump to FILE at the end.")
    Path jfr;

    @Option(names = "--workers", description = "Client processes (default: as many as --max-sessions-per-process needs).")
    int workers;

    @Option(names = "--max-sessions-per-process", defaultValue = "18000",
            description = "A process may hold about 20,000 open files; above this many sessions, use worker processes.")
    int maxSessionsPerProcess;

    @Option(names = "--worker-jvm-opt", paramLabel = "OPT", description = "JVM option for worker processes; repeatable.")
    List<String> workerJvmOptions = new ArrayList<>();

    @Option(names = "--timeout", defaultValue = "30", paramLabel = "SECONDS",
            description = "Longest wait for one answer, connect or handshake (default: ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--work-dir", description = "Where registry data and logs go (default: a new temporary directory).")
    Path workDir;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write the full report as JSON.")
    Path json;

    @Option(names = "--registry-cpus", paramLabel = "LIST",
            description = "CPUs for the registry it starts (and ngIRCd), with taskset; 'any' for none "
                    + "(default: 0 on a machine with 2 or more CPUs).")
    String registryCpus;

    @Option(names = "--client-cpus", paramLabel = "LIST",
            description = "CPUs for the bench and its load clients; 'any' for none (default: all but CPU 0).")
    String clientCpus;

    /** The pinning asked for, the default filling what was not. */
    CpuPinning pinning() {
        CpuPinning defaults = CpuPinning.byDefault(Runtime.getRuntime().availableProcessors());
        return new CpuPinning(choose(registryCpus, defaults.registry()), choose(clientCpus, defaults.clients()));
    }

    private static String choose(String given, String fallback) {
        return given == null ? fallback : given.equals("any") ? null : given;
    }

    int workersFor(int sessions) {
        if (workers > 0) {
            return workers;
        }
        return Math.max(1, (sessions + maxSessionsPerProcess - 1) / maxSessionsPerProcess);
    }

    /** The registry's arguments for a run whose rooms are all created by one bench account. */
    List<String> registryCommandArgs(int rooms) {
        List<String> args = new ArrayList<>();
        // the room quotas (20 per account, and per address and 10 minutes) are for people, not for the one
        // account that sets up a run
        String enough = Integer.toString(Math.max(rooms, 20));
        for (String quota : List.of("--max-rooms-per-user", "--max-room-creations-per-ip")) {
            if (!registryArgs.contains(quota)) {
                args.addAll(List.of(quota, enough));
            }
        }
        if (argon2MemoryKib != null) {
            args.addAll(List.of("--argon2-memory-kib", argon2MemoryKib.toString()));
        }
        if (argon2Iterations != null) {
            args.addAll(List.of("--argon2-iterations", argon2Iterations.toString()));
        }
        if (keepAliveTimeout != null) {
            args.addAll(List.of("--keepalive-timeout", keepAliveTimeout));
        }
        args.addAll(registryArgs);
        return args;
    }

    /** The registry's JVM options: the launcher's sizing ({@link RegistryJvm}) unless a heap or collector is given. */
    List<String> registryJvm(int rooms) {
        List<String> opts = new ArrayList<>();
        boolean own = registryJvmOptions.stream().anyMatch(o -> o.startsWith("-Xmx") || o.startsWith("-XX:MaxRAM")
                || o.matches("-XX:\\+Use[A-Za-z]+GC"));
        if (!own) {
            opts.addAll(RegistryJvm.optionsFor(registryCommandArgs(rooms).toArray(String[]::new)));
        }
        opts.addAll(registryJvmOptions);
        if (jfr != null) {
            opts.add("-XX:StartFlightRecording=name=bench,settings=profile");
        }
        return opts;
    }
}
