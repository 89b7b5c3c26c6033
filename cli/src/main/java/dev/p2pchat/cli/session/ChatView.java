package dev.p2pchat.cli.session;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import dev.p2pchat.cli.command.Conversation;

/**
 * Where a {@link ChatSession} shows what happens: the terminal UI or plain line output. Every text passed
 * here may hold anything a remote peer sent; implementations sanitise it before display. Calls come from
 * the input thread and the peer's event thread, never at the same time (the session serialises them).
 */
public interface ChatView {

    /** A message someone else wrote in {@code conversation}. */
    void message(Instant at, Conversation conversation, String sender, String text);

    /** A message this user just sent, not yet confirmed; a {@link #receipt} with the same id follows. */
    void sent(Instant at, Conversation conversation, String sender, String text, String id);

    /** How sent message {@code id} fared; {@code id} may be unknown to the view (sent before a restart). */
    void receipt(Instant at, String id, Receipt receipt);

    /** Something that happened, one line. */
    void notice(Instant at, String text);

    /** Something that happened in {@code room} (a member came or went); shown in that room's buffer where there is one. */
    default void roomNotice(Instant at, String room, String text) {
        notice(at, text);
    }

    /** Something that happened in the private chat with {@code with} (a file transfer); shown in its buffer. */
    default void chatNotice(Instant at, String with, String text) {
        notice(at, text);
    }

    /**
     * How far file transfer {@code key} (with {@code with}) has come, one line with its progress bar. A view with a
     * status area shows it there, in place, until {@link #transferEnded}; without one it is a line in that chat.
     */
    default void transferProgress(Instant at, String with, String key, String text) {
        chatNotice(at, with, text);
    }

    /** File transfer {@code key} is over (done, interrupted, failed): its progress line goes. */
    default void transferEnded(String key) {
    }

    /** A setting changed by /set; a view applies those it shows (notify, timestamps). */
    default void settingChanged(String key, String value) {
    }

    /** {@code from} asks for a private chat; a view may fold a flood of these into one line. */
    default void chatRequest(Instant at, String from, String text) {
        notice(at, text);
    }

    /** A command that failed or input that was refused, one line. */
    void error(Instant at, String text);

    /**
     * The last lines of {@code conversation} from the chat history, shown at login so that a restarted peer shows
     * its conversations: in that conversation's own buffer (created if need be), marked and dimmed as history, and
     * not counted as new activity. Without buffers they are a block.
     */
    default void history(Instant at, Conversation conversation, List<String> lines) {
        block(at, lines);
    }

    /** Several lines that belong together: a table, the help. */
    void block(Instant at, List<String> lines);

    /** The link to the registry went down ({@code up} false: reconnecting, offline) or came back. */
    void connection(Instant at, Connection change);

    /** @param up whether the registry can be reached now; @param text one line saying what happened */
    record Connection(boolean up, String text) {}

    /** The logged-in user (null when logged out) or the current conversation changed. */
    void stateChanged(String username, Optional<Conversation> current);
}
