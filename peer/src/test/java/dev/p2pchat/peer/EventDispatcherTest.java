package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The event queue is bounded, never blocks an emitter and never drops a message. */
class EventDispatcherTest {
    final CountDownLatch release = new CountDownLatch(1);
    final List<PeerEvent> seen = new CopyOnWriteArrayList<>();
    final EventDispatcher dispatcher = new EventDispatcher(e -> {
        awaitRelease();
        seen.add(e);
    });

    private void awaitRelease() {
        try {
            release.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        dispatcher.close();
    }

    @Test
    void aFloodOfChatRequestsBehindAStuckListenerIsShedAndCountedButMessagesAreKept() {
        dispatcher.emit(new PeerEvent.Notice("first")); // the listener is stuck on this one
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.waiting() == 0);
        for (int i = 0; i < 10_000; i++) {
            dispatcher.emitSheddable(new PeerEvent.ChatRequested("user" + i));
        }
        dispatcher.emit(new PeerEvent.DirectMessageReceived("m1", "bob", java.time.Instant.EPOCH, "kept"));
        assertThat(dispatcher.waiting()).isEqualTo(EventDispatcher.SHED_ABOVE + 1);

        release.countDown();

        await().atMost(Duration.ofSeconds(10)).until(() -> seen.stream().anyMatch(
                e -> e instanceof PeerEvent.Notice n && n.text().startsWith((10_000 - EventDispatcher.SHED_ABOVE) + " ")));
        assertThat(seen).filteredOn(PeerEvent.ChatRequested.class::isInstance).hasSize(EventDispatcher.SHED_ABOVE);
        assertThat(seen).contains(new PeerEvent.DirectMessageReceived("m1", "bob", java.time.Instant.EPOCH, "kept"));
    }

    @Test
    void messagesAreRefusedForNowOnlyWhenTheListenerIsFarBehind() {
        dispatcher.emit(new PeerEvent.Notice("first"));
        await().atMost(Duration.ofSeconds(10)).until(() -> dispatcher.waiting() == 0);
        for (int i = 0; i < EventDispatcher.MESSAGES_UP_TO - 1; i++) {
            dispatcher.emit(new PeerEvent.Delivered("m" + i, "bob"));
        }
        assertThat(dispatcher.hasRoomForMessages()).isTrue();
        dispatcher.emit(new PeerEvent.Delivered("last", "bob"));
        assertThat(dispatcher.hasRoomForMessages()).isFalse();

        release.countDown();
        await().atMost(Duration.ofSeconds(10)).until(dispatcher::hasRoomForMessages);
    }
}
