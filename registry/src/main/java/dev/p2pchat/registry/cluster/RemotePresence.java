package dev.p2pchat.registry.cluster;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.registry.session.PresenceUpdate;
import dev.p2pchat.registry.session.SessionRegistry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * This node's read cache of the users other nodes hold, fed only by the cluster's events: SEARCH_USER,
 * DISCOVER_PEERS and ROOMS_LIST read it without asking the database. Each change returns the pushes this node's own
 * room members must hear of it ({@link Announcement}s), which the caller hands to {@link SessionRegistry} after the
 * lock here is released. Lookups by name take no lock.
 */
final class RemotePresence {
    private static final Comparator<PeerInfo> BY_NAME = Comparator.comparing(p -> SessionRegistry.fold(p.username()));

    /** A push for the local members of {@code room}, about {@code username}. */
    record Announcement(String room, String username, RegistryPush push) {
    }

    private final String self;
    private final ReentrantLock lock = new ReentrantLock();
    /** By folded username. Written under {@link #lock}, read freely. */
    private final ConcurrentHashMap<String, RemoteUser> users = new ConcurrentHashMap<>();
    /** Folded room name → folded names of its remote members. Guarded by {@link #lock}. */
    private final Map<String, Set<String>> members = new HashMap<>();
    /** Bumped under {@link #lock} whenever a remote member count may have changed. */
    private volatile long version;

    RemotePresence(String self) {
        this.self = self;
    }

    /** A user's state from its node: replaces what was known of it, unless that came from a newer claim. */
    List<Announcement> apply(ClusterEvent.State state) {
        RemoteUser now = state.user();
        if (now.node().equals(self)) {
            return List.of();
        }
        String key = SessionRegistry.fold(now.username());
        List<Announcement> out = new ArrayList<>();
        lock.lock();
        try {
            RemoteUser before = users.get(key);
            if (before != null && before.seq() > now.seq()) {
                return List.of(); // a late word about a session that has since moved on
            }
            Set<String> kept = new HashSet<>();
            if (before != null) {
                for (String room : before.rooms()) {
                    if (contains(now.rooms(), room)) {
                        kept.add(SessionRegistry.fold(room));
                    } else {
                        out.add(new Announcement(room, now.username(),
                                new RegistryPush.RoomMemberLeft(room, now.username())));
                    }
                    removeMember(room, key);
                }
            }
            boolean moved = before == null || !samePlace(before.peer(), now.peer());
            for (String room : now.rooms()) {
                addMember(room, key);
                if (moved || !kept.contains(SessionRegistry.fold(room))) {
                    // A member that changed address is announced again: clients take a repeated JOINED as an update.
                    out.add(new Announcement(room, now.username(),
                            new RegistryPush.RoomMemberJoined(room, now.peer().inRoom(room))));
                }
            }
            users.put(key, now);
            version++;
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** The session of claim {@code gone.seq()} ended on its node; its rooms hear why. */
    List<Announcement> apply(ClusterEvent.Gone gone) {
        String key = SessionRegistry.fold(gone.username());
        lock.lock();
        try {
            RemoteUser before = users.get(key);
            if (before == null || before.seq() != gone.seq() || !before.node().equals(gone.node())) {
                return List.of();
            }
            return removeLocked(key, before, gone.reason());
        } finally {
            lock.unlock();
        }
    }

    /** Every user {@code node} held is gone with it: their rooms hear USER_LOGOUT (reason timeout). */
    List<Announcement> nodeDown(String node) {
        List<Announcement> out = new ArrayList<>();
        lock.lock();
        try {
            for (Map.Entry<String, RemoteUser> entry : List.copyOf(users.entrySet())) {
                if (entry.getValue().node().equals(node)) {
                    out.addAll(removeLocked(entry.getKey(), entry.getValue(), PresenceUpdate.Reason.TIMEOUT));
                }
            }
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Forgets {@code username} without a word: its session has come to this node. */
    void forget(String username) {
        String key = SessionRegistry.fold(username);
        lock.lock();
        try {
            RemoteUser before = users.remove(key);
            if (before != null) {
                before.rooms().forEach(room -> removeMember(room, key));
                version++;
            }
        } finally {
            lock.unlock();
        }
    }

    Optional<RemoteUser> find(String username) {
        return Optional.ofNullable(users.get(SessionRegistry.fold(username)));
    }

    /** Every remote user, by name. */
    List<PeerInfo> peers() {
        List<PeerInfo> out = new ArrayList<>(users.size());
        users.values().forEach(u -> out.add(u.peer()));
        out.sort(BY_NAME);
        return out;
    }

    /** The remote members of {@code room}, by name, each with {@code room} as its room. */
    List<PeerInfo> inRoom(String room) {
        lock.lock();
        try {
            Set<String> in = members.get(SessionRegistry.fold(room));
            if (in == null) {
                return List.of();
            }
            List<PeerInfo> out = new ArrayList<>(in.size());
            for (String key : in) {
                RemoteUser user = users.get(key);
                if (user != null) {
                    out.add(user.peer().inRoom(room));
                }
            }
            out.sort(BY_NAME);
            return out;
        } finally {
            lock.unlock();
        }
    }

    /** Remote member counts by folded room name. */
    Map<String, Integer> memberCounts() {
        lock.lock();
        try {
            Map<String, Integer> counts = new HashMap<>();
            members.forEach((room, in) -> counts.put(room, in.size()));
            return counts;
        } finally {
            lock.unlock();
        }
    }

    long version() {
        return version;
    }

    int size() {
        return users.size();
    }

    /** The other nodes that hold at least one user. */
    Set<String> nodes() {
        Set<String> out = new LinkedHashSet<>();
        users.values().forEach(u -> out.add(u.node()));
        return out;
    }

    private List<Announcement> removeLocked(String key, RemoteUser before, PresenceUpdate.Reason reason) {
        users.remove(key);
        version++;
        List<Announcement> out = new ArrayList<>(before.rooms().size());
        for (String room : before.rooms()) {
            removeMember(room, key);
            out.add(new Announcement(room, before.username(), switch (reason) {
                case LOGOUT -> new RegistryPush.UserLogout(before.username(), room, null);
                case TIMEOUT -> new RegistryPush.UserLogout(before.username(), room, "timeout");
                case REPLACED -> new RegistryPush.RoomMemberLeft(room, before.username());
            }));
        }
        return out;
    }

    private void addMember(String room, String userKey) {
        members.computeIfAbsent(SessionRegistry.fold(room), r -> new HashSet<>()).add(userKey);
    }

    private void removeMember(String room, String userKey) {
        String roomKey = SessionRegistry.fold(room);
        Set<String> in = members.get(roomKey);
        if (in != null && in.remove(userKey) && in.isEmpty()) {
            members.remove(roomKey);
        }
    }

    private static boolean contains(List<String> rooms, String room) {
        String key = SessionRegistry.fold(room);
        return rooms.stream().anyMatch(r -> SessionRegistry.fold(r).equals(key));
    }

    private static boolean samePlace(PeerInfo a, PeerInfo b) {
        return a.ip().equals(b.ip()) && a.port() == b.port() && a.fingerprint().equals(b.fingerprint())
                && a.candidates().equals(b.candidates());
    }
}
