package dev.p2pchat.registry.net;

import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Paces the acceptor so that at most {@link #limit} connections are between their accept and the answer to their
 * first request (the TLS handshake, then {@code HELLO_P2P} or {@code RESUME}); the next clients wait in the listen
 * backlog, where waiting costs the registry nothing.
 *
 * <p>Why: when 10,000 peers reconnected at once to a registry on one core (docs/BENCHMARKS.md run W) every
 * connection got a sliver of the CPU, 3,335 handshakes ran past their 10 s limit and 7,292 connections were closed
 * as silent although their {@code RESUME} was waiting unread — work done and thrown away, and done again at the
 * retry. Served a few at a time, each is done in milliseconds.
 *
 * <p>A client that never finishes its handshake holds its place until the handshake limit. So that a few hundred
 * such clients cannot stop the acceptor, a wait for a place is bounded by {@link #MAX_WAIT}; after a wait that
 * ran out, connections are let in unpaced (as if there were no limit) for {@link #UNPACED_FOR}.
 */
public final class Admission {
    static final Duration MAX_WAIT = Duration.ofMillis(200);
    static final Duration UNPACED_FOR = Duration.ofSeconds(1);

    private final int limit;
    private final Semaphore places;
    private volatile long unpacedUntilNanos = System.nanoTime();

    public Admission(int limit) {
        if (limit < 1) {
            throw new IllegalArgumentException("limit must be positive");
        }
        this.limit = limit;
        this.places = new Semaphore(limit);
    }

    /** Enough to keep every core busy with handshakes: 16 per CPU, at least 64. */
    public static Admission forThisMachine() {
        return new Admission(Math.max(64, 16 * Runtime.getRuntime().availableProcessors()));
    }

    /**
     * Waits for a place (on the acceptor's thread); returns what the new connection calls once it has been
     * served or is gone. A connection let in unpaced gets a release that does nothing.
     */
    public Runnable enter() throws InterruptedException {
        if (System.nanoTime() - unpacedUntilNanos < 0) {
            return () -> { };
        }
        if (!places.tryAcquire(MAX_WAIT.toNanos(), TimeUnit.NANOSECONDS)) {
            unpacedUntilNanos = System.nanoTime() + UNPACED_FOR.toNanos();
            return () -> { };
        }
        AtomicBoolean released = new AtomicBoolean();
        return () -> {
            if (released.compareAndSet(false, true)) {
                places.release();
            }
        };
    }

    /** Connections holding a place now. */
    public int inFlight() {
        return limit - places.availablePermits();
    }

    public int limit() {
        return limit;
    }
}
