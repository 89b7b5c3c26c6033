package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.cli.render.ColorMode;
import dev.p2pchat.cli.render.TerminalCapabilities;
import dev.p2pchat.cli.render.Theme;
import dev.p2pchat.cli.session.Receipt;

class TerminalViewTest {

    private static final Instant AT = Instant.parse("2025-01-01T12:03:04Z");

    private final List<String> printed = new ArrayList<>();
    private final List<String> prompts = new ArrayList<>();

    private TerminalView view(ColorMode mode, boolean links) {
        return new TerminalView(Theme.of(mode), new TerminalCapabilities(256, links), ZoneOffset.UTC,
                printed::add, prompts::add);
    }

    @Test
    void withoutColourAMessageIsPlainText() {
        view(ColorMode.NO_COLOR, false).message(AT, new Conversation.Room("lobby"), "bob", "hello *all*");

        assertThat(printed).containsExactly("12:03 [#lobby] bob: hello *all*");
    }

    @Test
    void aReceiptRightAfterItsMessageIsIndentedUnderTheText() {
        TerminalView view = view(ColorMode.NO_COLOR, false);

        view.sent(AT, new Conversation.Direct("bob"), "alice", "hi", "m1");
        view.receipt(AT, "m1", new Receipt.Delivered("bob"));

        assertThat(printed).containsExactly(
                "12:03 [bob] alice: hi …",
                "                   ✓ delivered to bob");
    }

    @Test
    void aLaterReceiptQuotesItsMessage() {
        TerminalView view = view(ColorMode.NO_COLOR, false);

        view.sent(AT, new Conversation.Room("lobby"), "alice", "hello everyone, this is a long message", "m1");
        view.message(AT, new Conversation.Room("lobby"), "bob", "hi");
        view.receipt(AT, "m1", new Receipt.Room(2, 2, List.of()));

        assertThat(printed).containsExactly(
                "12:03 [#lobby] alice: hello everyone, this is a long message …",
                "12:03 [#lobby] bob: hi",
                "                      ✓ 2/2 delivered · \"hello everyone, this is…\"");
    }

    @Test
    void roomReceiptsSayWhoIsMissing() {
        TerminalView view = view(ColorMode.NO_COLOR, false);

        view.sent(AT, new Conversation.Room("lobby"), "alice", "a", "m1");
        view.receipt(AT, "m1", new Receipt.Room(1, 2, List.of("carol")));
        view.sent(AT, new Conversation.Room("lobby"), "alice", "b", "m2");
        view.receipt(AT, "m2", new Receipt.Room(0, 0, List.of()));
        view.sent(AT, new Conversation.Room("lobby"), "alice", "c", "m3");
        view.receipt(AT, "m3", new Receipt.Room(1, 1, List.of()));
        view.sent(AT, new Conversation.Room("lobby"), "alice", "c", "m3");
        view.receipt(AT, "m3", new Receipt.Room(0, 1, List.of("bob")));

        assertThat(printed).extracting(String::strip).containsSubsequence(
                "✓ 1/2 delivered — missing: carol",
                "✓ 0/0 — nobody else is in the room",
                "✓ 1/1 delivered",
                "✗ 0/1 delivered — missing: bob");
    }

    @Test
    void aReceiptForAnUnknownMessageStandsOnItsOwn() {
        view(ColorMode.NO_COLOR, false).receipt(AT, "old", new Receipt.Failed("bob", "bob is offline"));

        assertThat(printed).containsExactly("12:03 ✗ not delivered to bob: bob is offline");
    }

    @Test
    void withColourTheDeliveredReceiptIsDimmed() {
        TerminalView view = view(ColorMode.COLOR, false);

        view.sent(AT, new Conversation.Direct("bob"), "alice", "hi", "m1");
        view.receipt(AT, "m1", new Receipt.Delivered("bob"));

        assertThat(printed.getLast()).contains("\u001B[").contains("✓").contains("delivered to bob");
        assertThat(printed.getLast()).matches("(?s).*\u001B\\[[0-9;]*(90|38;5;8)m.*delivered to bob.*");
    }

