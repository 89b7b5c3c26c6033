package dev.p2pchat.peer;

import dev.p2pchat.peer.history.ChatHistory;
import dev.p2pchat.peer.history.HistoryLine;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the logged-in user's conversations to the {@link ChatHistory}: what the user sends (before it leaves, so
 * that no receipt can overtake the row), and, from the events on their way to the user, every message received
 * and every outcome. Without a history ({@code --no-history}) it does nothing. A history that fails is logged,
 * never in the way of a message.
 */
final class HistoryKeeper implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HistoryKeeper.class);
    /** How many lines of each conversation are shown at login, and of how many conversations. */
    static final int SHOWN_AT_LOGIN = 20;
    static final int CONVERSATIONS_AT_LOGIN = 20;

    private final ChatHistory store;
    private final PeerStatus status;
    private final Clock clock;

    HistoryKeeper(ChatHistory store, PeerStatus status, Clock clock) {
        this.store = store;
        this.status = status;
        this.clock = clock;
    }

    boolean enabled() {
        return store != null;
    }

    ChatHistory store() throws PeerException {
        if (store == null) {
            throw new PeerException("The chat history is off (--no-history).");
        }
        return store;
    }

    void sent(String owner, String conversation, String id, Instant at, String text) {
        sent(owner, conversation, id, at, text, null);
    }

    /** With this user's signature of a room message, to serve it in the room's backlog later. */
    void sent(String owner, String conversation, String id, Instant at, String text, String signature) {
        if (store == null) {
            return;
        }
        try {
            store.sent(owner, conversation, id, at, text, signature);
        } catch (IOException e) {
            LOG.warn("Cannot write a sent message to the history: {}", e.getMessage());
        }
    }

    /** Records {@code event} (on the dispatcher thread), then hands it on. */
    PeerListener recording(PeerListener next) {
        return event -> {
            record(event);
            next.onEvent(event);
        };
    }

    private void record(PeerEvent event) {
        String me = status.username();
        if (store == null || me == null) {
            return;
        }
        try {
            switch (event) {
                case PeerEvent.DirectMessageReceived m -> store.received(me, HistoryLine.direct(m.from()), m.id(),
                        m.from(), m.sentAt(), clock.instant(), m.text());
                case PeerEvent.RoomMessageReceived m -> store.received(me, HistoryLine.room(m.room()), m.id(),
                        m.from(), m.sentAt(), clock.instant(), m.text(), m.signature());
                case PeerEvent.Delivered d -> {
                    store.directOutcome(me, d.id(), d.to(), HistoryLine.State.DELIVERED);
                    store.deliveredTo(me, d.id(), d.to());
                }
                case PeerEvent.StoredForLater s -> store.directOutcome(me, s.id(), s.to(), HistoryLine.State.STORED);
                case PeerEvent.DeliveryFailed f -> store.directOutcome(me, f.id(), f.to(), HistoryLine.State.FAILED);
                case PeerEvent.RoomDeliveryReport r -> store.roomOutcome(me, r.id(),
                        r.delivered() > 0 || r.members() == 0 ? HistoryLine.State.DELIVERED : HistoryLine.State.FAILED);
                default -> {
                }
            }
        } catch (IOException e) {
            LOG.warn("Cannot write to the history: {}", e.getMessage());
        }
    }

    /** The last lines of {@code owner}'s most recent conversations, shown at login. */
    List<PeerEvent.HistoryShown> recent(String owner) {
        if (store == null) {
            return List.of();
        }
        try {
            return store.conversations(owner).stream().limit(CONVERSATIONS_AT_LOGIN).map(c -> {
                try {
                    return new PeerEvent.HistoryShown(c, store.last(owner, c, SHOWN_AT_LOGIN));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }).toList().reversed();
        } catch (IOException | java.io.UncheckedIOException e) {
            LOG.warn("Cannot read the history: {}", e.getMessage());
            return List.of();
        }
    }

    @Override
    public void close() {
        if (store != null) {
            store.close();
        }
    }
}
