package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UiActorTest {

    /** A terminal that is stuck in its first print until released, as a slow terminal would be. */
    private static final class SlowScreen implements UiActor.Screen {
        final List<String> printed = new CopyOnWriteArrayList<>();
        final List<String> prompts = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final List<String> alerts = new CopyOnWriteArrayList<>();
        final List<String> redraws = new CopyOnWriteArrayList<>();
        final List<String> statusLines = new CopyOnWriteArrayList<>();
        volatile boolean focused = true;
        volatile int width = 80;

        @Override
        public int width() {
            return width;
        }

        @Override
        public void redraw(String lines) {
            redraws.add(lines);
        }

        @Override
        public void status(List<Buffers.Entry> entries) {
            statusLines.add(String.join(" ", entries.stream().map(Buffers.Entry::toString).toList()));
        }

        @Override
        public void alert(String text) {
            alerts.add(text);
        }

        @Override
        public boolean focused() {
            return focused;
        }

        @Override
        public void printAbove(String lines) {
            printed.add(lines);
            if (printed.size() == 1) {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        @Override
        public void prompt(String prompt) {
            prompts.add(prompt);
        }
    }

    private final SlowScreen screen = new SlowScreen();
    private UiActor actor;

    @AfterEach
    void close() throws Exception {
        screen.release.countDown();
        if (actor != null) {
            actor.close();
        }
    }

    private UiActor start(int capacity) {
        actor = new UiActor(screen, capacity, from -> from.size() + " more chat requests from " + String.join(", ", from.stream().distinct().toList()),
                count -> count + " lines not shown").start();
        return actor;
    }

    @Test
    void linesQueuedWhileTheTerminalIsBusyAreShownInOnePrint() {
        start(100);
        actor.print("first");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.printed.size() == 1);

        for (int i = 1; i <= 20; i++) {
            actor.print("line " + i);
        }
        screen.release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> screen.printed.size() == 2);
        assertThat(screen.printed.get(1).split("\n")).hasSize(20).startsWith("line 1").endsWith("line 20");
    }

    @Test
    void aFloodOfChatRequestsBecomesOneLineAfterTheFirstFew() {
        start(100);
        actor.print("first");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.printed.size() == 1);

        for (int i = 1; i <= 15; i++) {
            actor.printChatRequest("mallory" + (i % 2), "mallory" + (i % 2) + " asks " + i);
        }
        actor.print("a room line");
        screen.release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> screen.printed.size() == 2);
        assertThat(screen.printed.get(1).split("\n")).containsExactly(
                "mallory1 asks 1", "mallory0 asks 2", "mallory1 asks 3",
                "12 more chat requests from mallory0, mallory1", "a room line");
    }

    @Test
    void aFullQueueDropsTheOldestLinesAndSaysHowManyWithoutBlockingTheSender() {
        start(5);
        actor.print("first");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.printed.size() == 1);

        for (int i = 1; i <= 8; i++) {
            actor.print("line " + i); // never blocks, although the terminal is stuck
        }
        screen.release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> screen.printed.size() == 2);
        assertThat(screen.printed.get(1).split("\n")).containsExactly(
                "3 lines not shown", "line 4", "line 5", "line 6", "line 7", "line 8");
    }

    @Test
    void onlyTheLatestPromptIsShown() {
        start(10);
        actor.print("first");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.printed.size() == 1);

        actor.prompt("alice> ");
        actor.prompt("alice@lobby> ");
        screen.release.countDown();

        await().atMost(Duration.ofSeconds(30)).until(() -> !screen.prompts.isEmpty());
        assertThat(screen.prompts).containsExactly("alice@lobby> ");
    }

    private static final dev.p2pchat.cli.command.Conversation LOBBY = new dev.p2pchat.cli.command.Conversation.Room("lobby");
    private static final dev.p2pchat.cli.command.Conversation BOB = new dev.p2pchat.cli.command.Conversation.Direct("bob");

    @Test
    void linesOfAnotherBufferAreCountedNotPrintedAndASwitchRedrawsThem() {
        start(100);
        screen.release.countDown();
        actor.focus(java.util.Optional.of(LOBBY));
        actor.print(new Buffers.Place.Of(LOBBY), "lobby 1", Buffers.Activity.MESSAGE, null);
        actor.print(new Buffers.Place.Of(BOB), "bob 1", Buffers.Activity.MESSAGE, null);
        actor.print(new Buffers.Place.Of(BOB), "bob 2", Buffers.Activity.MESSAGE, null);

        await().atMost(Duration.ofSeconds(30)).until(() -> screen.statusLines.contains("1:status [2:#lobby] 3:bob(2)"));
        // The switch to the lobby and its first line may come in one batch: then the redraw shows the line.
        String onScreen = String.join("\n", screen.printed) + "\n" + String.join("\n", screen.redraws);
        assertThat(onScreen).contains("lobby 1").doesNotContain("bob 1");

        actor.focus(java.util.Optional.of(BOB));
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.redraws.contains("bob 1\nbob 2"));
        assertThat(actor.buffer(3)).contains(java.util.Optional.of(BOB));
        assertThat(actor.neighbour(1)).isEmpty();
    }

    @Test
    void aResizedWindowShowsTheBufferAgainWrappedAtTheNewWidth() {
        start(100);
        screen.release.countDown();
        actor.focus(java.util.Optional.of(LOBBY));
        ScreenLine line = columns -> "width " + columns;
        actor.print(new Buffers.Place.Of(LOBBY), line, Buffers.Activity.MESSAGE, null);
        actor.print(new Buffers.Place.Of(BOB), "bob 1", Buffers.Activity.MESSAGE, null);
        await().atMost(Duration.ofSeconds(30)).until(() -> (String.join("\n", screen.printed) + String.join("\n", screen.redraws))
                .contains("width 80"));

        screen.width = 50;
        // No new line needed: the actor looks at the width at least once a second.
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.redraws.contains("width 50"));
        assertThat(String.join("\n", screen.redraws)).doesNotContain("bob 1");
    }

    @Test
    void anAlertRingsUnlessItsBufferIsShownAndTheTerminalHasTheFocus() {
        start(100);
        screen.release.countDown();
        actor.focus(java.util.Optional.of(LOBBY));
        actor.print(new Buffers.Place.Of(LOBBY), "alice: hi", Buffers.Activity.HIGHLIGHT, "shown and focused");
        actor.print(new Buffers.Place.Of(BOB), "bob: psst", Buffers.Activity.HIGHLIGHT, "in another buffer");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.alerts.contains("in another buffer"));

        screen.focused = false;
        actor.print(new Buffers.Place.Of(LOBBY), "alice: again", Buffers.Activity.HIGHLIGHT, "shown, not focused");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.alerts.contains("shown, not focused"));
        assertThat(screen.alerts).doesNotContain("shown and focused");
    }
}
