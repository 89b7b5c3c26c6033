package dev.p2pchat.registry.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.transport.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class BackoffTest {
    final MutableClock clock = new MutableClock();
    final Backoff backoff = new Backoff(2, Duration.ofSeconds(1), Duration.ofSeconds(8), Duration.ofMinutes(1), clock);

    @Test
    void theFirstFreeFailuresCostNothing() {
        backoff.failure("k");
        backoff.failure("k");

        assertThat(backoff.blockedFor("k")).isZero();
    }

    @Test
    void eachFurtherFailureDoublesTheBackOffUpToTheCap() {
        backoff.failure("k");
        backoff.failure("k");
        Duration[] expected = {Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(4),
                Duration.ofSeconds(8), Duration.ofSeconds(8)};
        for (Duration wait : expected) {
            backoff.failure("k");
            assertThat(backoff.blockedFor("k")).isEqualTo(wait);
            clock.advance(wait);
        }
    }

    @Test
    void askingWhileBlockedNeitherExtendsNorRefillsTheBackOff() {
        for (int i = 0; i < 3; i++) {
            backoff.failure("k");
        }
        for (int i = 0; i < 10; i++) {
            backoff.blockedFor("k");
            clock.advance(Duration.ofMillis(100));
        }

        assertThat(backoff.blockedFor("k")).isZero();
    }

    @Test
    void keysAreIndependent() {
        for (int i = 0; i < 3; i++) {
            backoff.failure("a");
        }

        assertThat(backoff.blockedFor("b")).isZero();
    }

    @Test
    void aKeyQuietForTheCapAndTheGraceIsForgotten() {
        for (int i = 0; i < 5; i++) {
            backoff.failure("k");
        }
        clock.advance(Duration.ofSeconds(8).plus(Duration.ofMinutes(1)));

        backoff.prune();

        assertThat(backoff.trackedKeys()).isZero();
        assertThat(backoff.failure("k")).isEqualTo(1);
    }
}
