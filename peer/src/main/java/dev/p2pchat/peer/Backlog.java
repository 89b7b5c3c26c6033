package dev.p2pchat.peer;

import dev.p2pchat.peer.PeerDirectory.Lookup;
import dev.p2pchat.peer.history.HistoryLine;
import dev.p2pchat.peer.history.SignedMessage;
import dev.p2pchat.peer.mesh.Links;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.CertificateText;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.RoomMessageSignature;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A room's recent backlog (PROTOCOL.md 13.9), both ways. Served: to a current member of a room this user is in,
 * the signed messages of the last {@link #WINDOW} (at most {@link Limits#MAX_BACKLOG_ITEMS}) from the chat history;
 * nothing without a history. Fetched: after joining or rejoining a room, from one present member after another until
 * one answers; each item is shown only if its signature verifies against its author's key (the pinned one, or what
 * the registry hands out if it matches the pin) and it was not seen before; the rest are dropped and counted. Never
 * trusts the member relaying it for anything but availability.
 */
final class Backlog {
    private static final Logger LOG = LoggerFactory.getLogger(Backlog.class);
    /** How far back a backlog reaches. */
    static final Duration WINDOW = Duration.ofHours(24);
    /** Members asked at most, one after the other, before giving up. */
    static final int MEMBERS_ASKED = 5;

    private final PeerStatus status;
    private final RoomState room;
    private final PeerDirectory directory;
    private final HistoryKeeper history;
    private final Links links;
    private final EventDispatcher events;
    private final DuplicateFilter duplicates;
    private final ContactKeys keys;
    private final RegistryCalls registry;
    private final Identity identity;
    private final Clock clock;
    private final Duration requestTimeout;

    Backlog(PeerStatus status, RoomState room, PeerDirectory directory, HistoryKeeper history, Links links,
            EventDispatcher events, DuplicateFilter duplicates, ContactKeys keys, RegistryCalls registry,
            Identity identity, Clock clock, Duration requestTimeout) {
        this.status = status;
        this.room = room;
        this.directory = directory;
        this.history = history;
        this.links = links;
        this.events = events;
        this.duplicates = duplicates;
        this.keys = keys;
        this.registry = registry;
        this.identity = identity;
        this.clock = clock;
        this.requestTimeout = requestTimeout;
    }

    // ---------------------------------------------------------------- serving

    /** The answer to a member's ROOM_BACKLOG (on the link's thread; it may ask the registry about membership). */
    PeerReply serve(PeerRequest.RoomBacklog request) {
        String me = status.username();
        String roomName = request.roomName();
        String asker = request.senderUsername();
        if (me == null || !room.isIn(roomName)) {
            return new ErrorReply(Status.FORBIDDEN, (me == null ? "this peer" : me) + " is not in room " + roomName);
        }
        if (!room.isMember(roomName, asker)) {
            // They may have joined a moment ago and the registry's push is still on its way: ask.
            try {
                if (!(directory.lookup(asker) instanceof Lookup.Found found && found.rooms().contains(roomName))) {
                    return new ErrorReply(Status.FORBIDDEN, asker + " is not a member of room " + roomName);
                }
            } catch (IOException e) {
                return new ErrorReply(LinkAdmission.UNAVAILABLE, "cannot check room membership right now");
            }
        }
        if (!history.enabled()) {
            return new ErrorReply(Status.NOT_FOUND, me + " keeps no history");
        }
        List<SignedMessage> kept;
        try {
            kept = history.store().signedSince(me, HistoryLine.room(roomName), request.since(), request.limit());
        } catch (IOException | PeerException e) {
            LOG.warn("Cannot read the backlog of {}: {}", roomName, e.getMessage());
            return new ErrorReply(Status.SERVER_ERROR, "cannot read the history");
        }
        List<PeerRequest.DirectBroadcast> items = new ArrayList<>(kept.size());
        for (SignedMessage m : kept) {
            try {
                items.add(new PeerRequest.DirectBroadcast(m.id(), m.sender(), roomName, m.sentAt(), m.text(),
                        m.signature()));
            } catch (IllegalArgumentException e) {
                LOG.debug("Not serving a kept message of {} that is no longer valid: {}", roomName, e.getMessage());
            }
        }
        LOG.debug("Serving {} backlog items of {} to {}", items.size(), roomName, asker);
        return PeerReply.RoomBacklogResponse.fitting(me, roomName, items);
    }

