package dev.p2pchat.registry.limit;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Failed attempts per key (a user name and an address, say) with a back-off that grows: the first {@code free}
 * failures cost nothing, each further one blocks the key for {@code base}, then twice as long, up to {@code max}.
 * Only {@link #failure} changes a key: asking while blocked ({@link #blockedFor}) neither extends nor refills the
 * back-off, so polling a blocked key is free for everyone and gains the poller nothing. A key with no failure for
 * {@code max} plus {@code forgetAfter} is forgotten by {@link #prune()}. Thread-safe.
 */
public final class Backoff {
    private final int free;
    private final long baseMillis;
    private final long maxMillis;
    private final long forgetAfterMillis;
    private final Clock clock;
    private final ConcurrentHashMap<String, State> keys = new ConcurrentHashMap<>();

    public Backoff(int free, Duration base, Duration max, Duration forgetAfter, Clock clock) {
        if (free < 0 || base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("free >= 0 and 0 < base <= max");
        }
        this.free = free;
        this.baseMillis = base.toMillis();
        this.maxMillis = max.toMillis();
        this.forgetAfterMillis = forgetAfter.toMillis();
        this.clock = clock;
    }

    /** How long until {@code key} may try again; zero when it may now. Changes nothing. */
    public Duration blockedFor(String key) {
        State state = keys.get(key);
        if (state == null) {
            return Duration.ZERO;
        }
        long wait = state.blockedUntil - clock.millis();
        return wait <= 0 ? Duration.ZERO : Duration.ofMillis(wait);
    }

    /** Records one failure and returns how many {@code key} has had since it was last forgotten or reset. */
    public int failure(String key) {
        long now = clock.millis();
        State state = keys.compute(key, (k, old) -> {
            int failures = old == null ? 1 : old.failures + 1;
            long until = now;
            if (failures > free) {
                int doublings = Math.min(failures - free - 1, 40);
                until = now + Math.min(maxMillis, baseMillis << doublings);
            }
            return new State(failures, until, now);
        });
        return state.failures;
    }

    public void reset(String key) {
        keys.remove(key);
    }

    /** Forgets keys that have not failed for longer than the longest back-off plus the grace. */
    public void prune() {
        long now = clock.millis();
        keys.values().removeIf(state -> now - state.lastFailure >= maxMillis + forgetAfterMillis);
    }

    int trackedKeys() {
        return keys.size();
    }

    private record State(int failures, long blockedUntil, long lastFailure) {
    }
}
