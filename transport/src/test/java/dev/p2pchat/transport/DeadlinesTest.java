package dev.p2pchat.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A server's own watchdog ticks a tenth of its channels' shortest deadline, within bounds, and can be closed. */
class DeadlinesTest {

    private static ChannelSettings settings(Duration frame, Duration write) {
        return new ChannelSettings(Duration.ofSeconds(10), frame, null, 1024, write, Duration.ofSeconds(5));
    }

    @Test
    void theTickIsATenthOfTheShortestDeadlineOfAnOpenChannel() {
        // the close's grace (5 s) is not one: a closing channel may go a tick late
        assertThat(Deadlines.tickFor(settings(Duration.ofSeconds(8), Duration.ofSeconds(30))))
                .isEqualTo(Duration.ofMillis(800));
        assertThat(Deadlines.tickFor(settings(Duration.ofSeconds(8), Duration.ofSeconds(2))))
                .isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void theTickStaysBetweenTenMillisecondsAndOneSecond() {
        assertThat(Deadlines.tickFor(settings(Duration.ofMillis(30), Duration.ofMillis(30))))
                .isEqualTo(Deadlines.MIN_TICK);
        assertThat(Deadlines.tickFor(new ChannelSettings(Duration.ofMinutes(5), Duration.ofMinutes(5), null, 1024,
                Duration.ofMinutes(5), Duration.ofMinutes(5)))).isEqualTo(Deadlines.MAX_TICK);
    }

    @Test
    void aClosedWatchdogEndsItsThreadAndTheSharedOneCannotBeClosed() throws InterruptedException {
        Deadlines own = Deadlines.forSettings(settings(Duration.ofSeconds(1), Duration.ofSeconds(1)), "test-deadlines");
        Thread thread = own.thread();
        own.close();
        thread.join(Duration.ofSeconds(30));

        assertThat(thread.isAlive()).isFalse();
        assertThatThrownBy(() -> Deadlines.shared().close()).isInstanceOf(IllegalStateException.class);
    }
}
