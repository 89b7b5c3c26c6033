package dev.p2pchat.peer.mesh;

import java.time.Clock;

/**
 * The request-rate cap of one incoming link, a token bucket: up to {@code burst} requests at once, refilled at
 * {@code perSecond}. Owned by the link's reader thread; not thread-safe.
 */
final class RequestRate {
    private final int burst;
    private final double perMilli;
    private final Clock clock;
    private double tokens;
    private long lastMillis;

    RequestRate(int burst, int perSecond, Clock clock) {
        if (burst < 1 || perSecond < 1) {
            throw new IllegalArgumentException("burst and perSecond must be positive");
        }
        this.burst = burst;
        this.perMilli = perSecond / 1000.0;
        this.clock = clock;
        this.tokens = burst;
        this.lastMillis = clock.millis();
    }

    boolean tryTake() {
        long now = clock.millis();
        if (now > lastMillis) {
            tokens = Math.min(burst, tokens + (now - lastMillis) * perMilli);
            lastMillis = now;
        }
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
