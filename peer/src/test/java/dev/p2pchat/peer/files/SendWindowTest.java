package dev.p2pchat.peer.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.Test;

class SendWindowTest {

    @Test
    void noMoreThanTheCreditIsUnansweredAtOnce() throws Exception {
        SendWindow window = new SendWindow(3);
        assertThat(window.acquire(Duration.ZERO)).isTrue();
        assertThat(window.acquire(Duration.ZERO)).isTrue();
        assertThat(window.acquire(Duration.ZERO)).isTrue();
        assertThat(window.acquire(Duration.ZERO)).as("a fourth chunk before any answer").isFalse();
        assertThat(window.inFlight()).isEqualTo(3);
    }

    @Test
    void anAnswerGivesOneChunkOfCreditBack() throws Exception {
        SendWindow window = new SendWindow(1);
        assertThat(window.acquire(Duration.ZERO)).isTrue();
        CompletableFuture<Boolean> next = CompletableFuture.supplyAsync(() -> {
            try {
                return window.acquire(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(next).isNotDone();
        window.release();
        await().atMost(Duration.ofSeconds(20)).until(next::isDone);
        assertThat(next.get()).isTrue();
        assertThat(window.inFlight()).isEqualTo(1);
    }

    @Test
    void closingWakesAWaitingSenderWithoutCredit() throws Exception {
        SendWindow window = new SendWindow(1);
        window.acquire(Duration.ZERO);
        CompletableFuture<Boolean> waiting = CompletableFuture.supplyAsync(() -> {
            try {
                return window.acquire(Duration.ofMinutes(1));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        window.close();
        await().atMost(Duration.ofSeconds(20)).until(waiting::isDone);
        assertThat(waiting.get()).isFalse();
    }

    @Test
    void awaitEmptyReturnsOnceEveryChunkWasAnswered() throws Exception {
        SendWindow window = new SendWindow(4);
        window.acquire(Duration.ZERO);
        window.acquire(Duration.ZERO);
        assertThat(window.awaitEmpty(Duration.ZERO)).isFalse();
        window.release();
        window.release();
        assertThat(window.awaitEmpty(Duration.ZERO)).isTrue();
    }
}
