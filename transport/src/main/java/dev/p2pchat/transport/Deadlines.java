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
 *
 * <p>A server with many channels of one kind has a watchdog of its own ({@link #forSettings}) ticking a tenth of
 * their shortest deadline: a registry with 10 s deadlines and 15,000 sessions spent about 14 % of its CPU in a 100 ms
 * watchdog (docs/BENCHMARKS.md run R), nearly all of it visiting channels with nothing due.
 */
public final class Deadlines {
    private static final Logger LOG = LoggerFactory.getLogger(Deadlines.class);
    /** 100 ms: 20,000 channels cost 200,000 cheap checks a second; 10 s deadlines are kept to 1 %. */
    public static final Duration DEFAULT_TICK = Duration.ofMillis(100);
    static final Duration MIN_TICK = Duration.ofMillis(10);
    static final Duration MAX_TICK = Duration.ofSeconds(1);
    private static final Deadlines SHARED = new Deadlines(DEFAULT_TICK, "transport-deadlines");

    private final Set<FrameChannel> watched = ConcurrentHashMap.newKeySet();
    private final long tickNanos;
    private volatile boolean closed;
    private final Thread thread;

    private Deadlines(Duration tick, String threadName) {
        this.tickNanos = tick.toNanos();
        this.thread = Thread.ofPlatform().daemon().name(threadName).start(this::watch);
    }

    /** The process-wide watchdog every channel uses unless given another. */
    public static Deadlines shared() {
        return SHARED;
    }

    /**
     * A watchdog of its own for channels with {@code settings}, ticking a tenth of their shortest deadline (between
     * {@link #MIN_TICK} and {@link #MAX_TICK}), so each deadline is kept to about 10 %; {@link #close} it when its
     * channels are gone. Deadlines an owner sets ({@link FrameChannel#closeAt}) should not be much shorter.
     */
    public static Deadlines forSettings(ChannelSettings settings, String threadName) {
        return new Deadlines(tickFor(settings), threadName);
    }

    static Duration tickFor(ChannelSettings settings) {
        Duration tick = settings.shortestDeadline().dividedBy(10);
        return tick.compareTo(MIN_TICK) < 0 ? MIN_TICK : tick.compareTo(MAX_TICK) > 0 ? MAX_TICK : tick;
    }

    Thread thread() {
        return thread;
    }

    /** Ends its thread; channels still open are no longer watched. Not for {@link #shared()}. */
    public void close() {
        if (this == SHARED) {
            throw new IllegalStateException("the shared watchdog lasts as long as the process");
        }
        closed = true;
        thread.interrupt();
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
        while (!closed) {
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
