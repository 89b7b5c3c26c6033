package dev.p2pchat.peer;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The rooms this user is in (several at once, in the order joined) and who else is in each, kept current from the
 * registry's pushes. The only place membership changes; every change it makes is returned as the events to report.
 */
final class RoomState {
    private String self;
    /** By room name, in the order joined. */
    private final Map<String, Joined> rooms = new LinkedHashMap<>();

    /** One room: its password digest (kept to rejoin after the registry restarts; null for an open room), members. */
    private static final class Joined {
        final String name;
        final String passwordDigest;
        final Map<String, PeerInfo> members = new LinkedHashMap<>();

        Joined(String name, String passwordDigest) {
            this.name = name;
            this.passwordDigest = passwordDigest;
        }
    }

    /** The first room joined of those the user is in: what a one-room caller sees. */
    synchronized Optional<String> room() {
        return rooms.keySet().stream().findFirst();
    }

    /** Every room the user is in, in the order joined. */
    synchronized List<String> rooms() {
        return List.copyOf(rooms.keySet());
    }

    synchronized boolean isIn(String roomName) {
        return roomName != null && rooms.containsKey(roomName);
    }

    /** The room password digest of {@code roomName}, kept to rejoin after the registry restarts; null for none. */
    synchronized String passwordDigest(String roomName) {
        Joined joined = rooms.get(roomName);
        return joined == null ? null : joined.passwordDigest;
    }

    /** Enters (or re-enters) {@code roomName}; the other rooms stay. */
    synchronized void enter(String roomName, String digest, String selfName, List<PeerInfo> list) {
        self = selfName;
        Joined joined = new Joined(roomName, digest);
        for (PeerInfo member : list) {
            joined.members.put(member.username(), member);
        }
        rooms.put(roomName, joined);
    }

    synchronized void leave(String roomName) {
        rooms.remove(roomName);
    }

    synchronized void leaveAll() {
        rooms.clear();
    }

    /** Takes a fresh member list of one room (after a reconnect) and reports who arrived and who went meanwhile. */
    synchronized List<PeerEvent> replaceMembers(String roomName, List<PeerInfo> list) {
        List<PeerEvent> events = new ArrayList<>();
        Joined room = rooms.get(roomName);
        if (room == null) {
            return events;
        }
        Map<String, PeerInfo> fresh = new LinkedHashMap<>();
        for (PeerInfo member : list) {
            fresh.put(member.username(), member);
        }
        for (String gone : List.copyOf(room.members.keySet())) {
            if (!fresh.containsKey(gone) && !gone.equals(self)) {
                events.add(new PeerEvent.MemberLeft(roomName, gone, "left"));
            }
        }
        for (String arrived : fresh.keySet()) {
            if (!room.members.containsKey(arrived) && !arrived.equals(self)) {
                events.add(new PeerEvent.MemberJoined(roomName, arrived));
            }
        }
        room.members.clear();
        room.members.putAll(fresh);
        return events;
    }

    /**
     * Takes a member list of one room that may still lack members who are reconnecting themselves (the registry
     * restarted and they have not resumed yet): reports and records who arrived or moved, and keeps everyone else.
     */
    synchronized List<PeerEvent> addMembers(String roomName, List<PeerInfo> list) {
        List<PeerEvent> events = new ArrayList<>();
        for (PeerInfo member : list) {
            events.addAll(add(roomName, member));
        }
        return events;
    }

    /**
     * Applies a membership push to the room it names; pushes about other rooms or about this user change nothing.
     * A USER_LOGOUT without a room (a registry without rooms in it) applies to every room.
     */
    synchronized List<PeerEvent> apply(RegistryPush push) {
        return switch (push) {
            case RegistryPush.RoomMemberJoined joined -> add(joined.roomName(), joined.member());
            case RegistryPush.RoomMemberLeft left -> remove(left.roomName(), left.username(), "left");
            case RegistryPush.UserLogout logout -> {
                String reason = "timeout".equalsIgnoreCase(logout.reason()) ? "timeout" : "logout";
                if (logout.roomName() != null) {
                    yield remove(logout.roomName(), logout.username(), reason);
                }
                List<PeerEvent> events = new ArrayList<>();
                for (String roomName : List.copyOf(rooms.keySet())) {
                    events.addAll(remove(roomName, logout.username(), reason));
                }
                yield events;
            }
            default -> List.of();
        };
    }

    private List<PeerEvent> remove(String roomName, String username, String reason) {
        Joined room = rooms.get(roomName);
        if (room == null || username.equals(self) || room.members.remove(username) == null) {
            return List.of();
        }
        return List.of(new PeerEvent.MemberLeft(roomName, username, reason));
    }

    /** Adds a member confirmed some other way (the registry listed them in this room); reports them if new. */
    synchronized List<PeerEvent> add(String roomName, PeerInfo member) {
        Joined room = rooms.get(roomName);
        if (room == null || member.username().equals(self)) {
            return List.of();
        }
        PeerInfo previous = room.members.put(member.username(), member);
        return previous == null ? List.of(new PeerEvent.MemberJoined(roomName, member.username())) : List.of();
    }

    synchronized boolean isMember(String roomName, String username) {
        Joined room = rooms.get(roomName);
        return room != null && room.members.containsKey(username);
    }

    /** Whether {@code username} shares any of this user's rooms. */
    synchronized boolean sharesARoomWith(String username) {
        return rooms.values().stream().anyMatch(r -> r.members.containsKey(username));
    }

    /** {@code username} as listed in any of this user's rooms. */
    synchronized Optional<PeerInfo> member(String username) {
        for (Joined room : rooms.values()) {
            PeerInfo member = room.members.get(username);
            if (member != null) {
                return Optional.of(member);
            }
        }
        return Optional.empty();
    }

    /** Everyone in {@code roomName}, this user included; empty when not in it. */
    synchronized List<PeerInfo> members(String roomName) {
        Joined room = rooms.get(roomName);
        return room == null ? List.of() : List.copyOf(room.members.values());
    }

    /** Everyone in {@code roomName} but this user: the recipients of a message to that room. */
    synchronized List<PeerInfo> others(String roomName) {
        Joined room = rooms.get(roomName);
        return room == null ? List.of()
                : room.members.values().stream().filter(m -> !m.username().equals(self)).toList();
    }
}
