package dev.p2pchat.peer;

import dev.p2pchat.peer.PeerDirectory.Lookup;
import dev.p2pchat.peer.mesh.PeerServer;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers what other peers send over admitted links: chat requests (left open until the user decides),
 * direct messages in open chats and room messages from members. A message retried after a lost receipt is
 * confirmed again but shown only once. Never blocks the link waiting for the user. Chat requests are bounded:
 * one pending per asker ({@code ERROR WRONG_STATE 409} for another), {@value #MAX_PENDING_CHAT_REQUESTS} in all
 * ({@code ERROR RATE_LIMITED 429} beyond), and each expires unanswered after a while (REJECT, reason "expired").
 */
final class IncomingRequests implements PeerServer.RequestHandler {
    private static final Logger LOG = LoggerFactory.getLogger(IncomingRequests.class);
    static final int REMEMBERED_MESSAGE_IDS = 10_000;
    /** Chat requests held for the user's answer at once, one per asker; more are answered 429. */
    static final int MAX_PENDING_CHAT_REQUESTS = 32;
    /** The reason a REJECT carries when the request expired unanswered (PROTOCOL.md section 13.2). */
    static final String EXPIRED = "expired";

    private final PeerStatus status;
    private final Chats chats;
    private final RoomState room;
    private final PeerDirectory directory;
    private final EventDispatcher events;
    private final DuplicateFilter duplicates;
    private final ScheduledExecutorService timer;
    private final Duration chatRequestExpiry;
    /** Serves room backlogs; null (until set): every ROOM_BACKLOG is answered as by a member without history. */
    private volatile Backlog backlog;
    /** File transfers, set once the peer has built them (they need the links, which need this). */
    private volatile java.util.function.Function<PeerRequest.FileRequest, CompletableFuture<PeerReply>> files =
            file -> CompletableFuture.completedFuture(new ErrorReply(LinkAdmission.UNAVAILABLE, "not taking files yet"));

    IncomingRequests(PeerStatus status, Chats chats, RoomState room, PeerDirectory directory,
                     EventDispatcher events, ScheduledExecutorService timer, Duration chatRequestExpiry) {
        this(status, chats, room, directory, events, timer, chatRequestExpiry,
                new DuplicateFilter(REMEMBERED_MESSAGE_IDS));
    }

    /** {@code duplicates} is shared with the mailbox: a message that came both ways is shown once. */
    IncomingRequests(PeerStatus status, Chats chats, RoomState room, PeerDirectory directory,
                     EventDispatcher events, ScheduledExecutorService timer, Duration chatRequestExpiry,
                     DuplicateFilter duplicates) {
        this.duplicates = duplicates;
        this.timer = timer;
        this.chatRequestExpiry = chatRequestExpiry;
        this.status = status;
        this.chats = chats;
        this.room = room;
        this.directory = directory;
        this.events = events;
    }

    /** From now on ROOM_BACKLOG is served by {@code backlog}. */
    void backlog(Backlog backlog) {
        this.backlog = backlog;
    }

    void files(java.util.function.Function<PeerRequest.FileRequest, CompletableFuture<PeerReply>> handler) {
        this.files = java.util.Objects.requireNonNull(handler, "handler");
    }

    @Override
    public CompletableFuture<PeerReply> handle(PeerRequest request) {
        return switch (request) {
            case PeerRequest.ChatRequest chat -> onChatRequest(chat);
            case PeerRequest.DirectMessage message -> CompletableFuture.completedFuture(onDirectMessage(message));
            case PeerRequest.DirectBroadcast broadcast -> CompletableFuture.completedFuture(onBroadcast(broadcast));
            case PeerRequest.ChatClosed closed -> CompletableFuture.completedFuture(onChatClosed(closed));
            case PeerRequest.RoomBacklog ask -> CompletableFuture.completedFuture(backlog != null ? backlog.serve(ask)
                    : new ErrorReply(Status.NOT_FOUND, "this peer serves no backlog"));
            // Travels only sealed in a mailbox, where the recipient holds it as a request (PROTOCOL.md 13.7).
            case PeerRequest.MessageRequest ignored -> CompletableFuture.completedFuture(new ErrorReply(
                    Status.BAD_REQUEST, "a message request travels only sealed in the recipient's mailbox"));
            // Admitting the link was the point (the server did that before this); nothing else to do.
            case PeerRequest.LinkHello hello -> CompletableFuture.completedFuture(
                    new PeerReply.LinkHelloResponse(Status.SUCCESS));
            case PeerRequest.FileRequest file -> files.apply(file);
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
        switch (chats.requestedBy(from, answer, MAX_PENDING_CHAT_REQUESTS)) {
            case ALREADY_PENDING -> {
                return CompletableFuture.completedFuture(new ErrorReply(Status.WRONG_STATE,
                        "your earlier chat request is still waiting for an answer"));
            }
            case TOO_MANY -> {
                return CompletableFuture.completedFuture(new ErrorReply(Status.RATE_LIMITED,
                        me + " has too many chat requests waiting; try again later"));
            }
            case PENDING -> {
            }
        }
        scheduleExpiry(from, answer);
        events.emitSheddable(new PeerEvent.ChatRequested(from));
        return answer;
    }

    /** An unanswered request ends after {@link #chatRequestExpiry}; the asker hears REJECT with reason "expired". */
    private void scheduleExpiry(String from, CompletableFuture<PeerReply> answer) {
        try {
            ScheduledFuture<?> expiry = timer.schedule(() -> {
                if (chats.takeIfPending(from, answer) != null) {
                    String me = status.username();
                    answer.complete(new PeerReply.ChatRequestResponse(Status.REJECT, me != null ? me : from,
                            EXPIRED));
                    events.emitSheddable(new PeerEvent.Notice("The chat request from " + from + " expired unanswered after "
                            + Deliveries.describe(chatRequestExpiry) + "."));
                }
            }, chatRequestExpiry.toMillis(), TimeUnit.MILLISECONDS);
            answer.whenComplete((r, e) -> expiry.cancel(false));
        } catch (RejectedExecutionException e) {
            LOG.debug("Not expiring the chat request from {}: shutting down", from);
        }
    }

    private PeerReply onChatClosed(PeerRequest.ChatClosed closed) {
        String me = status.username();
        String from = closed.senderUsername();
        if (me == null || !closed.recipientUsername().equals(me)) {
            return new ErrorReply(Status.BAD_REQUEST, "wrong recipient");
        }
        if (chats.closedBy(from)) {
            events.emit(new PeerEvent.ChatClosed(from, closed.cause() == PeerRequest.ChatClosed.Cause.LOGOUT
                    ? from + " logged out" : from + " closed the chat"));
        }
        return new PeerReply.ChatClosedResponse(Status.SUCCESS, me);
    }

    private PeerReply onDirectMessage(PeerRequest.DirectMessage message) {
        String me = status.username();
        if (me == null || !message.recipientUsername().equals(me)) {
            return new PeerReply.DirectUnicastNotification(Status.FAILURE, message.id(), message.recipientUsername(),
                    "wrong recipient");
        }
        String from = message.senderUsername();
        if (!events.hasRoomForMessages()) {
            // The user interface is far behind: let the sender retry later rather than queue without bound.
            return new ErrorReply(LinkAdmission.UNAVAILABLE, me + " is busy; retry later");
        }
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
        String current = broadcast.roomName();
        if (me == null || !room.isIn(current)) {
            return new PeerReply.DirectBroadcastNotification(Status.FAILURE, broadcast.id(), recipient,
                    recipient + " is not in room " + broadcast.roomName());
        }
        String from = broadcast.senderUsername();
        if (!events.hasRoomForMessages()) {
            return new ErrorReply(LinkAdmission.UNAVAILABLE, me + " is busy; retry later");
        }
        if (!room.isMember(current, from)) {
            // They may have joined a moment ago and the registry's push is still on its way: ask.
            try {
                Lookup lookup = directory.lookup(from);
                if (lookup instanceof Lookup.Found found && found.rooms().contains(current)) {
                    room.add(current, found.peer().inRoom(current)).forEach(events::emit);
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
                    broadcast.text(), broadcast.signature(), false));
        }
        return new PeerReply.DirectBroadcastNotification(Status.SUCCESS, broadcast.id(), me, null);
    }
}