    @Test
    void aLostRegistryShowsAStatusLineAndMarksThePrompt() {
        TerminalView view = view(ColorMode.NO_COLOR, false);
        view.stateChanged("alice", Optional.of(new Conversation.Room("lobby")));

        view.connection(AT, new dev.p2pchat.cli.session.ChatView.Connection(false, "lost the registry — reconnecting…"));
        view.connection(AT, new dev.p2pchat.cli.session.ChatView.Connection(true, "reconnected to the registry"));

        assertThat(printed).containsExactly("12:03 ! lost the registry — reconnecting…",
                "12:03 * reconnected to the registry");
        assertThat(prompts).containsExactly("alice@lobby> ", "alice@lobby (offline)> ", "alice@lobby> ");
    }

    @Test
    void escapeSequencesFromPeersNeverReachTheTerminal() {
        view(ColorMode.COLOR, true).message(AT, new Conversation.Room("lobby"), "bob\u001B]0;owned\u0007",
                "x\u001B[2J\u001B]8;;http://evil\u001B\\y\u009B31m");

        String out = printed.getFirst();
        assertThat(out).doesNotContain("owned", "[2J", "evil");
        assertThat(out.replaceAll("\u001B\\[[0-9;]*m", "")).isEqualTo("12:03 [#lobby] bob: xy");
    }

    @Test
    void linksBecomeOsc8HyperlinksWhenEnabled() {
        view(ColorMode.COLOR, true).message(AT, new Conversation.Room("lobby"), "bob", "see https://example.org");

        assertThat(printed.getFirst()).contains("\u001B]8;;https://example.org\u001B\\");
    }

    @Test
    void colourStylesTheSenderAndMarkup() {
        view(ColorMode.COLOR, false).message(AT, new Conversation.Room("lobby"), "bob", "*bold*");

        assertThat(printed.getFirst()).contains("\u001B[").doesNotContain("*bold*").contains("bold");
    }

    @Test
    void promptNamesUserAndConversation() {
        TerminalView view = view(ColorMode.NO_COLOR, false);

        view.stateChanged("alice", Optional.of(new Conversation.Room("lobby")));
        view.stateChanged("alice", Optional.of(new Conversation.Direct("bob")));
        view.stateChanged(null, Optional.empty());

        assertThat(prompts).containsExactly("alice@lobby> ", "alice→bob> ", "p2pchat> ");
    }

    @Test
    void anActionIsShownAsStarNameAction() {
        TerminalView view = view(ColorMode.NO_COLOR, false);

        view.message(AT, new Conversation.Room("lobby"), "bob", "/me waves");
        view.sent(AT, new Conversation.Room("lobby"), "alice", "/me waves back", "m1");
        view.receipt(AT, "m1", new Receipt.Room(1, 1, List.of()));
        view.message(AT, new Conversation.Room("lobby"), "bob", "/me ");

        assertThat(printed).containsExactly(
                "12:03 [#lobby] * bob waves",
                "12:03 [#lobby] * alice waves back …",
                "                       ✓ 1/1 delivered",
                "12:03 [#lobby] bob: /me");
    }

    @Test
    void aStatusLineListsBuffersWithCountsAndIsCutToTheWidth() {
        TerminalView view = view(ColorMode.NO_COLOR, false);
        List<Buffers.Entry> entries = List.of(new Buffers.Entry(1, "status", 0, false, false),
                new Buffers.Entry(2, "#lobby", 3, false, true), new Buffers.Entry(3, "bob", 1, true, false));

        assertThat(view.statusLine(entries, 80).toString()).isEqualTo("1:status [2:#lobby(3)] 3:bob(1!)");
        assertThat(view.statusLine(entries, 10).toString()).isEqualTo("1:status ");
    }

    private final List<String> places = new ArrayList<>();
    /** The lines as the buffers keep them, to be wrapped again at another width. */
    private final List<ScreenLine> kept = new ArrayList<>();

