package dev.p2pchat.peer;

import dev.p2pchat.peer.PeerDirectory.Lookup;
import dev.p2pchat.peer.mesh.PeerServer;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what other peers send over admitted links: chat requests (left open until the user decides),
 * direct messages in open chats and room messages from members. A message retried after a lost receipt is
 * confirmed again but shown only once. Never blocks the link waiting for the user.
 */
final class IncomingRequests implements PeerServer.RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingRequests.class);
    private static final int REMEMBERED_MESSAGE_IDS = 10_000;

    private final PeerStatus status;
    private final Chats chats;
    private final RoomState room;
    private final PeerDirectory directory;
    private final EventDispatcher events;
    private final DuplicateFilter duplicates = new DuplicateFilter(REMEMBERED_MESSAGE_IDS);

    IncomingRequests(PeerStatus status, Chats chats, RoomState room, PeerDirectory directory,
                     EventDispatcher events) {
        this.status = status;
        this.chats = chats;
        this.room = room;
        this.directory = directory;
        this.events = events;
    }

    @Override
    public CompletableFuture<PeerReply> handle(PeerRequest request) {
        return switch (request) {
            case PeerRequest.ChatRequest chat -> onChatRequest(chat);
            case PeerRequest.DirectMessage message -> CompletableFuture.completedFuture(onDirectMessage(message));
            case PeerRequest.DirectBroadcast broadcast -> CompletableFuture.completedFuture(onBroadcast(broadcast));
        };
    }

    private CompletableFuture<PeerReply> onChatRequest(PeerRequest.ChatRequest request) {
        String me = status.username();
        String from = request.senderUsername();
        if (me == null || !request.recipientUsername().equals(me)) {
            return CompletableFuture.completedFuture(new PeerReply.ChatRequestResponse(Status.REJECT,
                    request.recipientUsername(), "wrong recipient"));
        }
        PeerReply accept = new PeerReply.ChatRequestResponse(Status.ACCEPT, me, null);
        if (chats.isOpen(from)) {
            return CompletableFuture.completedFuture(accept);
        }
        if (chats.hasAsked(from)) {
            // Both asked each other: that is agreement.
            if (chats.acceptedBy(from)) {
                events.emit(new PeerEvent.ChatAccepted(from));
            }
            return CompletableFuture.completedFuture(accept);
        }
        CompletableFuture<PeerReply> answer = new CompletableFuture<>();
        chats.requestedBy(from, answer);
        events.emit(new PeerEvent.ChatRequested(from));
        return answer;
    }

    private PeerReply onDirectMessage(PeerRequest.DirectMessage message) {
        String me = status.username();
        if (me == null || !message.recipientUsername().equals(me)) {
            return new PeerReply.DirectUnicastNotification(Status.FAILURE, message.id(), message.recipientUsername(),
                    "wrong recipient");
        }
        String from = message.senderUsername();
        if (!chats.isOpen(from)) {
            if (chats.acceptImplicitly(from)) {
                // Our request's ACCEPT and their first message raced; the message proves the acceptance.
                events.emit(new PeerEvent.ChatAccepted(from));
            } else {
                LOG.debug("Refusing a message from {}: no open chat", from);
                return new PeerReply.DirectUnicastNotification(Status.FAILURE, message.id(), me,
                        me + " has no open chat with you");
            }
        }
        if (duplicates.firstTime(from, message.id())) {
            events.emit(new PeerEvent.DirectMessageReceived(message.id(), from, message.timestamp(), message.text()));
        } else {
            LOG.debug("Duplicate message {} from {} acknowledged again", message.id(), from);
        }
        return new PeerReply.DirectUnicastNotification(Status.SUCCESS, message.id(), me, null);
    }

    private PeerReply onBroadcast(PeerRequest.DirectBroadcast broadcast) {
        String me = status.username();
        String recipient = me != null ? me : "unknown";
        String current = room.room().orElse(null);
        if (me == null || !broadcast.roomName().equals(current)) {
            return new PeerReply.DirectBroadcastNotification(Status.FAILURE, broadcast.id(), recipient,
                    recipient + " is not in room " + broadcast.roomName());
        }
        String from = broadcast.senderUsername();
        if (!room.isMember(from)) {
            // They may have joined a moment ago and the registry's push is still on its way: ask.
            try {
                Lookup lookup = directory.lookup(from);
                if (lookup instanceof Lookup.Found found && current.equals(found.peer().room())) {
                    room.add(found.peer()).forEach(events::emit);
                } else {
                    return new PeerReply.DirectBroadcastNotification(Status.FAILURE, broadcast.id(), me,
                            from + " is not a member of room " + current);
                }
            } catch (IOException e) {
                return new ErrorReply(LinkAdmission.UNAVAILABLE, "cannot check room membership right now");
            }
        }
        if (duplicates.firstTime(from, broadcast.id())) {
            events.emit(new PeerEvent.RoomMessageReceived(broadcast.id(), current, from, broadcast.timestamp(),
                    broadcast.text()));
        }
        return new PeerReply.DirectBroadcastNotification(Status.SUCCESS, broadcast.id(), me, null);
    }
}
