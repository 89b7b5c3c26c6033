package dev.p2pchat.registry.service;

import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.registry.store.Room;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every stored room, held in memory so that JOIN, DISCOVER_PEERS and SHOW_ROOMS_LIST never read the database.
 * Loaded from the store once at start; {@link #create} is the only way to add a room, and it writes the store first,
 * so the store stays the durable source of truth and this is never ahead of it. Rooms are never changed or removed.
 * Reads take no lock; creates are serialized.
 */
final class RoomDirectory {
    private static final Comparator<Room> BY_KEY = Comparator.comparing(room -> SessionRegistry.fold(room.name()));

    private final RegistryStore store;
    private final Map<String, Room> byKey = new ConcurrentHashMap<>();
    /** Every room ordered by folded name, as the store lists them; replaced whole on create. */
    private volatile List<Room> ordered;
    /** Bumped after every create: lets a cached list tell whether it is still current. */
    private volatile long version;

    RoomDirectory(RegistryStore store) {
        this.store = store;
        List<Room> all = new ArrayList<>(store.listRooms());
        all.sort(BY_KEY);
        for (Room room : all) {
            byKey.put(SessionRegistry.fold(room.name()), room);
        }
        this.ordered = List.copyOf(all);
    }

    Optional<Room> find(String name) {
        return Optional.ofNullable(byKey.get(SessionRegistry.fold(name)));
    }

    /** Every room, ordered by name ignoring case; an immutable snapshot. */
    List<Room> all() {
        return ordered;
    }

    long version() {
        return version;
    }

    /** Stores the room, then lists it. False, changing nothing, when the name is taken (ignoring case). */
    synchronized boolean create(Room room) {
        if (byKey.containsKey(SessionRegistry.fold(room.name())) || !store.createRoom(room)) {
            return false;
        }
        byKey.put(SessionRegistry.fold(room.name()), room);
        List<Room> next = new ArrayList<>(ordered.size() + 1);
        next.addAll(ordered);
        next.add(room);
        next.sort(BY_KEY);
        ordered = List.copyOf(next);
        version++;
        return true;
    }
}
