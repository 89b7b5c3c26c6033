package dev.p2pchat.peer;

import dev.p2pchat.peer.mesh.Links;
import dev.p2pchat.peer.registry.RegistrySession;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the login's local state in step with the registry session: applies membership pushes, reports the
 * connection going and coming back, rejoins the rooms after the registry restarted, and forgets the login
 * (rooms, chats, links) when it ends. Runs on the session's threads, so it never takes the user lock: a user
 * call holding it may be waiting for the very reconnection reported here.
 */
final class SessionWatcher implements RegistrySession.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(SessionWatcher.class);

    private final PeerStatus status;
    private final RoomState room;
    private final Chats chats;
    private final Links links;
    private final PeerDirectory directory;
    private final RegistryCalls registry;
    private final Deliveries deliveries;
    private final MessageSender sender;
    private final EventDispatcher events;
    private final ScheduledExecutorService timer;
    private final Duration retryMax;
    private Mailbox mailbox;
    private volatile Backlog backlog;
    /** Whether this login was told nobody can dial it; reset when the login ends. */
    private final java.util.concurrent.atomic.AtomicBoolean toldUndialable =
            new java.util.concurrent.atomic.AtomicBoolean();

    SessionWatcher(PeerStatus status, RoomState room, Chats chats, Links links, PeerDirectory directory,
                   RegistryCalls registry, Deliveries deliveries, MessageSender sender, EventDispatcher events,
                   ScheduledExecutorService timer, Duration retryMax) {
        this.status = status;
        this.room = room;
        this.chats = chats;
        this.links = links;
        this.directory = directory;
        this.registry = registry;
        this.deliveries = deliveries;
        this.sender = sender;
        this.events = events;
        this.timer = timer;
        this.retryMax = retryMax;
    }

    /** Who meets another peer at a relay on RELAY_OFFER; set once this peer's server runs. */
    private volatile java.util.function.Consumer<RegistryPush.RelayOffer> relayOffers;

    void relayOffers(java.util.function.Consumer<RegistryPush.RelayOffer> answer) {
        this.relayOffers = answer;
    }

    /** Who takes part in a hole punch on PUNCH_NOW; set once this peer's server runs. */
    private volatile java.util.function.Consumer<RegistryPush.PunchNow> punches;

    void punches(java.util.function.Consumer<RegistryPush.PunchNow> answer) {
        this.punches = answer;
    }

    /** Where MAILBOX_ITEM and MAILBOX_EXPIRED go; set once, before the registry session opens. */
    void mailbox(Mailbox mailbox) {
        this.mailbox = mailbox;
    }

    /** Asked for each room's backlog after a rejoin; set once, before the registry session opens. */
    void backlog(Backlog backlog) {
        this.backlog = backlog;
    }

    @Override
    public void onPush(RegistryPush push) {
        if (push instanceof RegistryPush.MailboxItem || push instanceof RegistryPush.MailboxExpired) {
            if (mailbox != null) {
                mailbox.onPush(push);
            }
            return;
        }
        if (push instanceof RegistryPush.Reachability reachability) {
            selfTested(reachability);
            return;
        }
        if (push instanceof RegistryPush.DialBack dialBack) {
            dialBack(dialBack.asker());
            return;
        }
        if (push instanceof RegistryPush.RelayOffer offer) {
            java.util.function.Consumer<RegistryPush.RelayOffer> answer = relayOffers;
            if (answer != null && status.username() != null) {
                answer.accept(offer);
            }
            return;
        }
        if (push instanceof RegistryPush.PunchNow punch) {
            java.util.function.Consumer<RegistryPush.PunchNow> answer = punches;
            if (answer != null && status.username() != null) {
                answer.accept(punch);
            }
            return;
        }
        emitRoomChanges(room.apply(push));
        if (push instanceof RegistryPush.UserLogout logout && chats.closedBy(logout.username())) {
            // The registry tells room members only; a partner outside our room is noticed by MeshTransport.
            String why = "timeout".equalsIgnoreCase(logout.reason()) ? logout.username() + " went offline (timed out)"
                    : logout.username() + " logged out";
            events.emit(new PeerEvent.ChatClosed(logout.username(), why));
            sender.divertDirectCopiesTo(logout.username(), why);
        }
        if (push instanceof RegistryPush.RoomMemberJoined joined) {
            directory.remember(joined.member());
            // Copies kept for a member who timed out go now, in their order, instead of at their next retry.
            deliveries.retryNow();
        }
    }

    /**
     * REACHABILITY: the ladder uses it at once (a peer nobody can dial does not wait for a dial-back); a peer nobody
     * can dial is told once per login, in plain words, since every chat it opens takes a slower path.
     */
    private void selfTested(RegistryPush.Reachability reachability) {
        links.selfTested(reachability);
        if (reachability.dialable() == dev.p2pchat.protocol.Dialable.NO && !toldUndialable.getAndSet(true)) {
            String at = String.join(", ", reachability.tested().stream().map(c -> c.text()).toList());
            events.emit(new PeerEvent.Notice("Nobody can dial you directly at " + at
                    + ": chats reach you by dial-back, hole punching or a relay."));
        }
    }

    /** Off the reader thread: a dial takes up to the connect timeout per address. */
    private void dialBack(PeerInfo asker) {
        String me = status.username();
        if (me == null) {
            return;
        }
        Thread.ofVirtual().name("dial-back-" + asker.username()).start(() -> {
            try {
                links.dialBack(asker, me);
                LOG.info("Dialled {} back at its request", asker.username());
            } catch (IOException e) {
                LOG.info("Could not dial {} back: {}", asker.username(), e.getMessage());
            }
        });
    }

    @Override
    public List<String> roomsToRestore() {
        return room.rooms();
    }

    @Override
    public void onConnectionLost(String detail) {
        if (status.isClosed()) {
            return;
        }
        status.connection(ConnectionState.RECONNECTING);
        events.emit(new PeerEvent.ConnectionChanged(ConnectionState.RECONNECTING, detail));
    }

    @Override
    public void onRestored(RegistryReply.Auth auth, RegistrySession.Caller caller) throws IOException {
        if (auth == null) {
            return;
        }
        List<String> restored = auth.allRestoredRooms();
        for (String roomName : room.rooms()) {
            rejoin(roomName, restored.contains(roomName), auth, caller);
        }
    }

    /** Puts the user back into one of its rooms (unless the RESUME did) and refreshes that room's members. */
    private void rejoin(String roomName, boolean restored, RegistryReply.Auth auth, RegistrySession.Caller caller)
            throws IOException {
        RoomState.Listing listing = room.openListing(roomName);
        try {
            rejoin(roomName, restored, auth, caller, listing);
        } finally {
            room.close(listing);
        }
    }

    private void rejoin(String roomName, boolean restored, RegistryReply.Auth auth, RegistrySession.Caller caller,
                        RoomState.Listing listing) throws IOException {
        if (!restored) {
            RegistryReply reply = caller.call(new RegistryRequest.JoinChatRoom(roomName,
                    room.passwordDigest(roomName)));
            boolean back = reply instanceof RegistryReply.Join join
                    && (join.status().isSuccess() || join.status().equals(Status.WRONG_STATE));
            if (!back) {
                String why = reply instanceof RegistryReply.Join join && join.reason() != null ? join.reason()
                        : String.valueOf(reply);
                room.leave(roomName);
                sender.abandonRoomCopies(roomName);
                events.emit(new PeerEvent.Notice("Could not rejoin room '" + roomName + "' after reconnecting: "
                        + why));
                return;
            }
        }
        RegistryReply reply = caller.call(new RegistryRequest.DiscoverPeers(roomName));
        if (reply instanceof RegistryReply.PeerList list && list.status().isSuccess()) {
            list.peers().forEach(directory::remember);
            // After a registry restart the members come back one by one: whoever is not listed yet is
            // most likely reconnecting too, not gone. Keep them, and ask again once all had time to return.
            emitRoomChanges(room.addMembers(listing, roomName, list.peers()));
            recheckMembersLater(roomName, auth.keepaliveTimeout());
            Backlog fetcher = backlog;
            if (fetcher != null) {
                fetcher.fetchLater(roomName); // what was said while this peer was away
            }
        }
    }

    @Override
    public void onReconnected(String detail) {
        if (status.isClosed()) {
            return;
        }
        status.connection(ConnectionState.CONNECTED);
        events.emit(new PeerEvent.ConnectionChanged(ConnectionState.RECONNECTED, detail));
        deliveries.retryNow();
    }

    @Override
    public void onLoginLost(String detail) {
        // Not under Peer's userLock: a user call holding it may be waiting for this very reconnection.
        deliveries.suspendAll();
        endSession("the registry logged you out");
        events.emit(new PeerEvent.Notice(Failures.capitalise(detail) + "."));
    }

    @Override
    public void onCertificateRefused(String detail) {
        // Offline until the pinned registry answers again; the session keeps trying and reports RECONNECTED then.
        status.connection(ConnectionState.OFFLINE);
        events.emit(new PeerEvent.ConnectionChanged(ConnectionState.OFFLINE, detail));
    }

    private void emitRoomChanges(List<PeerEvent> changes) {
        for (PeerEvent change : changes) {
            events.emit(change);
            if (change instanceof PeerEvent.MemberLeft left && !left.reason().equals("timeout")) {
                // A member who timed out most likely lost the network and comes back: their copies stay queued,
                // in order, for the delivery window (the lane retries them; a rejoin hurries them), and fail
                // only if they are not back by then.
                String why = switch (left.reason()) {
                    case "logout" -> left.user() + " logged out";
                    default -> left.user() + " left the room";
                };
                sender.abandonRoomCopiesTo(left.user(), why);
            }
        }
    }

    /**
     * Replaces the member list with the registry's once the members kept through a reconnect have had a
     * keep-alive timeout plus the longest reconnect backoff to come back; those still missing are reported gone.
     */
    private void recheckMembersLater(String roomName, Duration keepAliveTimeout) {
        Duration timeout = keepAliveTimeout == null || keepAliveTimeout.isZero() ? retryMax : keepAliveTimeout;
        Runnable recheck = () -> Thread.ofVirtual().name("room-recheck").start(() -> {
            if (status.isClosed() || status.username() == null || !room.isIn(roomName)) {
                return;
            }
            RoomState.Listing listing = room.openListing(roomName);
            try {
                RegistryReply reply = registry.call(new RegistryRequest.DiscoverPeers(roomName));
                if (reply instanceof RegistryReply.PeerList list && list.status().isSuccess()
                        && room.isIn(roomName)) {
                    list.peers().forEach(directory::remember);
                    emitRoomChanges(room.replaceMembers(listing, roomName, list.peers()));
                }
            } catch (IOException e) {
                LOG.debug("Could not recheck the members of {}: {}", roomName, e.toString());
            } finally {
                room.close(listing);
            }
        });
        try {
            timer.schedule(recheck, timeout.plus(retryMax).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Not rechecking the members of {}: shutting down", roomName);
        }
    }

    /** Forgets the login locally: rooms, chats, links. */
    void endSession(String reason) {
        room.leaveAll();
        for (String with : chats.closeAll()) {
            events.emit(new PeerEvent.ChatClosed(with, reason));
        }
        links.dropAll("logged out");
        links.selfTested(null); // the next login may be from elsewhere
        toldUndialable.set(false);
        status.loggedOut();
    }
}