    // ---------------------------------------------------------------- fetching

    /** Asks for {@code roomName}'s backlog in the background (the user just joined or rejoined it). */
    void fetchLater(String roomName) {
        Instant joinedAt = clock.instant();
        Thread.ofVirtual().name("backlog").start(() -> {
            try {
                fetch(roomName, joinedAt);
            } catch (RuntimeException e) {
                LOG.error("Fetching the backlog of {} failed", roomName, e);
            }
        });
    }

    /**
     * Asks the present members one after another until one answers; shows what verifies. {@code joinedAt}: when this
     * user (re)joined; an item said after it raced its live copy here and is shown as an ordinary message, once.
     */
    void fetch(String roomName, Instant joinedAt) {
        String me = status.username();
        if (me == null) {
            return;
        }
        List<PeerInfo> others = room.others(roomName);
        for (PeerInfo member : others.subList(0, Math.min(others.size(), MEMBERS_ASKED))) {
            PeerRequest.RoomBacklog ask = new PeerRequest.RoomBacklog(me, roomName, clock.instant().minus(WINDOW),
                    Limits.MAX_BACKLOG_ITEMS);
            PeerReply reply;
            try {
                reply = links.send(member, ask, UUID.randomUUID().toString())
                        .get(requestTimeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (IOException | ExecutionException | TimeoutException e) {
                LOG.debug("No backlog of {} from {}: {}", roomName, member.username(), e.toString());
                continue;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (reply instanceof PeerReply.RoomBacklogResponse backlog && backlog.status().isSuccess()) {
                take(me, roomName, member.username(), backlog, joinedAt);
                return;
            }
            LOG.debug("{} does not serve the backlog of {}: {}", member.username(), roomName, reply);
        }
    }

    private void take(String me, String roomName, String from, PeerReply.RoomBacklogResponse backlog,
                      Instant joinedAt) {
        Map<String, X509Certificate> authors = new HashMap<>();
        int shown = 0;
        int dropped = 0;
        for (PeerRequest.DirectBroadcast item : backlog.items()) {
            X509Certificate author = item.roomName().equalsIgnoreCase(roomName)
                    ? authors.computeIfAbsent(item.senderUsername().toLowerCase(Locale.ROOT), this::certificateOf)
                    : null;
            if (!RoomMessageSignature.verify(author, item.signature(), item.id(), item.senderUsername(), roomName,
                    item.timestamp(), item.text())) {
                dropped++;
                continue;
            }
            if (alreadyHave(me, roomName, item) || !duplicates.firstTime(item.senderUsername(), item.id())) {
                continue;
            }
            boolean earlier = item.timestamp().isBefore(joinedAt);
            if (earlier) {
                shown++;
            }
            events.emit(new PeerEvent.RoomMessageReceived(item.id(), roomName, item.senderUsername(),
                    item.timestamp(), item.text(), item.signature(), earlier));
        }
        if (dropped > 0) {
            LOG.info("Dropped {} backlog items of {} from {} that do not verify", dropped, roomName, from);
        }
        events.emit(new PeerEvent.RoomBacklogReceived(roomName, from, shown, dropped, backlog.omitted()));
    }

    private boolean alreadyHave(String me, String roomName, PeerRequest.DirectBroadcast item) {
        if (!history.enabled()) {
            return false;
        }
        try {
            return history.store().contains(me, HistoryLine.room(roomName), item.id());
        } catch (IOException | PeerException e) {
            return false;
        }
    }

    /**
     * {@code user}'s identity certificate, only if it is the pinned key (pinned now if it is the first seen): from
     * SEARCH_USER, which hands it out also when the user is offline. Null when there is none to trust.
     */
    private X509Certificate certificateOf(String user) {
        if (user.equalsIgnoreCase(status.username())) {
            return identity.certificate();
        }
        try {
            RegistryReply reply = registry.call(new RegistryRequest.SearchUser(user));
            if (!(reply instanceof RegistryReply.SearchUserResponse found) || found.certificate() == null) {
                return null;
            }
            X509Certificate certificate = CertificateText.decode(found.certificate());
            return keys.accepts(user, Fingerprints.sha256Hex(certificate), found.certificate(), "from the registry")
                    ? certificate : null;
        } catch (IOException | IllegalArgumentException e) {
            LOG.debug("No certificate for {}: {}", user, e.toString());
            return null;
        }
    }
}
