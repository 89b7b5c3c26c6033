package dev.p2pchat.peer;

import dev.p2pchat.peer.mesh.Links;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks other users for one-to-one chats and gives the user's answer to theirs; {@link Chats} records the
 * outcome. The asks that arrive are taken in by {@link IncomingRequests}, which leaves them open until the
 * user answers here. Asking someone again while a request is on its way sends nothing; asking someone who has
 * asked this user opens the chat.
 */
final class ChatRequests {
    private static final Logger LOG = LoggerFactory.getLogger(ChatRequests.class);
    private static final Executor VIRTUAL = task -> Thread.ofVirtual().name("chat-closed").start(task);
    private final PeerStatus status;
    private final Chats chats;
    private final UserSearch users;
    private final PeerDirectory directory;
    private final Links links;
    private final EventDispatcher events;

    ChatRequests(PeerStatus status, Chats chats, UserSearch users, PeerDirectory directory, Links links,
                 EventDispatcher events) {
        this.status = status;
        this.chats = chats;
        this.users = users;
        this.directory = directory;
        this.links = links;
        this.events = events;
    }

    /** Returns once the request is sent; the answer arrives as an event. */
    void request(String username) throws PeerException {
        String me = status.requireLogin();
        UserInput.checkName("username", username);
        if (username.equals(me)) {
            throw new PeerException("You cannot chat with yourself.");
        }
        if (chats.hasAsked(username)) {
            // Asking again would only queue a second request there: the first one is still on its way.
            events.emit(new PeerEvent.Notice("Your chat request to " + username + " is still waiting for an answer."));
            return;
        }
        if (chats.hasRequestFrom(username)) {
            // They asked first: asking back is agreeing.
            answer(username, true);
            events.emit(new PeerEvent.ChatAccepted(username));
            return;
        }
        PeerInfo target = users.find(username);
        chats.asked(username);
        CompletableFuture<PeerReply> answer;
        try {
            answer = links.send(target, new PeerRequest.ChatRequest(me, username), UUID.randomUUID().toString());
        } catch (IOException e) {
            chats.answered(username);
            directory.forget(username);
            throw new PeerException("Cannot reach " + username + ": " + e.getMessage(), e);
        }
        answer.whenComplete((reply, error) -> onAnswer(username, reply, error));
    }

    private void onAnswer(String username, PeerReply reply, Throwable error) {
        if (reply instanceof PeerReply.ChatRequestResponse response && response.status().isSuccess()) {
            if (chats.acceptedBy(username)) {
                events.emit(new PeerEvent.ChatAccepted(username));
            }
            return;
        }
        if (chats.isOpen(username)) {
            return; // they wrote first, which opened the chat; this answer is stale
        }
        chats.answered(username);
        if (reply instanceof PeerReply.ChatRequestResponse response
                && IncomingRequests.EXPIRED.equals(response.reason())) {
            events.emit(new PeerEvent.ChatRequestFailed(username, username + " did not answer in time; the request"
                    + " expired"));
        } else if (reply instanceof PeerReply.ChatRequestResponse) {
            events.emit(new PeerEvent.ChatRejected(username));
        } else if (reply instanceof ErrorReply refusal) {
            events.emit(new PeerEvent.ChatRequestFailed(username, refusal.reason()));
        } else {
            String why = error == null ? "unexpected answer" : Failures.rootMessage(error);
            events.emit(new PeerEvent.ChatRequestFailed(username, "no answer from " + username + ": " + why));
        }
    }

    /** Tells every open chat's partner that it ended (see {@link #tellClosed}). */
    void tellOpenChatsClosed(PeerRequest.ChatClosed.Cause cause, Duration patience) {
        tellClosed(chats.openChats(), cause, patience);
    }

    /**
     * Tells each partner that the chat with them ended, in parallel, waiting at most {@code patience} in all.
     * Best effort: a partner that cannot be told learns it when its next message is refused.
     */
    void tellClosed(Set<String> partners, PeerRequest.ChatClosed.Cause cause, Duration patience) {
        String me = status.username();
        if (me == null || partners.isEmpty()) {
            return;
        }
        List<CompletableFuture<?>> told = new ArrayList<>();
        for (String partner : partners) {
            told.add(CompletableFuture.runAsync(() -> tell(me, partner, cause, patience), VIRTUAL));
        }
        try {
            CompletableFuture.allOf(told.toArray(CompletableFuture[]::new))
                    .get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            LOG.debug("Not every partner heard that the chat ended: {}", e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void tell(String me, String partner, PeerRequest.ChatClosed.Cause cause, Duration patience) {
        try {
            PeerInfo target = directory.cached(partner);
            if (target == null && directory.lookup(partner) instanceof PeerDirectory.Lookup.Found found) {
                target = found.peer();
            }
            if (target == null) {
                return;
            }
            links.send(target, new PeerRequest.ChatClosed(me, partner, cause), UUID.randomUUID().toString())
                    .get(patience.toMillis(), TimeUnit.MILLISECONDS);
        } catch (IOException | ExecutionException | TimeoutException e) {
            LOG.debug("Could not tell {} that the chat ended: {}", partner, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void answer(String username, boolean accept) throws PeerException {
        String me = status.requireLogin();
        List<CompletableFuture<PeerReply>> requests = chats.takeRequests(username);
        if (requests.isEmpty()) {
            throw new PeerException(username + " has not asked to chat with you.");
        }
        if (accept) {
            chats.open(username);
        }
        PeerReply answer = new PeerReply.ChatRequestResponse(accept ? Status.ACCEPT : Status.REJECT, me,
                accept ? null : "declined");
        boolean anyoneWaiting = false;
        for (CompletableFuture<PeerReply> request : requests) {
            anyoneWaiting |= request.complete(answer);
        }
        if (!anyoneWaiting && accept) {
            chats.close(username);
            throw new PeerException(username + " is no longer waiting for an answer.");
        }
    }
}
