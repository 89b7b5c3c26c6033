package dev.p2pchat.peer;

import dev.p2pchat.peer.mesh.Links;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * Asks other users for one-to-one chats and gives the user's answer to theirs; {@link Chats} records the
 * outcome. The asks that arrive are taken in by {@link IncomingRequests}, which leaves them open until the
 * user answers here.
 */
final class ChatRequests {
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
        if (reply instanceof PeerReply.ChatRequestResponse) {
            events.emit(new PeerEvent.ChatRejected(username));
        } else if (reply instanceof ErrorReply refusal) {
            events.emit(new PeerEvent.ChatRequestFailed(username, refusal.reason()));
        } else {
            String why = error == null ? "unexpected answer" : Failures.rootMessage(error);
            events.emit(new PeerEvent.ChatRequestFailed(username, "no answer from " + username + ": " + why));
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
