package dev.p2pchat.registry.service;

import dev.p2pchat.security.PasswordHasher;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BooleanSupplier;

/**
 * Argon2 behind a semaphore: hashing is CPU- and memory-heavy, so at most a few run at once and a login storm
 * queues here instead of starving every other request. The queue is bounded: beyond {@code maxQueued} callers
 * waiting, a new one is turned away at once ({@link Busy}) rather than kept waiting for longer than its client will.
 * Work whose connection closed while it waited is skipped ({@link CallerGone}). Unknown users are checked against
 * a dummy hash, so a failed login takes as long whether or not the account exists.
 */
final class PasswordWork {
    private final PasswordHasher hasher;
    private final Semaphore permits;
    private final int maxQueued;
    /** Work that waited less than this is computed without asking whether its caller is still there. */
    private final long askAfterNanos;
    private final AtomicInteger queued = new AtomicInteger();
    private final String dummyHash;
    private final LongAdder computed = new LongAdder();
    private final LongAdder waitNanos = new LongAdder();
    private final LongAdder computeNanos = new LongAdder();
    private final LongAdder refusedBusy = new LongAdder();
    private final LongAdder skippedGone = new LongAdder();

    /** Too many callers are already waiting for Argon2. */
    static final class Busy extends RuntimeException {
        Busy() {
            super("Argon2 queue full", null, false, false);
        }
    }

    /** The connection that asked closed while its work waited in the queue. */
    static final class CallerGone extends RuntimeException {
        CallerGone() {
            super("caller gone", null, false, false);
        }
    }

    /** Counters since start; {@code waitNanos} and {@code computeNanos} are summed over every computation. */
    record Stats(long computed, long waitNanos, long computeNanos, long refusedBusy, long skippedGone, int queuedNow) {
    }

    PasswordWork(PasswordHasher hasher, int concurrency, int maxQueued) {
        this(hasher, concurrency, maxQueued, Duration.ofSeconds(1));
    }

    /** @param askAfter asking a caller whether it is still there costs it up to a millisecond of read-ahead */
    PasswordWork(PasswordHasher hasher, int concurrency, int maxQueued, Duration askAfter) {
        this.hasher = hasher;
        this.askAfterNanos = askAfter.toNanos();
        this.permits = new Semaphore(concurrency, true);
        this.maxQueued = maxQueued;
        this.dummyHash = hasher.hash("0".repeat(64));
    }

    String hash(String secret, BooleanSupplier stillWanted) {
        long waited = acquire(stillWanted);
        long start = System.nanoTime();
        try {
            return hasher.hash(secret);
        } finally {
            release(waited, start);
        }
    }

    /** Verifies against {@code encoded}, or against the dummy hash when it is null (and then fails). */
    boolean verify(String secret, String encoded, BooleanSupplier stillWanted) {
        long waited = acquire(stillWanted);
        long start = System.nanoTime();
        try {
            boolean matches = hasher.verify(secret, encoded == null ? dummyHash : encoded);
            return matches && encoded != null;
        } finally {
            release(waited, start);
        }
    }

    boolean needsRehash(String encoded) {
        return hasher.needsRehash(encoded);
    }

    Stats stats() {
        return new Stats(computed.sum(), waitNanos.sum(), computeNanos.sum(), refusedBusy.sum(), skippedGone.sum(),
                queued.get());
    }

    /** For tests: permits free now. */
    int permitsAvailable() {
        return permits.availablePermits();
    }

    /**
     * Takes a permit, waiting in line if need be; returns the nanoseconds waited. A caller still waiting after
     * {@code askAfter} is asked once whether it is still there, holding no permit while it answers (asking may take
     * a millisecond and more), then waits again from the back of the line, without asking again.
     */
    private long acquire(BooleanSupplier stillWanted) {
        if (tryAcquireInTurn()) {
            return 0;
        }
        if (queued.incrementAndGet() > maxQueued) {
            queued.decrementAndGet();
            refusedBusy.increment();
            throw new Busy();
        }
        long start = System.nanoTime();
        try {
            if (!tryAcquireWithin(askAfterNanos)) {
                if (!stillWanted.getAsBoolean()) {
                    waitNanos.add(System.nanoTime() - start);
                    skippedGone.increment();
                    throw new CallerGone();
                }
                permits.acquireUninterruptibly();
            }
        } finally {
            queued.decrementAndGet();
        }
        return System.nanoTime() - start;
    }

    private boolean tryAcquireWithin(long nanos) {
        try {
            return permits.tryAcquire(nanos, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A free permit, unless others wait for one (a fair semaphore's {@code tryAcquire()} would barge). */
    private boolean tryAcquireInTurn() {
        try {
            return permits.tryAcquire(0, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private void release(long waited, long computeStart) {
        long end = System.nanoTime();
        permits.release();
        computed.increment();
        waitNanos.add(waited);
        computeNanos.add(end - computeStart);
    }
}
