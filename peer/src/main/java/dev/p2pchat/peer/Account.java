package dev.p2pchat.peer;

import static dev.p2pchat.peer.Failures.failure;
import static dev.p2pchat.peer.Failures.sentence;
import static dev.p2pchat.peer.Failures.unreachable;

import dev.p2pchat.peer.registry.RegistrySession;
import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's account calls to the registry: register, log in, log out. Logging in and out must run under
 * {@code Peer}'s user lock, which the caller holds. Takes password digests only, never passwords.
 */
final class Account {
    private static final Logger LOG = LoggerFactory.getLogger(Account.class);

    private final PeerStatus status;
    private final RegistryCalls registry;
    private final RoomState room;
    private final Deliveries deliveries;
    private final MessageSender sender;
    private final SessionWatcher watcher;
    private final EventDispatcher events;
    private final ChatRequests chatRequests;
    private final java.time.Duration chatClosedPatience;

    Account(PeerStatus status, RegistryCalls registry, RoomState room, Deliveries deliveries, MessageSender sender,
            SessionWatcher watcher, EventDispatcher events, ChatRequests chatRequests,
            java.time.Duration chatClosedPatience) {
        this.chatRequests = chatRequests;
        this.chatClosedPatience = chatClosedPatience;
        this.status = status;
        this.registry = registry;
        this.room = room;
        this.deliveries = deliveries;
        this.sender = sender;
        this.watcher = watcher;
        this.events = events;
    }

    void register(String username, String passwordDigest) throws PeerException {
        RegistryReply reply = registry.callForUser(new RegistryRequest.Register(username, passwordDigest));
        if (reply instanceof RegistryReply.RegisterResult result) {
            if (result.status().isSuccess()) {
                return;
            }
            if (result.status().equals(Status.EXIST)) {
                throw new PeerException("The username '" + username + "' is already taken.");
            }
            throw new PeerException(sentence(result.reason(), "Registration failed."));
        }
        throw failure(reply, "Registration failed.");
    }

    /**
     * {@code port}, {@code fingerprint} and {@code candidates} tell the registry where and as whom others can
     * reach this peer; {@code certificate} (base64 DER) lets others seal mailbox items to it while it is offline.
     */
    void login(String username, String passwordDigest, int port, String fingerprint, String certificate,
               List<Candidate> candidates)
            throws PeerException {
        status.ensureOpen();
        String current = status.username();
        if (current != null) {
            throw new PeerException("You are already logged in as " + current + "; log out first.");
        }
        RegistryReply reply;
        try {
            reply = registry.session().login(new RegistrySession.Credentials(username, passwordDigest, port,
                    fingerprint, certificate, candidates));
        } catch (IOException e) {
            throw unreachable(e);
        }
        if (reply instanceof RegistryReply.Auth auth) {
            if (auth.status().isSuccess()) {
                status.loggedIn(username);
                room.leaveAll();
                sender.resume(username);
                LOG.info("Logged in as {}", username);
                return;
            }
            if (auth.status().equals(Status.ONLINE)) {
                throw new PeerException(username + " is already logged in somewhere else.");
            }
            throw new PeerException(sentence(auth.reason(), "Wrong username or password."));
        }
        throw failure(reply, "Login failed.");
    }

    void logout() throws PeerException {
        status.requireLogin();
        // Partners hear it from us before the links go, so they show the right cause (not "closed the chat").
        chatRequests.tellOpenChatsClosed(dev.p2pchat.protocol.PeerRequest.ChatClosed.Cause.LOGOUT,
                chatClosedPatience);
        deliveries.suspendAll();
        RegistryReply reply = null;
        IOException problem = null;
        try {
            reply = registry.session().logout();
        } catch (IOException e) {
            problem = e;
        }
        watcher.endSession("you logged out");
        if (problem != null) {
            events.emit(new PeerEvent.Notice("Logged out here, but the registry could not be told ("
                    + problem.getMessage() + "); it will notice when the keep-alives stop."));
        } else if (reply instanceof ErrorReply error) {
            LOG.info("Registry answered LOGOUT with {}", error.reason());
        }
    }
}
