package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.cli.render.EventLine;
import dev.p2pchat.cli.session.Receipt;

class LineViewTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:03:04Z");

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final LineView view = new LineView(new PrintStream(bytes, true, StandardCharsets.UTF_8),
            new EventLine(ZoneOffset.UTC));

    private List<String> lines() {
        return bytes.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void ownMessageCarriesItsIdAndTheReceiptNamesIt() {
        view.sent(AT, new Conversation.Direct("bob"), "alice", "hi", "m1");
        view.receipt(AT, "m1", new Receipt.Delivered("bob"));
        view.receipt(AT, "m2", new Receipt.Failed("bob", "bob is offline"));
        view.receipt(AT, "m3", new Receipt.Room(1, 2, List.of("carol")));
        view.receipt(AT, "m4", new Receipt.Room(0, 1, List.of("carol")));

        assertThat(lines()).containsExactly(
                "12:03:04 [chat bob] <alice> hi (pending m1)",
                "12:03:04 ✓ delivered m1 to bob",
                "12:03:04 ✗ failed m2 to bob: bob is offline",
                "12:03:04 ✓ delivered m3 1/2 — missing: carol",
                "12:03:04 ✗ failed m4 0/1: missing: carol");
    }

    @Test
    void messageLeftInAnOfflineRecipientsMailboxSaysSoThenItsDeliveryFollows() {
        view.receipt(AT, "m1", new Receipt.Stored("bob"));
        view.receipt(AT, "m1", new Receipt.Delivered("bob"));

        assertThat(lines()).containsExactly("12:03:04 ✉ stored m1 for bob (offline)", "12:03:04 ✓ delivered m1 to bob");
    }

    @Test
    void remoteTextCannotBreakTheLineOrInjectEscapes() {
        view.message(AT, new Conversation.Room("lobby"), "bob", "line one\n12:00:00 * fake\u001B[31m red");

        assertThat(lines()).containsExactly("12:03:04 [room lobby] <bob> line one↵12:00:00 * fake red");
    }

    @Test
    void blocksAndErrorsAreOneLineEach() {
        view.block(AT, List.of("ROOM  MEMBERS", "lobby 2/50"));
        view.error(AT, "unknown command /x — type /help");

        assertThat(lines()).containsExactly("12:03:04 * ROOM  MEMBERS", "12:03:04 * lobby 2/50",
                "12:03:04 ! error: unknown command /x — type /help");
    }
}
