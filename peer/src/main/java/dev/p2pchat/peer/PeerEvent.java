package dev.p2pchat.peer;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What a {@link Peer} reports to its {@link PeerListener}. Texts and names that came from the network
 * are passed through as received: whoever displays them must sanitise them.
 */
public sealed interface PeerEvent {

    /** {@code from} asks to open a one-to-one chat; answer with {@link Peer#acceptChat} or {@link Peer#rejectChat}. */
    record ChatRequested(String from) implements PeerEvent {
    }

    /**
     * {@code from}, who has no open chat with this user, left a message request in the mailbox while this user was
     * away; {@code waiting} of theirs wait unread. Answer with {@link Peer#acceptChat} (they are shown and the chat
     * opens) or {@link Peer#rejectChat} (deleted unread, no receipt).
     */
    record MessageRequested(String from, int waiting) implements PeerEvent {
    }

    /** {@code by} accepted this user's chat request: messages can flow both ways. */
    record ChatAccepted(String by) implements PeerEvent {
    }

    /** {@code by} declined this user's chat request. */
    record ChatRejected(String by) implements PeerEvent {
    }

    /** A chat request could not be answered at all: the link broke or the other side refused the connection. */
    record ChatRequestFailed(String to, String reason) implements PeerEvent {
    }

    /** The one-to-one chat with {@code with} is no longer open (closed here, forgotten there, or logged out). */
    record ChatClosed(String with, String reason) implements PeerEvent {
    }

    /**
     * A one-to-one message; {@code whileAway} when it waited in this user's mailbox at the registry (sent while
     * this peer could not be reached) instead of coming straight from the sender's peer.
     */
    record DirectMessageReceived(String id, String from, Instant sentAt, String text, boolean whileAway)
            implements PeerEvent {
        public DirectMessageReceived(String id, String from, Instant sentAt, String text) {
            this(id, from, sentAt, text, false);
        }
    }

    /**
     * A room message. {@code signature}: its author's (kept, to serve it in a backlog later; null from an older peer).
     * {@code backlog}: it was said before this user joined, relayed by another member in the room's backlog, and its
     * signature was verified against the author's key; {@code sentAt} is then the author's signed time.
     */
    record RoomMessageReceived(String id, String room, String from, Instant sentAt, String text, String signature,
                               boolean backlog) implements PeerEvent {
        public RoomMessageReceived(String id, String room, String from, Instant sentAt, String text) {
            this(id, room, from, sentAt, text, null, false);
        }
    }

    /**
     * {@code from} answered this user's ask for {@code room}'s backlog: {@code shown} messages were new and shown (as
     * {@link RoomMessageReceived} with {@code backlog}, before this), {@code dropped} could not be verified as their
     * authors' and were dropped, {@code omitted} older ones did not fit the answer.
     */
    record RoomBacklogReceived(String room, String from, int shown, int dropped, int omitted) implements PeerEvent {
    }

    /** {@code to} confirmed message {@code id}. */
    record Delivered(String id, String to) implements PeerEvent {
    }

    /**
     * Message {@code id} could not reach {@code to} directly (offline or unreachable) and waits, sealed so that
     * only {@code to} can read it, in {@code to}'s mailbox at the registry; {@link Delivered} follows once
     * {@code to} has read it, or {@link DeliveryFailed} if it expires unread.
     */
    record StoredForLater(String id, String to) implements PeerEvent {
    }

    /** Message {@code id} will not reach {@code to}; it is no longer retried. */
    record DeliveryFailed(String id, String to, String reason) implements PeerEvent {
    }

    /**
     * Summary of room message {@code id}, sent once every member answered or gave up:
     * {@code delivered} of {@code members} other members confirmed it; {@code missing} names the rest.
     */
    record RoomDeliveryReport(String id, int delivered, int members, List<String> missing) implements PeerEvent {
        public RoomDeliveryReport {
            missing = List.copyOf(missing);
        }
    }

    record MemberJoined(String room, String user) implements PeerEvent {
    }

    /** {@code reason} is "left", "logout" or "timeout". */
    record MemberLeft(String room, String user, String reason) implements PeerEvent {
    }

    record ConnectionChanged(ConnectionState state, String detail) implements PeerEvent {
        public ConnectionChanged {
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * The key offered for {@code user} ({@code where}: by the registry, by a link, or on a mailbox item) is not the
     * one pinned: nothing is sent to it or accepted from it until the user trusts it ({@link Peer#trust}). Messages
     * to {@code user} wait meanwhile; compare the safety number ({@link Peer#safetyNumber}) out of band first.
     */
    record KeyChanged(String user, String pinnedFingerprint, String offeredFingerprint, String where)
            implements PeerEvent {
    }

    /**
     * The last lines of one {@code conversation} ({@code @user} or {@code #room}) from the chat history, oldest
     * first: sent once per recent conversation right after login, so that a restarted peer shows its conversations.
     */
    record HistoryShown(String conversation, List<dev.p2pchat.peer.history.HistoryLine> lines) implements PeerEvent {
        public HistoryShown {
            lines = List.copyOf(lines);
        }
    }

    /** How a file sent or received peer to peer is doing ({@link Peer#sendFile}, {@link Peer#getFile}). */
    record FileTransfer(dev.p2pchat.peer.files.FileNotice notice) implements PeerEvent {
        public FileTransfer {
            Objects.requireNonNull(notice, "notice");
        }
    }

    /** Something the user should know that fits no other event (e.g. the room could not be rejoined). */
    record Notice(String text) implements PeerEvent {
    }
}
