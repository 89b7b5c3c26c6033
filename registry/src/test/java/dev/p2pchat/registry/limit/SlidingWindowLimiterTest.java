package dev.p2pchat.registry.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.transport.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class SlidingWindowLimiterTest {
    final MutableClock clock = new MutableClock();
    final SlidingWindowLimiter limiter = new SlidingWindowLimiter(3, Duration.ofMinutes(1), clock);

    @Test
    void blocksAKeyOnceItReachesTheLimitWithinTheWindow() {
        limiter.record("alice");
        limiter.record("alice");
        assertThat(limiter.isBlocked("alice")).isFalse();

        limiter.record("alice");

        assertThat(limiter.isBlocked("alice")).isTrue();
        assertThat(limiter.isBlocked("bob")).isFalse();
    }

    @Test
    void unblocksWhenTheOldestEventLeavesTheWindow() {
        limiter.record("alice");
        clock.advance(Duration.ofSeconds(30));
        limiter.record("alice");
        limiter.record("alice");

        assertThat(limiter.blockedFor("alice")).isEqualTo(Duration.ofSeconds(30));
        clock.advance(Duration.ofSeconds(30));

        assertThat(limiter.isBlocked("alice")).isFalse();
        limiter.record("alice");
        assertThat(limiter.isBlocked("alice")).as("two recent events plus a new one").isTrue();
    }

    @Test
    void resetForgetsAKey() {
        limiter.record("alice");
        limiter.record("alice");
        limiter.record("alice");

        limiter.reset("alice");

        assertThat(limiter.isBlocked("alice")).isFalse();
    }

    @Test
    void pruneForgetsKeysWithNoEventInTheWindow() {
        limiter.record("old");
        clock.advance(Duration.ofSeconds(45));
        limiter.record("recent");
        clock.advance(Duration.ofSeconds(20));

        limiter.prune();

        assertThat(limiter.trackedKeys()).isEqualTo(1);
    }
}
