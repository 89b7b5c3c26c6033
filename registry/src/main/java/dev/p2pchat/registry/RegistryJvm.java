package dev.p2pchat.registry;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine;

/**
 * The JVM a registry runs best in, sized from what it may hold: the launcher ({@code ./p2pchat registry}) and the
 * bench start it with these options unless told otherwise (a {@code -Xmx} or a collector of their own).
 *
 * <p>Why: left to itself the JVM takes a quarter of the machine's memory as its heap ceiling and grows into it, so
 * a registry holding 5,000 sessions sat at 1.2 GB of RSS while its live objects were under 100 MB; and a JVM that
 * sees one CPU (a 1-vCPU server, or {@code taskset}) picks the Serial collector and one carrier thread for all
 * virtual threads, which a single SQLite call in native code (an fsync) then stalls.
 *
 * <ul>
 *   <li>heap ceiling: {@link #BASE_HEAP_MIB} plus {@link #HEAP_KIB_PER_CONNECTION} per allowed connection (the
 *       live heap of a logged-in session measured about 16–20 KiB, docs/BENCHMARKS.md), starting small;</li>
 *   <li>G1 with a periodic collection when the registry is quiet, so memory it no longer needs goes back to the
 *       system (JEP 346), and a low free ratio so the heap shrinks after a peak;</li>
 *   <li>at least {@link #MIN_CARRIERS} carrier threads for virtual threads, whatever the CPU count;</li>
 *   <li>for the launcher, on a JDK of {@link #AOT_FEATURE} or later, an ahead-of-time cache of the registry's
 *       classes and method profiles in its data directory (JEP 483, 514, 515): a registry restarted after a crash
 *       is ready in about 3 s instead of 4.3–6.5 s on a 2-core server, so its peers' reconnect storm starts that
 *       much sooner (the storm itself was no shorter; docs/BENCHMARKS.md, run W5). It is written when a run without one stops
 *       normally, and used from the next start on; one made for another jar, JDK or set of options is not
 *       tried (the JVM would refuse it, loudly), and is deleted when its successor is made.</li>
 * </ul>
 */
public final class RegistryJvm {
    static final int BASE_HEAP_MIB = 64;
    static final int HEAP_KIB_PER_CONNECTION = 32;
    static final int MIN_CARRIERS = 4;
    /** The first JDK that writes an AOT cache from a normal run ({@code -XX:AOTCacheOutput}, JEP 514). */
    static final int AOT_FEATURE = 25;
    private static final String AOT_PREFIX = "registry-";
    private static final String AOT_SUFFIX = ".aot";

    private RegistryJvm() {
    }

    /** The options for a registry allowed {@code maxConnections} connections on a machine with {@code cpus}. */
    public static List<String> options(int maxConnections, int cpus) {
        long heapMib = BASE_HEAP_MIB + ((long) Math.max(0, maxConnections) * HEAP_KIB_PER_CONNECTION + 1023) / 1024;
        List<String> options = new ArrayList<>();
        options.add("-Xms32m");
        options.add("-Xmx" + heapMib + "m");
        options.add("-XX:+UseG1GC");
        options.add("-XX:G1PeriodicGCInterval=60000");
        options.add("-XX:MaxHeapFreeRatio=30");
        options.add("-XX:MinHeapFreeRatio=10");
        options.add("-Djdk.virtualThreadScheduler.parallelism=" + Math.max(MIN_CARRIERS, cpus));
        return options;
    }

    /** The options for a {@code p2pchat registry} command line; none when it does not parse (the registry says why). */
    public static List<String> optionsFor(String... registryArgs) {
        return parse(registryArgs).map(RegistryJvm::optionsFor).orElse(List.of());
    }

    private static List<String> optionsFor(RegistryCommand command) {
        return options(command.maxConnections(), Runtime.getRuntime().availableProcessors());
    }

    /** The registry command line, unless it does not parse (the registry itself says why when it starts). */
    private static Optional<RegistryCommand> parse(String... registryArgs) {
        RegistryCommand command = new RegistryCommand();
        try {
            new CommandLine(command).parseArgs(registryArgs);
            return Optional.of(command);
        } catch (CommandLine.ParameterException e) {
            return Optional.empty();
        }
    }

    /**
     * The AOT cache options for a registry keeping its data in {@code dataDir} and run from {@code jar} with
     * {@code options}: use the cache made for exactly these, or, when there is none yet, make it as this run stops
     * (and delete the caches made for anything else). None on a JDK before {@link #AOT_FEATURE} or off a jar.
     */
    static List<String> aotOptions(Path dataDir, Path jar, List<String> options, int jdkFeature) {
        if (jdkFeature < AOT_FEATURE || jar == null || !Files.isRegularFile(jar)) {
            return List.of();
        }
        Path dir = dataDir.resolve("jvm");
        Path cache;
        try {
            cache = dir.resolve(AOT_PREFIX + aotKey(jar, options) + AOT_SUFFIX);
            if (Files.isRegularFile(cache)) {
                return List.of("-XX:AOTCache=" + cache);
            }
            Files.createDirectories(dir);
            // caches made for anything else, and what an assembly cut short left (".aot.config", a torn ".aot")
            try (DirectoryStream<Path> old = Files.newDirectoryStream(dir, AOT_PREFIX + "*" + AOT_SUFFIX + "*")) {
                for (Path stale : old) {
                    Files.deleteIfExists(stale);
                }
            }
        } catch (IOException e) {
            return List.of(); // a data dir it cannot write: the registry says so itself when it starts
        }
        return List.of("-XX:AOTCacheOutput=" + cache);
    }

    /** Names what a cache is valid for: the jar (path, size, time), the JDK and the JVM options. */
    private static String aotKey(Path jar, List<String> options) throws IOException {
        String identity = String.join("\n", jar.toAbsolutePath().toString(), Long.toString(Files.size(jar)),
                Files.getLastModifiedTime(jar).toString(), System.getProperty("java.home"),
                Runtime.version().toString(), String.join(" ", options));
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(identity.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The jar this class was loaded from, if it was. */
    private static Optional<Path> ownJar() {
        try {
            Path p = Path.of(RegistryJvm.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return p.toString().endsWith(".jar") ? Optional.of(p) : Optional.empty();
        } catch (Exception e) {
            return Optional.empty();
        }
    }

    /**
     * For the launcher: prints the options for the registry arguments given, one line, space-separated; the AOT
     * cache's among them unless {@code P2PCHAT_AOT=off}. The launcher's extra options ({@code P2PCHAT_JAVA_OPTS})
     * are part of the cache's key, since the JVM refuses a cache made with other module or heap options.
     */
    public static void main(String[] args) {
        Optional<RegistryCommand> command = parse(args);
        List<String> options = new ArrayList<>(command.map(RegistryJvm::optionsFor).orElse(List.of()));
        if (command.isPresent() && !"off".equalsIgnoreCase(System.getenv("P2PCHAT_AOT"))) {
            List<String> keyed = new ArrayList<>(options);
            keyed.add(String.valueOf(System.getenv("P2PCHAT_JAVA_OPTS")));
            options.addAll(aotOptions(command.get().dataDir, ownJar().orElse(null), keyed, Runtime.version().feature()));
        }
        System.out.println(String.join(" ", options));
    }
}
