package dev.p2pchat.cli.session;

import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.peer.history.HistoryLine;

/** What /history, /find and /forget show, and the lines replayed at login: lines for the chat view. */
final class HistoryLines {
    static final int DEFAULT_LINES = 20;
    static final int SEARCH_HITS = 50;
    private static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT)
            .withZone(ZoneId.systemDefault());

    private HistoryLines() {
    }

    /** The history's name for a conversation: {@code @user} or {@code #room}. */
    static String key(Conversation conversation) {
        return switch (conversation) {
            case Conversation.Direct d -> HistoryLine.direct(d.name());
            case Conversation.Room r -> HistoryLine.room(r.name());
        };
    }

    static List<String> shownAtLogin(PeerEvent.HistoryShown shown) {
        List<String> lines = new ArrayList<>();
        lines.add("— earlier in " + shown.conversation() + " (from the history) —");
        shown.lines().forEach(l -> lines.add(line(l, false)));
        return lines;
    }

    /** The conversation a history key ({@code @user} or {@code #room}) names. */
    static Conversation conversation(String key) {
        return key.startsWith("#") ? new Conversation.Room(key.substring(1)) : new Conversation.Direct(
                key.startsWith("@") ? key.substring(1) : key);
    }

    static List<String> history(ChatPeer peer, Conversation conversation, int n) throws PeerException {
        List<HistoryLine> found = peer.history(key(conversation), n);
        if (found.isEmpty()) {
            return List.of("no history for " + key(conversation));
        }
        List<String> lines = new ArrayList<>();
        lines.add("— last " + found.size() + " in " + key(conversation) + " —");
        found.forEach(l -> lines.add(line(l, false)));
        return lines;
    }

    static List<String> find(ChatPeer peer, String words) throws PeerException {
        List<HistoryLine> found = peer.searchHistory(words, SEARCH_HITS);
        if (found.isEmpty()) {
            return List.of("nothing in the history matches " + words);
        }
        List<String> lines = new ArrayList<>();
        lines.add(found.size() + (found.size() == SEARCH_HITS ? "+" : "") + " found, newest first:");
        found.forEach(l -> lines.add(line(l, true)));
        return lines;
    }

    static List<String> forget(ChatPeer peer, Conversation conversation) throws PeerException {
        int n = peer.forgetHistory(key(conversation));
        return List.of("forgot " + n + " message" + (n == 1 ? "" : "s") + " of " + key(conversation));
    }

    private static String line(HistoryLine l, boolean withConversation) {
        String state = switch (l.state()) {
            case RECEIVED -> "";
            case PENDING -> " (… pending)";
            case STORED -> " (✉ stored)";
            case DELIVERED -> l.conversation().startsWith("#") && !l.deliveredTo().isEmpty()
                    ? " (✓ " + String.join(", ", l.deliveredTo()) + ")" : " (✓)";
            case FAILED -> " (✗ failed)";
        };
        return WHEN.format(l.sentAt() != null ? l.sentAt() : l.receivedAt()) + (withConversation
                ? " " + l.conversation() : "") + " " + l.sender() + ": " + l.text() + state;
    }
}
