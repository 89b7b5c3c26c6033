package dev.p2pchat.peer.outbox;

import java.time.Instant;
import java.util.Objects;

/**
 * One copy of an outgoing message for one recipient, kept until that recipient confirms it or the delivery
 * window ends. A room message has one entry per other member, all with the same {@code id}.
 *
 * @param room     the room of a room message; null for a direct message
 * @param deadline when retrying stops and the copy is reported failed
 */
public record OutboxEntry(Kind kind, String id, String sender, String recipient, String room, Instant sentAt,
                          Instant deadline, String text) {

    /**
     * DIRECT: in an open chat; ROOM: to one member of {@code room}; REQUEST: a message request to someone with no
     * open chat, who is offline: it goes to their mailbox only, never over a link.
     */
    public enum Kind { DIRECT, ROOM, REQUEST }

    public OutboxEntry {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(sentAt, "sentAt");
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(text, "text");
        if ((kind == Kind.ROOM) != (room != null)) {
            throw new IllegalArgumentException("a room message needs a room, a direct message none");
        }
    }

    /** Identifies the copy: message id plus recipient. */
    public String key() {
        return id + "." + recipient;
    }

    /** The same message's copy for another recipient. */
    public OutboxEntry withRecipient(String other) {
        return new OutboxEntry(kind, id, sender, other, room, sentAt, deadline, text);
    }

    /** Never prints the text. */
    @Override
    public String toString() {
        return "OutboxEntry[" + kind + " " + id + " " + sender + "->" + recipient
                + (room == null ? "" : " in " + room) + "]";
    }
}
