package dev.p2pchat.peer;

import dev.p2pchat.peer.outbox.Outbox;
import dev.p2pchat.peer.outbox.OutboxEntry;
import dev.p2pchat.protocol.PeerInfo;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns what the user writes into outbox copies, one per recipient, and hands them to {@link Deliveries};
 * picks up the copies a user left undelivered, and gives up those that can no longer arrive because the
 * user left the room or the recipient did.
 */
final class MessageSender {
    private static final Logger LOG = LoggerFactory.getLogger(MessageSender.class);

    private final PeerStatus status;
    private final Chats chats;
    private final RoomState room;
    private final Deliveries deliveries;
    private final Outbox outbox;
    private final EventDispatcher events;
    private final Clock clock;
    private final ContactKeys keys;
    private final HistoryKeeper history;
    private final PeerDirectory directory;
    private final dev.p2pchat.security.Identity identity;

    MessageSender(PeerStatus status, Chats chats, RoomState room, Deliveries deliveries, Outbox outbox,
                  EventDispatcher events, Clock clock, ContactKeys keys, HistoryKeeper history,
                  PeerDirectory directory, dev.p2pchat.security.Identity identity) {
        this.directory = directory;
        this.identity = identity;
        this.history = history;
        this.keys = keys;
        this.status = status;
        this.chats = chats;
        this.room = room;
        this.deliveries = deliveries;
        this.outbox = outbox;
        this.events = events;
        this.clock = clock;
    }

    String sendDirect(String username, String text) throws PeerException {
        String me = status.requireLogin();
        if (!chats.isOpen(username)) {
            throw new PeerException(chats.hasAsked(username)
                    ? username + " has not accepted your chat request yet."
                    : "You have no open chat with " + username + "; request one first.");
        }
        UserInput.checkText(text);
        String id = newId();
        Instant now = clock.instant();
        OutboxEntry entry = new OutboxEntry(OutboxEntry.Kind.DIRECT, id, me, username, null, now,
                deliveries.deadlineFrom(now), text);
        history.sent(me, dev.p2pchat.peer.history.HistoryLine.direct(username), id, now, text);
        submit(id, List.of(entry), false);
        if (keys.changed(username)) {
            events.emit(new PeerEvent.Notice(username + "'s key changed: this message waits, unsent, until you /trust "
                    + username + " (compare safety numbers with /verify " + username + " first)."));
        }
        return id;
    }

    /**
     * A message to {@code username}, with whom there is no open chat, as a message request through the mailbox
     * when they are offline; empty (nothing sent) when they are online, since a chat request asks them then. This
     * user counts as having asked them, so that their answer, a receipt or a message, opens the chat here.
     */
    java.util.Optional<String> sendMessageRequest(String username, String text) throws PeerException {
        String me = status.requireLogin();
        UserInput.checkName("username", username);
        if (username.equalsIgnoreCase(me)) {
            throw new PeerException("You cannot send yourself a message request.");
        }
        UserInput.checkText(text);
        try {
            switch (directory.lookup(username)) {
                case PeerDirectory.Lookup.Found found -> {
                    return java.util.Optional.empty();
                }
                case PeerDirectory.Lookup.NoSuchUser n -> throw new PeerException("There is no user named " + username + ".");
                case PeerDirectory.Lookup.KeyChanged k -> throw new PeerException(username + "'s key changed: nothing is"
                        + " sent until you /trust " + username + " (compare safety numbers with /verify " + username
                        + " first).");
                case PeerDirectory.Lookup.NotOnline n -> {
                }
            }
        } catch (java.io.IOException e) {
            throw Failures.unreachable(e);
        }
        String id = newId();
        Instant now = clock.instant();
        OutboxEntry entry = new OutboxEntry(OutboxEntry.Kind.REQUEST, id, me, username, null, now,
                deliveries.deadlineFrom(now), text);
        chats.asked(username);
        history.sent(me, dev.p2pchat.peer.history.HistoryLine.direct(username), id, now, text);
        submit(id, List.of(entry), false);
        return java.util.Optional.of(id);
    }

    /** To {@code roomName}'s members; null: the one room the user is in (refused when in several). */
    String sendToRoom(String roomName, String text) throws PeerException {
        String me = status.requireLogin();
        List<String> in = room.rooms();
        if (in.isEmpty()) {
            throw new PeerException("You are not in a room; join one first.");
        }
        if (roomName == null && in.size() > 1) {
            throw new PeerException("You are in " + in.size() + " rooms; say which one the message is for.");
        }
        if (roomName != null && !room.isIn(roomName)) {
            throw new PeerException("You are not in room '" + roomName + "'; join it first.");
        }
        String to = roomName != null ? roomName : in.getFirst();
        return sendToJoinedRoom(me, to, text);
    }

    private String sendToJoinedRoom(String me, String roomName, String text) throws PeerException {
        UserInput.checkText(text);
        String id = newId();
        Instant now = clock.instant();
        List<OutboxEntry> copies = new ArrayList<>();
        for (PeerInfo member : room.others(roomName)) {
            copies.add(new OutboxEntry(OutboxEntry.Kind.ROOM, id, me, member.username(), roomName, now,
                    deliveries.deadlineFrom(now), text));
        }
        // Kept with this user's signature, so that it can be served in the room's backlog.
        history.sent(me, dev.p2pchat.peer.history.HistoryLine.room(roomName), id, now, text,
                dev.p2pchat.security.RoomMessageSignature.sign(identity, id, me, roomName, now, text));
        submit(id, copies, true);
        return id;
    }

    private void submit(String id, List<OutboxEntry> copies, boolean tally) throws PeerException {
        try {
            deliveries.submit(id, copies, tally);
        } catch (IOException e) {
            throw new PeerException("Could not save the message before sending it: " + e.getMessage(), e);
        }
    }

    /** Retries what {@code user} left in the outbox at an earlier run or login. */
    void resume(String user) {
        try {
            List<OutboxEntry> leftovers = outbox.load(user);
            if (!leftovers.isEmpty()) {
                LOG.info("Retrying {} undelivered message copies from the outbox", leftovers.size());
                deliveries.resume(leftovers);
            }
        } catch (IOException e) {
            LOG.warn("Cannot read the outbox: {}", e.toString());
            events.emit(new PeerEvent.Notice("Could not read undelivered messages from " + outbox.root() + ": "
                    + e.getMessage()));
        }
    }

    /**
     * The user is (back) in {@code roomName}: copies left for that room, e.g. from before a restart, go now. Those
     * for rooms the user is not in wait (it may join them next, as an autojoin of several rooms does) until their
     * delivery deadline gives them up.
     */
    void enteredRoom(String roomName) {
        deliveries.retryNow();
    }

    void abandonRoomCopies(String roomName) {
        deliveries.abandon(e -> e.kind() == OutboxEntry.Kind.ROOM && roomName.equals(e.room()),
                "you left room " + roomName);
    }

    /**
     * The direct copies still on their way to {@code user}, who logged out or timed out, go to its mailbox instead
     * (they were written while the chat was open; the mailbox keeps them for its next login).
     */
    void divertDirectCopiesTo(String user, String why) {
        deliveries.divert(e -> e.kind() == OutboxEntry.Kind.DIRECT && e.recipient().equals(user), why);
    }

    /** Gives up the room copies still on their way to {@code member}, who is no longer in the room. */
    void abandonRoomCopiesTo(String member, String why) {
        deliveries.abandon(e -> e.kind() == OutboxEntry.Kind.ROOM && e.recipient().equals(member), why);
    }

    private static String newId() {
        return UUID.randomUUID().toString();
    }
}
