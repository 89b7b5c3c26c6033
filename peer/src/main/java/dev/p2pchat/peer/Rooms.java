package dev.p2pchat.peer;

import static dev.p2pchat.peer.Failures.failure;
import static dev.p2pchat.peer.Failures.sentence;

import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.RoomSummary;
import dev.p2pchat.protocol.Status;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The user's room calls to the registry (list, create, join, leave; several rooms at once); {@link RoomState}
 * follows what the registry answered. Joining and leaving must run under {@code Peer}'s user lock, which the caller holds.
 */
final class Rooms {
    private static final Logger LOG = LoggerFactory.getLogger(Rooms.class);

    private final PeerStatus status;
    private final RoomState room;
    private final RegistryCalls registry;
    private final PeerDirectory directory;
    private final MessageSender sender;

    Rooms(PeerStatus status, RoomState room, RegistryCalls registry, PeerDirectory directory, MessageSender sender) {
        this.status = status;
        this.room = room;
        this.registry = registry;
        this.directory = directory;
        this.sender = sender;
    }

    List<RoomSummary> list(boolean detailed) throws PeerException {
        RegistryReply reply = registry.callForUser(new RegistryRequest.ShowRoomsList(
                detailed ? RegistryRequest.ListType.DETAILED : RegistryRequest.ListType.PARTIAL));
        if (reply instanceof RegistryReply.RoomsList list) {
            return list.status().isSuccess() ? list.rooms() : List.of();
        }
        throw failure(reply, "Could not list the rooms.");
    }

    /** {@code name}, {@code capacity} and {@code description} are already checked. */
    void create(String name, String passwordDigest, int capacity, String description) throws PeerException {
        RegistryReply reply = registry.callForUser(new RegistryRequest.CreateChatRoom(name, passwordDigest, capacity,
                description));
        if (reply instanceof RegistryReply.Creation creation) {
            if (creation.status().isSuccess()) {
                return;
            }
            if (creation.status().equals(Status.EXIST)) {
                throw new PeerException("Room '" + name + "' already exists.");
            }
            throw new PeerException(sentence(creation.reason(), "Could not create room '" + name + "'."));
        }
        throw failure(reply, "Could not create room '" + name + "'.");
    }

    /** Joins {@code name}; returns the room's name as the registry spells it. */
    String join(String name, String passwordDigest) throws PeerException {
        String me = status.requireLogin();
        // Opened before JOIN: pushes about the room can come before its answer or the member list (join race).
        RoomState.Listing listing = room.openListing(name);
        try {
            return join(name, passwordDigest, me, listing);
        } finally {
            room.close(listing);
        }
    }

    private String join(String name, String passwordDigest, String me, RoomState.Listing listing) throws PeerException {
        RegistryReply reply = registry.callForUser(new RegistryRequest.JoinChatRoom(name, passwordDigest));
        if (!(reply instanceof RegistryReply.Join join)) {
            throw failure(reply, "Could not join room '" + name + "'.");
        }
        if (!join.status().isSuccess()) {
            if (join.status().equals(Status.FULL)) {
                throw new PeerException("Room '" + name + "' is full.");
            }
            if (join.status().equals(Status.TOO_MANY_ROOMS)) {
                throw new PeerException(sentence(join.reason(), "You are in as many rooms as you may be; leave one "
                        + "first."));
            }
            if (join.status().equals(Status.WRONG_STATE)) {
                throw new PeerException(sentence(join.reason(), "You are already in room '" + name + "'."));
            }
            throw new PeerException(sentence(join.reason(),
                    "Room '" + name + "' does not exist or the password is wrong."));
        }
        // The registry's spelling: its pushes about the room use it, whatever case the user typed.
        String joined = join.roomName() != null ? join.roomName() : name;
        room.enter(joined, passwordDigest, me, List.of());
        refreshMembers(joined, listing);
        sender.enteredRoom(joined);
        return joined;
    }

    /** Leaves {@code roomName}; null: the one room the user is in (refused when in several: which is not guessed). */
    void leave(String roomName) throws PeerException {
        status.requireLogin();
        List<String> in = room.rooms();
        if (in.isEmpty()) {
            throw new PeerException("You are not in a room.");
        }
        if (roomName == null && in.size() > 1) {
            throw new PeerException("You are in " + in.size() + " rooms (" + String.join(", ", in)
                    + "); say which to leave.");
        }
        if (roomName != null && !room.isIn(roomName)) {
            throw new PeerException("You are not in room '" + roomName + "'.");
        }
        String name = roomName != null ? roomName : in.getFirst();
        RegistryReply reply = registry.callForUser(new RegistryRequest.RoomExit(name));
        if (reply instanceof RegistryReply.RoomExitResponse exit && !exit.status().isSuccess()) {
            LOG.info("Registry refused ROOM_EXIT ({}); leaving locally anyway", exit.reason());
        } else if (!(reply instanceof RegistryReply.RoomExitResponse)) {
            throw failure(reply, "Could not leave room '" + name + "'.");
        }
        room.leave(name);
        sender.abandonRoomCopies(name);
    }

    private void refreshMembers(String roomName, RoomState.Listing listing) throws PeerException {
        RegistryReply reply = registry.callForUser(new RegistryRequest.DiscoverPeers(roomName));
        if (reply instanceof RegistryReply.PeerList list && list.status().isSuccess()) {
            list.peers().forEach(directory::remember);
            room.replaceMembers(listing, roomName, list.peers());
            return;
        }
        throw failure(reply, "Joined room '" + roomName + "' but could not list its members.");
    }
}
