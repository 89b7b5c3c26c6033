package dev.p2pchat.peer;

import dev.p2pchat.peer.PeerDirectory.Lookup;
import dev.p2pchat.peer.mesh.Links;
import dev.p2pchat.peer.outbox.OutboxEntry;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Carries one outgoing copy over this peer's links to its recipient and judges the answer: confirmed, refused
 * for good, or worth retrying. Finds the recipient in the room or the directory first, asking the registry
 * again on every retry, since a failed attempt often means the recipient moved.
 */
final class MeshTransport implements Deliveries.Transport {
    private final PeerStatus status;
    private final RoomState room;
    private final Chats chats;
    private final PeerDirectory directory;
    private final Links links;
    private final EventDispatcher events;
    private final Duration requestTimeout;
    private final ContactKeys keys;
    private final dev.p2pchat.security.Identity identity;

    MeshTransport(PeerStatus status, RoomState room, Chats chats, PeerDirectory directory, Links links,
                  EventDispatcher events, Duration requestTimeout, ContactKeys keys,
                  dev.p2pchat.security.Identity identity) {
        this.identity = identity;
        this.keys = keys;
        this.status = status;
        this.room = room;
        this.chats = chats;
        this.directory = directory;
        this.links = links;
        this.events = events;
        this.requestTimeout = requestTimeout;
    }

    /** One delivery attempt of one copy, on its own virtual thread. */
    @Override
    public Deliveries.Outcome attempt(OutboxEntry entry, int attempt) {
        if (!entry.sender().equals(status.username())) {
            return new Deliveries.Outcome.Retry(entry.sender() + " is not logged in");
        }
        String to = entry.recipient();
        if (entry.kind() == OutboxEntry.Kind.REQUEST) {
            return new Deliveries.Outcome.Unreachable("a message request goes to " + to + "'s mailbox");
        }
        if (entry.kind() == OutboxEntry.Kind.ROOM && !room.isIn(entry.room())) {
            // Left over from before a restart or reconnect: members refuse it until we are back in the room,
            // so wait for the rejoin (which hurries every copy) instead of spending the copy on a refusal.
            return new Deliveries.Outcome.Retry("you are not in room " + entry.room() + "; it goes once you rejoin");
        }
        PeerInfo target = null;
        if (attempt == 0) {
            target = entry.kind() == OutboxEntry.Kind.ROOM
                    ? room.members(entry.room()).stream().filter(m -> m.username().equals(to)).findFirst()
                            .orElse(directory.cached(to))
                    : directory.cached(to);
        }
        if (target == null) {
            try {
                switch (directory.lookup(to)) {
                    case Lookup.Found found -> target = found.peer();
                    case Lookup.NotOnline n when entry.kind() == OutboxEntry.Kind.DIRECT -> {
                        // The registry already knows (logout, or keep-alives stopped after a crash): waiting out
                        // the window cannot help, since the chat ended with their session.
                        return new Deliveries.Outcome.Unreachable(to + " is offline");
                    }
                    case Lookup.NotOnline n -> {
                        return new Deliveries.Outcome.Retry(to + " is not online");
                    }
                    case Lookup.NoSuchUser n -> {
                        return new Deliveries.Outcome.Refused("there is no user named " + to);
                    }
                    case Lookup.KeyChanged k -> {
                        return held(to);
                    }
                }
            } catch (IOException e) {
                return new Deliveries.Outcome.Retry("the registry cannot be reached to find " + to);
            }
        }
        // A room member list or a cached listing names a key too: it must be the pinned one as well.
        if (!keys.accepts(to, target.fingerprint(), null, "from the registry")) {
            return held(to);
        }
        PeerRequest request = entry.kind() == OutboxEntry.Kind.DIRECT
                ? new PeerRequest.DirectMessage(entry.id(), entry.sender(), to, entry.sentAt(), entry.text())
                : new PeerRequest.DirectBroadcast(entry.id(), entry.sender(), entry.room(), entry.sentAt(), entry.text(),
                        // Signed, so that a member relaying it in the room's backlog cannot alter or forge it.
                        dev.p2pchat.security.RoomMessageSignature.sign(identity, entry.id(), entry.sender(),
                                entry.room(), entry.sentAt(), entry.text()));
        PeerReply reply;
        try {
            reply = links.send(target, request, entry.id())
                    .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException e) {
            return new Deliveries.Outcome.Retry("cannot reach " + to + ": " + e.getMessage());
        } catch (ExecutionException e) {
            return new Deliveries.Outcome.Retry("the link to " + to + " broke: " + Failures.rootMessage(e));
        } catch (TimeoutException e) {
            links.drop(to, "no answer within the request timeout");
            return new Deliveries.Outcome.Retry(to + " did not answer in time");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Deliveries.Outcome.Retry("interrupted");
        }
        return switch (reply) {
            case PeerReply.DirectUnicastNotification n when n.status().isSuccess() -> new Deliveries.Outcome.Confirmed();
            case PeerReply.DirectBroadcastNotification n when n.status().isSuccess() -> new Deliveries.Outcome.Confirmed();
            case PeerReply.DirectUnicastNotification n -> {
                if (chats.close(to)) {
                    // Their side has no such chat (its CHAT_CLOSED never reached us, or it restarted).
                    events.emit(new PeerEvent.ChatClosed(to, to + " no longer has this chat open"));
                }
                yield new Deliveries.Outcome.Refused(n.reason() != null ? n.reason() : to + " refused the message");
            }
            case PeerReply.DirectBroadcastNotification n when room.isIn(entry.room()) ->
                    // We are in the room, so their member list is behind ours (we have just rejoined, or they
                    // have not): a rejoin on either side cures it. If they really left, the registry's push
                    // gives the copy up (MessageSender.abandonRoomCopiesTo) before the window ends.
                    new Deliveries.Outcome.Retry(n.reason() != null ? n.reason() : to + " refused the message");
            case PeerReply.DirectBroadcastNotification n ->
                    new Deliveries.Outcome.Refused(n.reason() != null ? n.reason() : to + " refused the message");
            case ErrorReply error when error.status().code() >= 500 || error.status().equals(Status.RATE_LIMITED) ->
                    new Deliveries.Outcome.Retry(error.reason());
            case ErrorReply error -> new Deliveries.Outcome.Refused(to + " refused the message: " + error.reason());
            case PeerReply.ChatRequestResponse r -> new Deliveries.Outcome.Retry("unexpected answer from " + to);
            case PeerReply.ChatClosedResponse r -> new Deliveries.Outcome.Retry("unexpected answer from " + to);
            case PeerReply.LinkHelloResponse r -> new Deliveries.Outcome.Retry("unexpected answer from " + to);
            case PeerReply.RoomBacklogResponse r -> new Deliveries.Outcome.Retry("unexpected answer from " + to);
            case dev.p2pchat.protocol.FileReply r -> new Deliveries.Outcome.Retry("unexpected answer from " + to);
        };
    }

    private static Deliveries.Outcome held(String to) {
        return new Deliveries.Outcome.Held(to + "'s key is not the one you pinned; it waits until you /trust " + to);
    }
}
