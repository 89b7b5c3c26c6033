package dev.p2pchat.registry.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counts events (failed logins) per key over a sliding window: a key is blocked while it has {@code maxEvents}
 * events in the last {@code window}. Each key keeps only its last {@code maxEvents} timestamps, so memory per key
 * is fixed; {@link #prune()} forgets keys whose events have all left the window. Thread-safe.
 */
public final class SlidingWindowLimiter {
    private final int maxEvents;
    private final long windowMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> windows = new ConcurrentHashMap<>();

    public SlidingWindowLimiter(int maxEvents, Duration window, Clock clock) {
        if (maxEvents < 1) {
            throw new IllegalArgumentException("maxEvents must be at least 1: " + maxEvents);
        }
        this.maxEvents = maxEvents;
        this.windowMillis = window.toMillis();
        this.clock = clock;
    }

    /** How long until {@code key} may try again; zero when it may now. */
    public Duration blockedFor(String key) {
        Window window = windows.get(key);
        if (window == null) {
            return Duration.ZERO;
        }
        long wait = window.waitMillis(clock.millis());
        return wait <= 0 ? Duration.ZERO : Duration.ofMillis(wait);
    }

    public boolean isBlocked(String key) {
        return !blockedFor(key).isZero();
    }

    public void record(String key) {
        long now = clock.millis();
        windows.compute(key, (k, window) -> {
            Window w = window == null ? new Window(maxEvents, windowMillis) : window;
            w.add(now);
            return w;
        });
    }

    public void reset(String key) {
        windows.remove(key);
    }

    /** Drops keys with no event inside the window. */
    public void prune() {
        long now = clock.millis();
        windows.values().removeIf(window -> window.idle(now));
    }

    int trackedKeys() {
        return windows.size();
    }

    /** The last {@code maxEvents} event times in a ring; {@code next} is the oldest once the ring is full. */
    private static final class Window {
        private final long[] times;
        private final long windowMillis;
        private int next;
        private int count;

        Window(int maxEvents, long windowMillis) {
            this.times = new long[maxEvents];
            this.windowMillis = windowMillis;
        }

        synchronized void add(long now) {
            times[next] = now;
            next = (next + 1) % times.length;
            count = Math.min(count + 1, times.length);
        }

        synchronized long waitMillis(long now) {
            if (count < times.length) {
                return 0;
            }
            long oldest = times[next];
            return oldest + windowMillis - now;
        }

        synchronized boolean idle(long now) {
            if (count == 0) {
                return true;
            }
            long newest = times[(next - 1 + times.length) % times.length];
            return newest + windowMillis <= now;
        }
    }
}
