package dev.p2pchat.registry.session;

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
import java.util.concurrent.locks.ReentrantLock;

/**
 * The one owner of the registry's live state: who is online, who is in which room, and which session tokens
 * were revoked. Its methods are the only way to change that state. Every change takes one lock, so membership
 * rules (capacity, one room per user, one session per user) hold without further thought, and the pushes that
 * announce a change are queued in the same order as the changes. Lookups by name do not take the lock.
 *
 * <p>It never does I/O: pushes go to {@link Outbox}es, which only queue. Names are compared ignoring case.
 */
public final class SessionRegistry {
    private static final Comparator<PeerInfo> BY_NAME =
            Comparator.comparing(p -> Session.key(p.username()));
    private static final int KEEPALIVE_TOKEN_BYTES = 24;

    private final Clock clock;
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

    public SessionRegistry(Clock clock) {
        this.clock = clock;
    }

    /**
     * Starts a session after a password check. A user still online on an attached connection is refused; a
     * session left behind by a dropped connection is replaced (its room is told the user left).
     */
    public AuthOutcome login(String username, String token, Instant tokenExpires, Endpoint endpoint, Outbox outbox) {
        lock.lock();
        try {
            Session existing = sessions.get(Session.key(username));
            if (existing != null) {
                if (existing.isAttached()) {
                    return new AuthOutcome.AlreadyOnline();
                }
                endLocked(existing, Ending.REPLACED);
            }
            return new AuthOutcome.Authenticated(startLocked(username, token, tokenExpires, endpoint, outbox), null);
        } finally {
            lock.unlock();
        }
    }

    /**
     * Restores a session from a token the caller has verified. The live session the token was issued for is taken
     * over (its room kept, its old connection closed, a new keep-alive token issued). Without one (the registry
     * restarted) a new session starts and rejoins {@code roomToRestore} if there is space. A revoked token is
     * refused.
     */
    public AuthOutcome resume(String username, String token, Instant tokenExpires, Endpoint endpoint, Outbox outbox,
            RoomRef roomToRestore) {
        lock.lock();
        try {
            if (revokedTokens.containsKey(token)) {
                return new AuthOutcome.TokenRevoked();
            }
            Session existing = sessions.get(Session.key(username));
            if (existing != null) {
                if (sameToken(existing.token(), token)) {
                    takeOverLocked(existing, endpoint, outbox);
                    return new AuthOutcome.Authenticated(existing, existing.room());
                }
                if (existing.isAttached()) {
                    return new AuthOutcome.AlreadyOnline();
                }
                endLocked(existing, Ending.REPLACED);
            }
            Session session = startLocked(username, token, tokenExpires, endpoint, outbox);
            String restored = roomToRestore != null && joinLocked(session, roomToRestore) == JoinOutcome.JOINED
                    ? session.room() : null;
            return new AuthOutcome.Authenticated(session, restored);
        } finally {
            lock.unlock();
        }
    }

    public JoinOutcome join(Session session, RoomRef room) {
        lock.lock();
        try {
            return joinLocked(session, room);
        } finally {
            lock.unlock();
        }
    }

    /** Leaves the session's room; {@code roomName}, when not null, must name that room. */
    public LeaveOutcome leave(Session session, String roomName) {
        lock.lock();
        try {
            if (session.isEnded()) {
                return new LeaveOutcome(LeaveOutcome.Kind.SESSION_ENDED, null);
            }
            String room = session.room();
            if (room == null) {
                return new LeaveOutcome(LeaveOutcome.Kind.NOT_IN_A_ROOM, null);
            }
            if (roomName != null && !Session.key(roomName).equals(Session.key(room))) {
                return new LeaveOutcome(LeaveOutcome.Kind.NOT_IN_THAT_ROOM, room);
            }
            leaveRoomLocked(session, new RegistryPush.RoomMemberLeft(room, session.username()));
            return new LeaveOutcome(LeaveOutcome.Kind.LEFT, room);
        } finally {
            lock.unlock();
        }
    }

