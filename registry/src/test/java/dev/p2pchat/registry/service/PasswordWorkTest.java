package dev.p2pchat.registry.service;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.security.Argon2Params;
import dev.p2pchat.security.PasswordHasher;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PasswordWorkTest {
    /** Slow enough (hundreds of ms) that a second caller surely finds the only permit taken. */
    static final Argon2Params SLOW = new Argon2Params(64 * 1024, 4, 1);
    static final String DIGEST = "ab".repeat(32);

    final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        threads.shutdownNow();
    }

    @Test
    void aCallerBeyondTheQueueBoundIsTurnedAwayAtOnce() {
        PasswordWork work = new PasswordWork(new PasswordHasher(SLOW, new SecureRandom()), 1, 1);
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> work.hash(DIGEST, () -> true), threads);
        await().until(() -> work.stats().queuedNow() == 0 && !running.isDone() && permitTaken(work));
        CompletableFuture<String> waiting = CompletableFuture.supplyAsync(() -> work.hash(DIGEST, () -> true), threads);
        await().until(() -> work.stats().queuedNow() == 1);

        assertThatThrownBy(() -> work.hash(DIGEST, () -> true)).isInstanceOf(PasswordWork.Busy.class);

        assertThat(running.join()).isNotBlank();
        assertThat(waiting.join()).isNotBlank();
        assertThat(work.stats().refusedBusy()).isEqualTo(1);
        assertThat(work.stats().computed()).isEqualTo(2);
    }

    @Test
    void queuedWorkOfACallerThatLeftIsSkipped() {
        PasswordWork work = new PasswordWork(new PasswordHasher(SLOW, new SecureRandom()), 1, 10, Duration.ZERO);
        CompletableFuture<String> running = CompletableFuture.supplyAsync(() -> work.hash(DIGEST, () -> true), threads);
        await().until(() -> permitTaken(work));
        CompletableFuture<Boolean> abandoned = CompletableFuture.supplyAsync(
                () -> work.verify(DIGEST, null, () -> false), threads);

        assertThatThrownBy(abandoned::join).hasCauseInstanceOf(PasswordWork.CallerGone.class);
        assertThat(running.join()).isNotBlank();
        assertThat(work.stats().skippedGone()).isEqualTo(1);
        assertThat(work.stats().computed()).isEqualTo(1);
    }

    @Test
    void workThatDidNotWaitIsComputedWithoutAskingTheCaller() {
        PasswordWork work = new PasswordWork(new PasswordHasher(Argon2Params.FAST_FOR_TESTS, new SecureRandom()), 1, 0,
                Duration.ZERO);

        String hash = work.hash(DIGEST, () -> false);

        assertThat(work.verify(DIGEST, hash, () -> false)).isTrue();
        assertThat(work.stats().skippedGone()).isZero();
    }

    private static boolean permitTaken(PasswordWork work) {
        return work.permitsAvailable() == 0;
    }
}
