package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.EncodedFrame;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one owner of the registry's live state: who is online, who is in which room, and which session tokens
 * were revoked. Its methods are the only way to change that state. Every change takes one lock, so membership
 * rules (capacity, at most so many rooms per session, one session per user) hold without further thought. Lookups by name do not
 * take the lock.
 *
 * <p>It never does I/O, and never calls an {@link Outbox}, under its lock: a change returns a {@link Change} whose
 * {@link Effect}s (pushes to send, connections to close) are carried out by {@link #deliver()} once the lock is
 * released. Pushes are built before the state is touched where they can be, and encoded only on delivery, so a
 * failure to build or encode one can never leave a change half made. Effects are also queued, under the lock, in
 * the order of the changes, and {@link #deliver()} drains that queue in order: members hear of changes in the
 * order they happened, whichever thread delivers. Names are compared ignoring case.
 */
public final class SessionRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRegistry.class);
    private static final Comparator<Session> BY_NAME = Comparator.comparing(Session::key);
    private static final int KEEPALIVE_TOKEN_BYTES = 24;
    /** Rooms one session may be in at once unless told otherwise (the registry's --max-rooms-per-session). */
    public static final int DEFAULT_MAX_ROOMS_PER_SESSION = 10;

    private final Clock clock;
    private final int maxRoomsPerSession;
    private final SecureRandom random = new SecureRandom();
    private final ReentrantLock lock = new ReentrantLock();
    /** By folded username. Written under {@link #lock}, read freely. */
    private final ConcurrentHashMap<String, Session> sessions = new ConcurrentHashMap<>();
    /** Rooms that have at least one member, by folded name. Guarded by {@link #lock}. */
    private final Map<String, LiveRoom> rooms = new HashMap<>();
    /** Tokens of ended sessions, until they expire: such a session cannot be resumed. Guarded by {@link #lock}. */
    private final Map<String, Instant> revokedTokens = new HashMap<>();
    /** Bumped under {@link #lock} whenever a room gains or loses a member: lets a cached room list tell it is stale. */
    private volatile long membershipVersion;
    /** Effects of changes not yet delivered, in the order of the changes: appended only under {@link #lock}. */
    private final ConcurrentLinkedQueue<Effect> undelivered = new ConcurrentLinkedQueue<>();
    /** Held by the one thread draining {@link #undelivered}; never taken with {@link #lock} held. */
    private final ReentrantLock delivering = new ReentrantLock();
    /**
     * Told, on delivery and in order, each change the other nodes of a cluster must learn of; null for a registry
     * of its own, which then builds no {@link Effect.Publish} at all. It must not block: it only queues.
     */
    private final Consumer<PresenceUpdate> presence;

    public SessionRegistry(Clock clock) {
        this(clock, DEFAULT_MAX_ROOMS_PER_SESSION);
    }

    public SessionRegistry(Clock clock, int maxRoomsPerSession) {
        this(clock, maxRoomsPerSession, null);
    }

    /** A node of a cluster: {@code presence} hears every session's changes (see {@link PresenceUpdate}). */
    public SessionRegistry(Clock clock, int maxRoomsPerSession, Consumer<PresenceUpdate> presence) {
        this.presence = presence;
        if (maxRoomsPerSession < 1) {
            throw new IllegalArgumentException("max rooms per session must be at least 1: " + maxRoomsPerSession);
        }
        this.clock = clock;
        this.maxRoomsPerSession = maxRoomsPerSession;
    }

    public int maxRoomsPerSession() {
        return maxRoomsPerSession;
    }

    /**
     * Starts a session after a password check. A user still online on an attached connection is refused; a
     * session left behind by a dropped connection is replaced (each of its rooms is told the user left).
     */
    public Change<AuthOutcome> login(String username, String token, Instant tokenExpires, Endpoint endpoint,
            Outbox outbox) {
        List<Effect> effects = new ArrayList<>();
        lock.lock();
        try {
            Session existing = sessions.get(Session.key(username));
            if (existing != null) {
                if (existing.isAttached()) {
                    return Change.of(new AuthOutcome.AlreadyOnline());
                }
                endLocked(existing, Ending.REPLACED, effects);
            }
            Session session = startLocked(username, token, tokenExpires, endpoint, outbox);
            publishLocked(session, effects);
            return changedLocked(new AuthOutcome.Authenticated(session, List.of()), effects);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restores a session from a token the caller has verified. The live session the token was issued for is taken
     * over (its rooms kept, its old connection closed, a new keep-alive token issued). Without one (the registry
     * restarted) a new session starts and rejoins each of {@code roomsToRestore} that has space, in order, up to
     * the number of rooms a session may be in. A revoked token is refused.
     */
    public Change<AuthOutcome> resume(String username, String token, Instant tokenExpires, Endpoint endpoint,
            Outbox outbox, RoomRef roomToRestore) {
        return resume(username, token, tokenExpires, endpoint, outbox,
                roomToRestore == null ? List.of() : List.of(roomToRestore));
    }

    public Change<AuthOutcome> resume(String username, String token, Instant tokenExpires, Endpoint endpoint,
            Outbox outbox, List<RoomRef> roomsToRestore) {
        List<Effect> effects = new ArrayList<>();
        lock.lock();
        try {
            if (revokedTokens.containsKey(token)) {
                return Change.of(new AuthOutcome.TokenRevoked());
            }
            Session existing = sessions.get(Session.key(username));
            if (existing != null) {
                if (sameToken(existing.token(), token)) {
                    takeOverLocked(existing, endpoint, outbox, effects);
                    publishLocked(existing, effects);
                    return changedLocked(new AuthOutcome.Authenticated(existing, existing.rooms()), effects);
                }
                if (existing.isAttached()) {
                    return Change.of(new AuthOutcome.AlreadyOnline());
                }
                endLocked(existing, Ending.REPLACED, effects);
            }
            Session session = startLocked(username, token, tokenExpires, endpoint, outbox);
            for (RoomRef room : roomsToRestore) {
                joinLocked(session, room, effects);
            }
            publishLocked(session, effects);
            return changedLocked(new AuthOutcome.Authenticated(session, session.rooms()), effects);
        } finally {
            lock.unlock();
        }
    }

    public Change<JoinOutcome> join(Session session, RoomRef room) {
        List<Effect> effects = new ArrayList<>();
        lock.lock();
        try {
            JoinOutcome outcome = joinLocked(session, room, effects);
            if (outcome == JoinOutcome.JOINED) {
                publishLocked(session, effects);
            }
            return changedLocked(outcome, effects);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Leaves {@code roomName}; without a name (null), the one room the session is in, as the design document has
     * it: a session in several rooms must say which (NAME_NEEDED), so no room is left by a guess.
     */
    public Change<LeaveOutcome> leave(Session session, String roomName) {
        List<Effect> effects = new ArrayList<>();
        lock.lock();
        try {
            if (session.isEnded()) {
                return Change.of(new LeaveOutcome(LeaveOutcome.Kind.SESSION_ENDED, null));
            }
            List<String> in = session.rooms();
            if (in.isEmpty()) {
                return Change.of(new LeaveOutcome(LeaveOutcome.Kind.NOT_IN_A_ROOM, null));
            }
            String room;
            if (roomName == null) {
                if (in.size() > 1) {
                    return Change.of(new LeaveOutcome(LeaveOutcome.Kind.NAME_NEEDED, null, in));
                }
                room = in.getFirst();
            } else {
                room = in.stream().filter(r -> Session.key(r).equals(Session.key(roomName))).findFirst().orElse(null);
                if (room == null) {
                    return Change.of(new LeaveOutcome(LeaveOutcome.Kind.NOT_IN_THAT_ROOM,
                            in.size() == 1 ? in.getFirst() : null, in));
                }
            }
            leaveRoomLocked(session, room, new RegistryPush.RoomMemberLeft(room, session.username()), effects);
            publishLocked(session, effects);
            return changedLocked(new LeaveOutcome(LeaveOutcome.Kind.LEFT, room, session.rooms()), effects);
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session at the user's request: each of its rooms hears USER_LOGOUT, its token cannot be resumed. */
    public Change<Boolean> logout(Session session) {
        List<Effect> effects = new ArrayList<>();
        lock.lock();
        try {
            if (session.isEnded()) {
                return Change.of(false);
            }
            endLocked(session, Ending.LOGOUT, effects);
            return changedLocked(true, effects);
        } finally {
            lock.unlock();
        }
    }

    /**
     * The connection holding the session closed without LOGOUT: the session stays online until it times out.
     * False when the session had already moved to another connection (or ended).
     */
    public boolean detach(Session session, Outbox outbox) {
        lock.lock();
        try {
            if (session.isEnded() || session.outbox() != outbox) {
                return false;
            }
            session.detach();
            if (presence != null) {
                // The other nodes may now let a new login of this user replace it, as this node would.
                List<Effect> effects = new ArrayList<>(1);
                publishLocked(session, effects);
                undelivered.addAll(effects);
            }
        } finally {
            lock.unlock();
        }
        if (presence != null) {
            deliver();
        }
        return true;
    }

    /** Any request on the session's connection proves it alive, as a keep-alive does. */
    public void touch(Session session) {
        session.touch(clock.millis());
    }

    /**
     * A UDP keep-alive: valid when {@code keepAliveToken} is the current keep-alive token of the user's live
     * session. The session token is not accepted here: keep-alives travel in clear, and whoever read one must not
     * learn anything that RESUMEs the session.
     */
    public boolean keepAlive(String username, String keepAliveToken, InetSocketAddress from) {
        Session session = sessions.get(Session.key(username));
        if (session == null || !sameToken(session.keepAliveToken(), keepAliveToken)) {
            return false;
        }
        session.keepAliveFrom(from, clock.millis());
        return !session.isEnded();
    }

    /**
     * Ends every session silent for longer than {@code timeout}: each of its rooms hears USER_LOGOUT with reason
     * timeout.
     * The effects close each expired session's connection; the caller tells each returned session's peer (UDP).
     * Also forgets revoked tokens that have expired anyway. One pass costs one look at each session.
     */
    public Change<List<Session>> expireIdle(Duration timeout) {
        long now = clock.millis();
        long silentSince = now - timeout.toMillis();
        List<Session> expired = new ArrayList<>();
        List<Effect> effects = new ArrayList<>();
        for (Session session : sessions.values()) {
            if (session.lastSeenMillis() < silentSince) {
                lock.lock();
                try {
                    if (!session.isEnded() && session.lastSeenMillis() < silentSince) {
                        List<Effect> mine = new ArrayList<>();
                        endLocked(session, Ending.TIMEOUT, mine);
                        undelivered.addAll(mine);
                        effects.addAll(mine);
                        expired.add(session);
                    }
                } finally {
                    lock.unlock();
                }
            }
        }
        lock.lock();
        try {
            Instant instant = Instant.ofEpochMilli(now);
            revokedTokens.values().removeIf(expires -> !expires.isAfter(instant));
        } finally {
            lock.unlock();
        }
        return new Change<>(expired, effects);
    }

    /**
     * Carries out the effects of every change made so far, in the order of the changes; call it after any change,
     * holding no lock. A push is encoded once and the same bytes queued for each recipient. Connections are closed
     * last, outside the delivery lock too, since closing a socket may block. When another thread is already
     * delivering, it takes this thread's effects along and this returns at once.
     */
    public void deliver() {
        while (!undelivered.isEmpty() && delivering.tryLock()) {
            List<Effect.Kick> kicks = new ArrayList<>();
            try {
                Effect effect;
                while ((effect = undelivered.poll()) != null) {
                    switch (effect) {
                        case Effect.Send send -> send(send);
                        case Effect.Kick kick -> kicks.add(kick);
                        case Effect.Publish publish -> publish(publish.update());
                    }
                }
            } finally {
                delivering.unlock();
            }
            for (Effect.Kick kick : kicks) {
                try {
                    kick.outbox().kick(kick.why());
                } catch (RuntimeException e) {
                    LOG.warn("Closing a connection failed: {}", e.toString());
                }
            }
        }
    }

    private void publish(PresenceUpdate update) {
        try {
            presence.accept(update);
        } catch (RuntimeException e) {
            LOG.error("Cannot publish the presence of {} to the cluster", update.username(), e);
        }
    }

    private static void send(Effect.Send send) {
        EncodedFrame frame;
        try {
            frame = EncodedFrame.of(send.push().toFrame());
        } catch (RuntimeException e) {
            LOG.error("Cannot encode {}; {} recipients miss it", send.push().getClass().getSimpleName(),
                    send.to().size(), e);
            return;
        }
        for (Outbox outbox : send.to()) {
            try {
                outbox.send(frame);
            } catch (RuntimeException e) {
                LOG.warn("Queueing a push failed: {}", e.toString());
            }
        }
    }

    /**
     * Queues {@code push} for {@code username} when that user is online on a connection, and delivers it; false
     * when there is no such connection (nothing is queued).
     */
    public boolean pushTo(String username, RegistryPush push) {
        lock.lock();
        try {
            Session session = sessions.get(Session.key(username));
            if (session == null || session.isEnded() || session.outbox() == null) {
                return false;
            }
            undelivered.add(new Effect.Send(List.of(session.outbox()), push));
        } finally {
            lock.unlock();
        }
        deliver();
        return true;
    }

    /**
     * The reachability self-test of {@code tested}, {@code session}'s endpoint when it started, ended: the session
     * is listed with its verdict from now on, its own connection is told ({@code REACHABILITY}), and each of its
     * rooms hears the member again when the verdict changed (a client takes a repeated JOINED as an update). False,
     * and nothing changes, when the session ended or moved to another endpoint meanwhile (its own test will say).
     */
    public boolean selfTested(Session session, Endpoint tested, RegistryPush.Reachability result) {
        List<Effect> effects = new ArrayList<>();
        lock.lock();
        try {
            if (session.isEnded() || session.endpoint() != tested) {
                return false;
            }
            List<RegistryPush.RoomMemberJoined> again = new ArrayList<>();
            if (session.dialable() != result.dialable()) {
                for (String room : session.rooms()) {
                    again.add(new RegistryPush.RoomMemberJoined(room,
                            tested.asPeer(session.username(), room, result.dialable())));
                }
            }
            session.dialable(result.dialable());
            Outbox outbox = session.outbox();
            if (outbox != null) {
                effects.add(new Effect.Send(List.of(outbox), result));
            }
            for (RegistryPush.RoomMemberJoined push : again) {
                pushToRoomLocked(push.roomName(), session, push, effects);
            }
            undelivered.addAll(effects);
        } finally {
            lock.unlock();
        }
        deliver();
        return true;
    }

    /**
     * For a node of a cluster: tells the attached local members of {@code roomName} (all but {@code username}, the
     * user it is about) what happened to a member on another node, and delivers it.
     */
    public void announce(String roomName, String username, RegistryPush push) {
        List<Effect> effects = new ArrayList<>(1);
        lock.lock();
        try {
            pushToRoomLocked(roomName, sessions.get(Session.key(username)), push, effects);
            undelivered.addAll(effects);
        } finally {
            lock.unlock();
        }
        deliver();
    }

    /**
     * For a node of a cluster: {@code username}'s session moved to another node (a RESUME there, or a login
     * replacing a session whose connection had dropped). The local one ends without revoking its token (it lives on
     * there); its rooms here hear ROOM_MEMBER_LEFT, and a connection still holding it is closed with {@code why}.
     * False when there was no such session.
     */
    public boolean evict(String username, String why) {
        List<Effect> effects = new ArrayList<>();
        lock.lock();
        try {
            Session session = sessions.get(Session.key(username));
            if (session == null || session.isEnded()) {
                return false;
            }
            Outbox outbox = session.outbox();
            endLocked(session, Ending.MOVED, effects);
            if (outbox != null) {
                effects.add(new Effect.Kick(outbox, why));
            }
            undelivered.addAll(effects);
        } finally {
            lock.unlock();
        }
        deliver();
        return true;
    }

    public Optional<Session> find(String username) {
        return Optional.ofNullable(sessions.get(Session.key(username)));
    }

    /** Every online user but {@code except} (null for none), ordered by name. */
    public List<PeerInfo> onlinePeers(Session except) {
        List<Session> online = new ArrayList<>(sessions.size());
        for (Session session : sessions.values()) {
            if (session != except && !session.isEnded()) {
                online.add(session);
            }
        }
        return peersByName(online);
    }

    /** The members of a room, ordered by name; empty when nobody is in it. */
    public List<PeerInfo> roomMembers(String roomName) {
        lock.lock();
        try {
            LiveRoom room = rooms.get(Session.key(roomName));
            if (room == null) {
                return List.of();
            }
            return peersByName(new ArrayList<>(room.members));
        } finally {
            lock.unlock();
        }
    }

    private static List<PeerInfo> peersByName(List<Session> sessions) {
        sessions.sort(BY_NAME);
        List<PeerInfo> peers = new ArrayList<>(sessions.size());
        for (Session session : sessions) {
            peers.add(session.peerInfo());
        }
        return peers;
    }

    /** Live member counts by folded room name; rooms nobody is in are absent. */
    public Map<String, Integer> memberCounts() {
        lock.lock();
        try {
            Map<String, Integer> counts = new HashMap<>();
            rooms.forEach((key, room) -> counts.put(key, room.members.size()));
            return counts;
        } finally {
            lock.unlock();
        }
    }

    /** Changes whenever a member count of {@link #memberCounts()} may have changed. */
    public long membershipVersion() {
        return membershipVersion;
    }

    /** The folded form of a name, as the keys of {@link #memberCounts()}. */
    public static String fold(String name) {
        return Session.key(name);
    }

    public int onlineCount() {
        return sessions.size();
    }

    private Session startLocked(String username, String token, Instant tokenExpires, Endpoint endpoint,
            Outbox outbox) {
        Session session = new Session(username, token, tokenExpires, newKeepAliveToken(), endpoint, outbox,
                clock.millis());
        sessions.put(Session.key(username), session);
        return session;
    }

    /** Queues the change's effects for {@link #deliver()} in the order changes are made, and returns them. */
    private <T> Change<T> changedLocked(T outcome, List<Effect> effects) {
        undelivered.addAll(effects);
        return new Change<>(outcome, effects);
    }

    private void takeOverLocked(Session session, Endpoint endpoint, Outbox outbox, List<Effect> effects) {
        Outbox previous = session.outbox();
        Endpoint before = session.endpoint();
        // Built before anything changes: a push that cannot be built must not leave the session half taken over.
        List<RegistryPush.RoomMemberJoined> moved = new ArrayList<>();
        if (!before.equals(endpoint)) {
            for (String room : session.rooms()) {
                moved.add(new RegistryPush.RoomMemberJoined(room, endpoint.asPeer(session.username(), room)));
            }
        }
        String keepAliveToken = newKeepAliveToken();
        session.attach(outbox, endpoint, keepAliveToken);
        session.touch(clock.millis());
        if (previous != null && previous != outbox) {
            effects.add(new Effect.Kick(previous, "session resumed on another connection"));
        }
        for (RegistryPush.RoomMemberJoined push : moved) {
            // The others must learn the new address; a client treats a repeated JOINED as an update.
            pushToRoomLocked(push.roomName(), session, push, effects);
        }
    }

    private JoinOutcome joinLocked(Session session, RoomRef ref, List<Effect> effects) {
        if (session.isEnded()) {
            return JoinOutcome.SESSION_ENDED;
        }
        if (session.isIn(ref.name())) {
            return JoinOutcome.ALREADY_IN_THIS_ROOM;
        }
        if (session.rooms().size() >= maxRoomsPerSession) {
            return JoinOutcome.TOO_MANY_ROOMS;
        }
        LiveRoom existing = rooms.get(Session.key(ref.name()));
        if (existing != null && existing.members.size() >= existing.capacity) {
            return JoinOutcome.FULL;
        }
        String name = existing != null ? existing.name : ref.name();
        RegistryPush joined = new RegistryPush.RoomMemberJoined(name,
                session.endpoint().asPeer(session.username(), name, session.dialable()));
        LiveRoom room = existing != null ? existing : new LiveRoom(ref.name(), ref.capacity());
        rooms.putIfAbsent(Session.key(ref.name()), room);
        room.members.add(session);
        membershipVersion++;
        session.joined(room.name);
        pushToRoomLocked(room.name, session, joined, effects);
        return JoinOutcome.JOINED;
    }

    private void leaveRoomLocked(Session session, String roomName, RegistryPush announcement, List<Effect> effects) {
        String key = Session.key(roomName);
        LiveRoom room = rooms.get(key);
        session.left(roomName);
        if (room == null) {
            return;
        }
        room.members.remove(session);
        membershipVersion++;
        if (room.members.isEmpty()) {
            rooms.remove(key);
        } else {
            pushToRoomLocked(roomName, session, announcement, effects);
        }
    }

    private void endLocked(Session session, Ending ending, List<Effect> effects) {
        // Built before anything changes, so that a push that cannot be built leaves the session as it was. One
        // per room: a member of two of them hears it in each, as it heard each JOINED.
        Map<String, RegistryPush> announcements = new java.util.LinkedHashMap<>();
        for (String room : session.rooms()) {
            announcements.put(room, switch (ending) {
                case LOGOUT -> new RegistryPush.UserLogout(session.username(), room, null);
                case TIMEOUT -> new RegistryPush.UserLogout(session.username(), room, "timeout");
                case REPLACED, MOVED -> new RegistryPush.RoomMemberLeft(room, session.username());
            });
        }
        sessions.remove(Session.key(session.username()), session);
        session.end();
        if (ending != Ending.MOVED) {
            revokedTokens.put(session.token(), session.tokenExpires());
            if (presence != null) {
                effects.add(new Effect.Publish(new PresenceUpdate.Offline(session.username(), session.token(),
                        session.tokenExpires(), switch (ending) {
                            case LOGOUT -> PresenceUpdate.Reason.LOGOUT;
                            case TIMEOUT -> PresenceUpdate.Reason.TIMEOUT;
                            default -> PresenceUpdate.Reason.REPLACED;
                        })));
            }
        }
        Outbox outbox = session.outbox();
        if (ending == Ending.TIMEOUT && outbox != null) {
            effects.add(new Effect.Kick(outbox, "session timed out"));
        }
        announcements.forEach((room, announcement) -> leaveRoomLocked(session, room, announcement, effects));
    }

    /** Adds one Send to every member but {@code subject} that is attached; nothing when there is none. */
    private void pushToRoomLocked(String roomName, Session subject, RegistryPush push, List<Effect> effects) {
        LiveRoom room = rooms.get(Session.key(roomName));
        if (room == null) {
            return;
        }
        List<Outbox> to = new ArrayList<>(room.members.size());
        for (Session member : room.members) {
            Outbox outbox = member.outbox();
            if (member != subject && outbox != null) {
                to.add(outbox);
            }
        }
        if (!to.isEmpty()) {
            effects.add(new Effect.Send(to, push));
        }
    }

    /** Random, unrelated to the session token, so that reading one tells nothing about the other. */
    private String newKeepAliveToken() {
        byte[] bytes = new byte[KEEPALIVE_TOKEN_BYTES];
        random.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static boolean sameToken(String expected, String presented) {
        return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    /** The session's state as the other nodes of a cluster must now see it; nothing for a registry of its own. */
    private void publishLocked(Session session, List<Effect> effects) {
        if (presence != null) {
            effects.add(new Effect.Publish(new PresenceUpdate.Online(session.username(), session.token(),
                    session.endpoint(), session.rooms(), session.isAttached())));
        }
    }

    /** MOVED: the session lives on on another node of the cluster, so its token is not revoked. */
    private enum Ending { LOGOUT, TIMEOUT, REPLACED, MOVED }

    private static final class LiveRoom {
        final String name;
        final int capacity;
        final Set<Session> members = new LinkedHashSet<>();

        LiveRoom(String name, int capacity) {
            this.name = name;
            this.capacity = capacity;
        }
    }
}