    private TerminalView buffered(String timestamps, int width) {
        return new TerminalView(Theme.of(ColorMode.NO_COLOR), new TerminalCapabilities(256, false), ZoneOffset.UTC, timestamps,
                NotifyLevel.MENTIONS, () -> width, new TerminalView.Output() {
                    @Override
                    public void line(Buffers.Place place, ScreenLine line, Buffers.Activity activity, String alert) {
                        printed.add(line.at(width));
                        kept.add(line);
                        places.add(place + " " + activity + (alert == null ? "" : " alert: " + alert));
                    }

                    @Override
                    public void chatRequest(Buffers.Place place, String from, ScreenLine line, String alert) {
                        line(place, line, Buffers.Activity.HIGHLIGHT, alert);
                    }

                    @Override
                    public void focus(Optional<Conversation> conversation) {
                    }

                    @Override
                    public void prompt(String ansi) {
                        prompts.add(ansi);
                    }
                });
    }

    @Test
    void longMessagesWrapAtWordsWithTheContinuationUnderTheText() {
        buffered("HH:mm", 40).message(AT, new Conversation.Room("lobby"), "bob",
                "the quick brown fox jumps over the lazy dog and keeps running\nsecond line");

        assertThat(printed.getFirst().split("\n")).containsExactly(
                "12:03 [#lobby] bob: the quick brown fox",
                "                    jumps over the lazy",
                "                    dog and keeps",
                "                    running",
                "                    second line");
    }

    @Test
    void aKeptLineIsWrappedAgainAtANewWidth() {
        buffered("HH:mm", 40).message(AT, new Conversation.Room("lobby"), "bob",
                "the quick brown fox jumps over the lazy dog and keeps running");

        assertThat(kept.getFirst().at(60).split("\n")).containsExactly(
                "12:03 [#lobby] bob: the quick brown fox jumps over the lazy",
                "                    dog and keeps running");
        assertThat(kept.getFirst().at(0)).isEqualTo("12:03 [#lobby] bob: the quick brown fox jumps over the lazy dog and keeps running");
    }

    @Test
    void anOwnMessageKeepsRoomForItsPendingMark() {
        buffered("HH:mm", 30).sent(AT, new Conversation.Direct("bob"), "alice", "aaaa bbbb cccc", "m1");

        assertThat(printed.getFirst().split("\n")).allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(30));
    }

    @Test
    void timestampsMayShowSecondsAndADateLineMarksANewDayInEachBuffer() {
        TerminalView view = buffered("HH:mm:ss", 0);
        Conversation lobby = new Conversation.Room("lobby");

        view.message(AT, lobby, "bob", "before midnight");
        view.message(AT.plusSeconds(86_400), lobby, "bob", "the next day");
        view.message(AT.plusSeconds(86_400), new Conversation.Direct("carol"), "carol", "first line here");

        assertThat(printed).containsExactly(
                "12:03:04 [#lobby] bob: before midnight",
                "-- Thursday 2 January 2025 --",
                "12:03:04 [#lobby] bob: the next day",
                "12:03:04 [carol] carol: first line here");
    }

    @Test
    void aMentionIsHighlightedAndAlertsAndAPrivateMessageAlerts() {
        TerminalView view = buffered("HH:mm", 0);
        view.stateChanged("alice", Optional.empty());

        view.message(AT, new Conversation.Room("lobby"), "bob", "hi Alice!");
        view.message(AT, new Conversation.Room("lobby"), "bob", "hi malice");
        view.message(AT, new Conversation.Direct("bob"), "bob", "psst");
        view.chatRequest(AT, "carol", "carol asks for a private chat");

        assertThat(places).containsExactly(
                "Of[conversation=Room[name=lobby]] HIGHLIGHT alert: bob in #lobby: hi Alice!",
                "Of[conversation=Room[name=lobby]] MESSAGE",
                "Of[conversation=Direct[name=bob]] MESSAGE alert: bob: psst",
                "Status[] HIGHLIGHT alert: carol asks for a private chat");
    }
}
