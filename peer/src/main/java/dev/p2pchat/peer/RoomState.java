package dev.p2pchat.peer;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The room this user is in and who else is in it, kept current from the registry's pushes. The only place
 * membership changes; every change it makes is returned as the events to report.
 */
final class RoomState {
    private String room;
    private String passwordDigest;
    private String self;
    private final Map<String, PeerInfo> members = new LinkedHashMap<>();

    synchronized Optional<String> room() {
        return Optional.ofNullable(room);
    }

    /** The room password digest, kept to rejoin after the registry restarts; null for an open room. */
    synchronized String passwordDigest() {
        return passwordDigest;
    }

    synchronized void enter(String roomName, String digest, String selfName, List<PeerInfo> list) {
        room = roomName;
        passwordDigest = digest;
        self = selfName;
        members.clear();
        for (PeerInfo member : list) {
            members.put(member.username(), member);
        }
    }

    synchronized void leave() {
        room = null;
        passwordDigest = null;
        members.clear();
    }

    /** Takes a fresh member list (after a reconnect) and reports who arrived and who went meanwhile. */
    synchronized List<PeerEvent> replaceMembers(List<PeerInfo> list) {
        List<PeerEvent> events = new ArrayList<>();
        if (room == null) {
            return events;
        }
        Map<String, PeerInfo> fresh = new LinkedHashMap<>();
        for (PeerInfo member : list) {
            fresh.put(member.username(), member);
        }
        for (String gone : List.copyOf(members.keySet())) {
            if (!fresh.containsKey(gone) && !gone.equals(self)) {
                events.add(new PeerEvent.MemberLeft(room, gone, "left"));
            }
        }
        for (String arrived : fresh.keySet()) {
            if (!members.containsKey(arrived) && !arrived.equals(self)) {
                events.add(new PeerEvent.MemberJoined(room, arrived));
            }
        }
        members.clear();
        members.putAll(fresh);
        return events;
    }

    /**
     * Takes a member list that may still lack members who are reconnecting themselves (the registry restarted
     * and they have not resumed yet): reports and records who arrived or moved, and keeps everyone else.
     */
    synchronized List<PeerEvent> addMembers(List<PeerInfo> list) {
        List<PeerEvent> events = new ArrayList<>();
        for (PeerInfo member : list) {
            events.addAll(add(member));
        }
        return events;
    }

    /** Applies a membership push; pushes about other rooms or about this user change nothing. */
    synchronized List<PeerEvent> apply(RegistryPush push) {
        if (room == null) {
            return List.of();
        }
        return switch (push) {
            case RegistryPush.RoomMemberJoined joined when room.equals(joined.roomName()) -> add(joined.member());
            case RegistryPush.RoomMemberLeft left when room.equals(left.roomName()) -> remove(left.username(), "left");
            case RegistryPush.UserLogout logout when logout.roomName() == null || room.equals(logout.roomName()) ->
                    remove(logout.username(), "timeout".equalsIgnoreCase(logout.reason()) ? "timeout" : "logout");
            default -> List.of();
        };
    }

    private List<PeerEvent> remove(String username, String reason) {
        if (username.equals(self) || members.remove(username) == null) {
            return List.of();
        }
        return List.of(new PeerEvent.MemberLeft(room, username, reason));
    }

    /** Adds a member confirmed some other way (the registry listed them in this room); reports them if new. */
    synchronized List<PeerEvent> add(PeerInfo member) {
        if (room == null || member.username().equals(self)) {
            return List.of();
        }
        PeerInfo previous = members.put(member.username(), member);
        return previous == null ? List.of(new PeerEvent.MemberJoined(room, member.username())) : List.of();
    }

    synchronized boolean isMember(String username) {
        return members.containsKey(username);
    }

    synchronized Optional<PeerInfo> member(String username) {
        return Optional.ofNullable(members.get(username));
    }

    /** Everyone in the room, this user included. */
    synchronized List<PeerInfo> members() {
        return List.copyOf(members.values());
    }

    /** Everyone in the room but this user: the recipients of a room message. */
    synchronized List<PeerInfo> others() {
        return members.values().stream().filter(m -> !m.username().equals(self)).toList();
    }
}
