package dev.p2pchat.registry.limit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.transport.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
    final MutableClock clock = new MutableClock();

    @Test
    void allowsABurstThenRefusesUntilRefilled() {
        TokenBucket bucket = new TokenBucket(5, 10, clock);
        for (int i = 0; i < 5; i++) {
            assertThat(bucket.tryTake()).isTrue();
        }

        assertThat(bucket.tryTake()).isFalse();
        clock.advance(Duration.ofMillis(100));
        assertThat(bucket.tryTake()).isTrue();
        assertThat(bucket.tryTake()).isFalse();
    }

    @Test
    void neverHoldsMoreThanTheBurst() {
        TokenBucket bucket = new TokenBucket(3, 100, clock);
        clock.advance(Duration.ofHours(1));

        int taken = 0;
        while (bucket.tryTake()) {
            taken++;
        }

        assertThat(taken).isEqualTo(3);
    }
}
