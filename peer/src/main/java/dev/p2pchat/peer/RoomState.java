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
 *
 * <p>A member list asked of the registry is a snapshot of some moment between the request and the reply, and the
 * pushes about that room may arrive on either side of it: applied as they come and then overwritten by an older
 * list, a member who joined meanwhile would be lost. So each list is asked under a {@link Listing}, opened before
 * the request: the pushes about its room that arrive while it is open are kept, and replayed on the list when it is
 * applied. Each push sets one member's presence, so the last one about a member is the truth, whichever side of
 * the snapshot it fell on.
 */
final class RoomState {
    private String self;
    /** By room name, in the order joined. */
    private final Map<String, Joined> rooms = new LinkedHashMap<>();
    /** The listings open now, each waiting for its member list. */
    private final List<Listing> listings = new ArrayList<>();

    /** A member list on its way from the registry, and the pushes about its room since it was asked for. */
    static final class Listing {
        private final String roomName;
        private final List<RegistryPush> since = new ArrayList<>();

        private Listing(String roomName) {
            this.roomName = roomName;
        }

        boolean covers(String room) {
            return room == null || roomName.equalsIgnoreCase(room);
        }
    }

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

    /**
     * Opens a listing of {@code roomName}, to be applied with {@link #replaceMembers(Listing, String, List)} or
     * {@link #addMembers(Listing, String, List)}, or given up with {@link #close(Listing)}. Open it before sending
     * the request (a JOIN or DISCOVER_PEERS) whose answer the list is.
     */
    synchronized Listing openListing(String roomName) {
        Listing listing = new Listing(roomName);
        listings.add(listing);
        return listing;
    }

    /** Gives a listing up (its list did not come); closing it again does nothing. */
    synchronized void close(Listing listing) {
        listings.remove(listing);
    }

    synchronized void leave(String roomName) {
        rooms.remove(roomName);
    }

    synchronized void leaveAll() {
        rooms.clear();
    }

    /** Takes a fresh member list of one room (after a reconnect) and reports who arrived and who went meanwhile. */
    synchronized List<PeerEvent> replaceMembers(String roomName, List<PeerInfo> list) {
        return replace(roomName, list, List.of());
    }

    /**
     * Takes the member list {@code listing} waited for, with the pushes that came meanwhile replayed on it, closes
     * the listing, and reports who arrived and who went.
     */
    synchronized List<PeerEvent> replaceMembers(Listing listing, String roomName, List<PeerInfo> list) {
        listings.remove(listing);
        return replace(roomName, list, listing.since);
    }

    private List<PeerEvent> replace(String roomName, List<PeerInfo> list, List<RegistryPush> since) {
        List<PeerEvent> events = new ArrayList<>();
        Joined room = rooms.get(roomName);
        if (room == null) {
            return events;
        }
        Map<String, PeerInfo> fresh = new LinkedHashMap<>();
        for (PeerInfo member : list) {
            fresh.put(member.username(), member);
        }
        replay(since, fresh);
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

    /** Like {@link #addMembers(String, List)}, for the list {@code listing} waited for; closes the listing. */
    synchronized List<PeerEvent> addMembers(Listing listing, String roomName, List<PeerInfo> list) {
        listings.remove(listing);
        Joined room = rooms.get(roomName);
        if (room == null) {
            return List.of();
        }
        Map<String, PeerInfo> merged = new LinkedHashMap<>(room.members);
        for (PeerInfo member : list) {
            merged.put(member.username(), member);
        }
        replay(listing.since, merged);
        return replace(roomName, List.copyOf(merged.values()), List.of());
    }

    /** Applies {@code pushes}, in the order they came, to a member map: each sets one member's presence. */
    private static void replay(List<RegistryPush> pushes, Map<String, PeerInfo> members) {
        for (RegistryPush push : pushes) {
            switch (push) {
                case RegistryPush.RoomMemberJoined joined -> members.put(joined.member().username(), joined.member());
                case RegistryPush.RoomMemberLeft left -> members.remove(left.username());
                case RegistryPush.UserLogout logout -> members.remove(logout.username());
                default -> {
                }
            }
        }
    }

    /**
     * Applies a membership push to the room it names; pushes about other rooms or about this user change nothing.
     * A USER_LOGOUT without a room (a registry without rooms in it) applies to every room.
     */
    synchronized List<PeerEvent> apply(RegistryPush push) {
        String about = switch (push) {
            case RegistryPush.RoomMemberJoined joined -> joined.roomName();
            case RegistryPush.RoomMemberLeft left -> left.roomName();
            case RegistryPush.UserLogout logout -> logout.roomName();
            default -> "";
        };
        if (!"".equals(about)) {
            for (Listing listing : listings) {
                if (listing.covers(about)) {
                    listing.since.add(push);
                }
            }
        }
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
