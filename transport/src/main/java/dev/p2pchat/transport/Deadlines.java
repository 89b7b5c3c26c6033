package dev.p2pchat.transport;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The watchdog of many {@link FrameChannel}s: one daemon thread that looks at every open channel once a tick and
 * closes those whose deadline has passed. A blocked socket read cannot be interrupted any other way, and a
 * watchdog that only reads a few volatile fields per channel per tick costs nothing per frame (no timer task is
 * scheduled or cancelled for each frame). Deadlines are therefore enforced to within one tick.
 */
public final class Deadlines {
    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);
    /** 100 ms: 20,000 channels cost 200,000 cheap checks a second; 10 s deadlines are kept to 1 %. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(100);
    private static final Deadlines SHARED = new Deadlines(DEFAULT_TICK, "transport-deadlines");

    private final Set<FrameChannel> watched = ConcurrentHashMap.newKeySet();
    private final long tickNanos;

    private Deadlines(Duration tick, String threadName) {
        this.tickNanos = tick.toNanos();
        Thread.ofPlatform().daemon().name(threadName).start(this::watch);
    }

    /** The process-wide watchdog every channel uses unless given another. */
    public static Deadlines shared() {
        return SHARED;
    }

    void add(FrameChannel channel) {
        watched.add(channel);
    }

    void remove(FrameChannel channel) {
        watched.remove(channel);
    }

    /** Channels being watched now (open, past their handshake). */
    public int size() {
        return watched.size();
    }

    private void watch() {
        while (true) {
            LockSupport.parkNanos(tickNanos);
            long now = System.nanoTime();
            for (FrameChannel channel : watched) {
                try {
                    channel.checkDeadlines(now);
                } catch (RuntimeException e) {
                    LOG.error("Checking the deadlines of {} failed", channel, e);
                }
            }
        }
    }
}
