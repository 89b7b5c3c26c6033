package dev.p2pchat.peer.history;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One message as the history keeps it. {@code conversation} is {@code @user} for a one-to-one chat and
 * {@code #room} for a room; {@code sentAt} is the sender's clock (null when unknown), {@code receivedAt} this
 * peer's; {@code deliveredTo} names the room members who confirmed one of this user's room messages.
 */
public record HistoryLine(String id, String conversation, String sender, Instant sentAt, Instant receivedAt,
                          String text, State state, List<String> deliveredTo) {

    /** Outgoing messages go pending → stored (in a mailbox) → delivered, or failed; incoming ones are received. */
    public enum State { PENDING, STORED, DELIVERED, FAILED, RECEIVED }

    public HistoryLine {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(conversation, "conversation");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(receivedAt, "receivedAt");
        Objects.requireNonNull(text, "text");
        Objects.requireNonNull(state, "state");
        deliveredTo = List.copyOf(deliveredTo);
    }

    public static String direct(String user) {
        return "@" + user.toLowerCase(java.util.Locale.ROOT);
    }

    public static String room(String room) {
        return "#" + room;
    }
}
