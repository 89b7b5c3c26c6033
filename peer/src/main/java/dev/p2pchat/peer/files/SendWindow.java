package dev.p2pchat.peer.files;

import java.time.Duration;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The sender's side of a transfer's flow control: at most {@code credit} chunks may be unanswered at once, and
 * each answer from the receiver gives one back. So a transfer never has more than credit x chunk size waiting in
 * the link's writer queue, and a chat message sent meanwhile waits behind at most that much.
 */
public final class SendWindow {
    private final int credit;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition freed = lock.newCondition();
    private int inFlight;
    private boolean closed;

    public SendWindow(int credit) {
        if (credit < 1) {
            throw new IllegalArgumentException("credit must be positive: " + credit);
        }
        this.credit = credit;
    }

    /**
     * Takes one chunk's credit, waiting up to {@code timeout} for an answer to free one. False when none came in
     * time or the window was closed.
     */
    public boolean acquire(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (!closed && inFlight >= credit) {
                if (left <= 0) {
                    return false;
                }
                left = freed.awaitNanos(left);
            }
            if (closed) {
                return false;
            }
            inFlight++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** An answer came (or the chunk failed): its credit is free again. */
    public void release() {
        lock.lock();
        try {
            if (inFlight > 0) {
                inFlight--;
            }
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Waits until every chunk sent was answered, up to {@code timeout}; false if some were not. */
    public boolean awaitEmpty(Duration timeout) throws InterruptedException {
        long left = timeout.toNanos();
        lock.lock();
        try {
            while (inFlight > 0 && !closed) {
                if (left <= 0) {
                    return false;
                }
                left = freed.awaitNanos(left);
            }
            return inFlight == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Wakes every waiter; no more credit is handed out. */
    public void close() {
        lock.lock();
        try {
            closed = true;
            freed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    public int inFlight() {
        lock.lock();
        try {
            return inFlight;
        } finally {
            lock.unlock();
        }
    }

    public int credit() {
        return credit;
    }
}
