package dev.p2pchat.peer.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {
    private static final Duration BASE = Duration.ofMillis(500);
    private static final Duration MAX = Duration.ofSeconds(30);

    @Test
    void nominalDelayDoublesFromTheBaseUpToTheCap() {
        Backoff backoff = new Backoff(BASE, MAX, () -> 0.0);
        assertThat(IntStream.range(0, 9).mapToObj(backoff::nominal).map(Duration::toMillis))
                .containsExactly(500L, 1_000L, 2_000L, 4_000L, 8_000L, 16_000L, 30_000L, 30_000L, 30_000L);
    }

    @Test
    void jitterTakesUpToHalfOffTheNominalDelay() {
        assertThat(new Backoff(BASE, MAX, () -> 0.0).delay(2)).isEqualTo(Duration.ofMillis(2_000));
        assertThat(new Backoff(BASE, MAX, () -> 0.5).delay(2)).isEqualTo(Duration.ofMillis(1_500));
        assertThat(new Backoff(BASE, MAX, () -> 0.999).delay(2).toMillis()).isBetween(1_000L, 1_002L);
    }

    @Test
    void delayNeverExceedsTheCapEvenAfterManyAttempts() {
        Backoff backoff = new Backoff(BASE, MAX, () -> 0.0);
        assertThat(backoff.delay(1_000)).isEqualTo(MAX);
        assertThat(backoff.delay(Integer.MAX_VALUE)).isEqualTo(MAX);
        assertThat(backoff.delay(-3)).isEqualTo(BASE);
    }

    @Test
    void randomJitterStaysWithinBounds() {
        Backoff backoff = Backoff.withJitter(BASE, MAX);
        for (int attempt = 0; attempt < 12; attempt++) {
            long nominal = backoff.nominal(attempt).toMillis();
            assertThat(backoff.delay(attempt).toMillis()).isBetween(nominal / 2, nominal);
        }
    }

    @Test
    void refusesNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, MAX, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(MAX, BASE, () -> 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Backoff(BASE, MAX, () -> 1.0).delay(0)).isInstanceOf(IllegalStateException.class);
    }
}
