package dev.p2pchat.peer.registry;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter: attempt {@code n} (from 0) waits between half and all of
 * {@code min(max, base * 2^n)}, so peers that lost the registry together do not return in lockstep.
 * Randomness is injected so the schedule can be tested exactly.
 */
public final class Backoff {
    private final Duration base;
    private final Duration max;
    private final DoubleSupplier random;

    /** @param random yields values in [0, 1) */
    public Backoff(Duration base, Duration max, DoubleSupplier random) {
        this.base = Objects.requireNonNull(base, "base");
        this.max = Objects.requireNonNull(max, "max");
        this.random = Objects.requireNonNull(random, "random");
        if (base.isNegative() || base.isZero() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("need 0 < base <= max");
        }
    }

    public static Backoff withJitter(Duration base, Duration max) {
        return new Backoff(base, max, () -> ThreadLocalRandom.current().nextDouble());
    }

    /** The ceiling of attempt {@code attempt}'s delay, before jitter. */
    public Duration nominal(int attempt) {
        long baseMillis = base.toMillis();
        long maxMillis = max.toMillis();
        int doublings = Math.min(Math.max(attempt, 0), 40);
        long millis = baseMillis;
        for (int i = 0; i < doublings && millis < maxMillis; i++) {
            millis *= 2;
        }
        return Duration.ofMillis(Math.min(millis, maxMillis));
    }

    public Duration delay(int attempt) {
        double r = random.getAsDouble();
        if (r < 0 || r >= 1) {
            throw new IllegalStateException("random value out of [0, 1): " + r);
        }
        long nominal = nominal(attempt).toMillis();
        return Duration.ofMillis(Math.max(1, Math.round(nominal * (1 - 0.5 * r))));
    }
}
