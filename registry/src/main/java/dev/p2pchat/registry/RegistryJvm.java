package dev.p2pchat.registry;

import java.util.ArrayList;
import java.util.List;
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
 *   <li>at least {@link #MIN_CARRIERS} carrier threads for virtual threads, whatever the CPU count.</li>
 * </ul>
 */
public final class RegistryJvm {
    static final int BASE_HEAP_MIB = 64;
    static final int HEAP_KIB_PER_CONNECTION = 32;
    static final int MIN_CARRIERS = 4;

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
        RegistryCommand command = new RegistryCommand();
        try {
            new CommandLine(command).parseArgs(registryArgs);
        } catch (CommandLine.ParameterException e) {
            return List.of();
        }
        return options(command.maxConnections(), Runtime.getRuntime().availableProcessors());
    }

    /** For the launcher: prints the options for the registry arguments given, one line, space-separated. */
    public static void main(String[] args) {
        System.out.println(String.join(" ", optionsFor(args)));
    }
}
