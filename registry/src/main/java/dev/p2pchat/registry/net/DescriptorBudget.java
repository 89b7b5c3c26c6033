package dev.p2pchat.registry.net;

import com.sun.management.UnixOperatingSystemMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;

/**
 * How many connections this process can hold before it runs out of file descriptors ({@code ulimit -n}).
 *
 * <p>Why: a registry allowed as many connections as the file limit ran out of descriptors first (docs/BENCHMARKS.md
 * run S: 30,000 clients at a node with {@code ulimit -n} 20,000). Accepting then failed with EMFILE, and so did the
 * store's pool when it replaced a connection, so every {@code SEARCH_USER} was answered 500 for the sessions already
 * held. A registry that stops admitting a little below the limit answers the next client {@code FULL 503} instead,
 * and keeps serving the ones it holds.
 */
public final class DescriptorBudget {
    /**
     * Descriptors kept for everything but client connections: the JVM's jars and libraries, the log, the store's
     * files and pool, the UDP, metrics and listening sockets, up to 64 reachability self-tests and 64 connections
     * being told FULL, and relay sockets waiting for their partner.
     */
    public static final int RESERVED = 512;

    private DescriptorBudget() {
    }

    /** This process's file-descriptor limit; {@link Long#MAX_VALUE} where the JVM cannot tell. */
    public static long processLimit() {
        OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof UnixOperatingSystemMXBean unix ? unix.getMaxFileDescriptorCount() : Long.MAX_VALUE;
    }

    /** Connections a process with file limit {@code limit} can hold: the limit less {@link #RESERVED}, at least 1. */
    public static int connections(long limit) {
        return (int) Math.max(1, Math.min(Integer.MAX_VALUE, limit - RESERVED));
    }

    /** Connections this process can hold. */
    public static int connections() {
        return connections(processLimit());
    }
}