    /** Ends the session at the user's request: its room hears USER_LOGOUT, its token cannot be resumed. */
    public boolean logout(Session session) {
        lock.lock();
        try {
            if (session.isEnded()) {
                return false;
            }
            endLocked(session, Ending.LOGOUT);
            return true;
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
            return true;
        } finally {
            lock.unlock();
        }
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
     * Ends every session silent for longer than {@code timeout}: its room hears USER_LOGOUT with reason timeout.
     * The caller tells each returned session's peer and closes its connection. Also forgets revoked tokens that
     * have expired anyway. One pass costs one look at each session.
     */
    public List<Session> expireIdle(Duration timeout) {
        long now = clock.millis();
        long silentSince = now - timeout.toMillis();
        List<Session> expired = new ArrayList<>();
        for (Session session : sessions.values()) {
            if (session.lastSeenMillis() < silentSince) {
                lock.lock();
                try {
                    if (!session.isEnded() && session.lastSeenMillis() < silentSince) {
                        endLocked(session, Ending.TIMEOUT);
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
        return expired;
    }

    public Optional<Session> find(String username) {
        return Optional.ofNullable(sessions.get(Session.key(username)));
    }

    /** Every online user but {@code except} (null for none), ordered by name. */
    public List<PeerInfo> onlinePeers(Session except) {
        List<PeerInfo> peers = new ArrayList<>(sessions.size());
        for (Session session : sessions.values()) {
            if (session != except && !session.isEnded()) {
                peers.add(session.peerInfo());
            }
        }
        peers.sort(BY_NAME);
        return peers;
    }

    /** The members of a room, ordered by name; empty when nobody is in it. */
    public List<PeerInfo> roomMembers(String roomName) {
        lock.lock();
        try {
            LiveRoom room = rooms.get(Session.key(roomName));
            if (room == null) {
                return List.of();
            }
            List<PeerInfo> peers = new ArrayList<>(room.members.size());
            for (Session member : room.members) {
                peers.add(member.peerInfo());
            }
            peers.sort(BY_NAME);
            return peers;
        } finally {
            lock.unlock();
        }
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

    private void takeOverLocked(Session session, Endpoint endpoint, Outbox outbox) {
        Outbox previous = session.outbox();
        Endpoint before = session.endpoint();
        session.attach(outbox, endpoint, newKeepAliveToken());
        session.touch(clock.millis());
        if (previous != null && previous != outbox) {
            previous.kick("session resumed on another connection");
        }
        String room = session.room();
        if (room != null && !before.equals(endpoint)) {
            // The others must learn the new address; a client treats a repeated JOINED as an update.
            pushToRoomLocked(room, session, new RegistryPush.RoomMemberJoined(room, session.peerInfo()));
        }
    }

    private JoinOutcome joinLocked(Session session, RoomRef ref) {
        if (session.isEnded()) {
            return JoinOutcome.SESSION_ENDED;
        }
        String current = session.room();
        if (current != null) {
            return Session.key(current).equals(Session.key(ref.name()))
                    ? JoinOutcome.ALREADY_IN_THIS_ROOM : JoinOutcome.IN_ANOTHER_ROOM;
        }
        LiveRoom room = rooms.computeIfAbsent(Session.key(ref.name()), key -> new LiveRoom(ref.name(), ref.capacity()));
        if (room.members.size() >= room.capacity) {
            return JoinOutcome.FULL;
        }
        room.members.add(session);
        membershipVersion++;
        session.room(room.name);
        pushToRoomLocked(room.name, session, new RegistryPush.RoomMemberJoined(room.name, session.peerInfo()));
        return JoinOutcome.JOINED;
    }

    private void leaveRoomLocked(Session session, RegistryPush announcement) {
        String roomName = session.room();
        String key = Session.key(roomName);
        LiveRoom room = rooms.get(key);
        session.room(null);
        if (room == null) {
            return;
        }
        room.members.remove(session);
        membershipVersion++;
        if (room.members.isEmpty()) {
            rooms.remove(key);
        } else {
            pushToRoomLocked(roomName, session, announcement);
        }
    }

    private void endLocked(Session session, Ending ending) {
        sessions.remove(Session.key(session.username()), session);
        session.end();
        revokedTokens.put(session.token(), session.tokenExpires());
        Outbox outbox = session.outbox();
        if (ending == Ending.TIMEOUT && outbox != null) {
            outbox.kick("session timed out");
        }
        String room = session.room();
        if (room != null) {
            leaveRoomLocked(session, switch (ending) {
                case LOGOUT -> new RegistryPush.UserLogout(session.username(), room, null);
                case TIMEOUT -> new RegistryPush.UserLogout(session.username(), room, "timeout");
                case REPLACED -> new RegistryPush.RoomMemberLeft(room, session.username());
            });
        }
    }

    private void pushToRoomLocked(String roomName, Session subject, RegistryPush push) {
        LiveRoom room = rooms.get(Session.key(roomName));
        if (room == null) {
            return;
        }
        for (Session member : room.members) {
            Outbox outbox = member.outbox();
            if (member != subject && outbox != null) {
                outbox.push(push);
            }
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

    private enum Ending { LOGOUT, TIMEOUT, REPLACED }

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
