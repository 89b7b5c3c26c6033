package dev.p2pchat.registry.service;

import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.registry.store.Room;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Every stored room, held in memory so that JOIN, DISCOVER_PEERS and SHOW_ROOMS_LIST never read the database.
 * Loaded from the store once at start; {@link #create} is the only way to add a room, and it writes the store first,
 * so the store stays the durable source of truth and this is never ahead of it. Rooms are never changed or removed.
 * Reads take no lock; creates are serialized. A create inserts one entry in a sorted map (log n), it never re-sorts
 * the directory: the encoded ROOMS_LIST is rebuilt lazily by whoever next asks, outside any lock.
 */
final class RoomDirectory {
    private final RegistryStore store;
    /** By folded name, so iteration is the order of SHOW_ROOMS_LIST. */
    private final ConcurrentSkipListMap<String, Room> byKey = new ConcurrentSkipListMap<>();
    /** Rooms created per account, by folded creator name: the per-user quota counts these. */
    private final Map<String, Integer> createdBy = new ConcurrentHashMap<>();
    private volatile boolean anyHasPassword;
    /** Bumped after every create: lets a cached list tell whether it is still current. */
    private volatile long version;

    RoomDirectory(RegistryStore store) {
        this.store = store;
        for (Room room : store.listRooms()) {
            add(room);
        }
    }

    Optional<Room> find(String name) {
        return Optional.ofNullable(byKey.get(SessionRegistry.fold(name)));
    }

    /** Every room, ordered by name ignoring case; a live, unmodifiable view (weakly consistent while iterated). */
    Collection<Room> all() {
        return Collections.unmodifiableCollection(byKey.values());
    }

    boolean isEmpty() {
        return byKey.isEmpty();
    }

    int size() {
        return byKey.size();
    }

    /** False while no room has a password: lists of online peers then need no filtering. */
    boolean anyHasPassword() {
        return anyHasPassword;
    }

    /** How many rooms {@code username} created, ever (rooms are never removed). */
    int createdBy(String username) {
        return createdBy.getOrDefault(SessionRegistry.fold(username), 0);
    }

    long version() {
        return version;
    }

    /**
     * Stores the room, then lists it. False, changing nothing, when the name is taken (ignoring case), or when its
     * creator already created {@code maxPerCreator} rooms.
     */
    synchronized Outcome create(Room room, int maxPerCreator) {
        if (byKey.containsKey(SessionRegistry.fold(room.name()))) {
            return Outcome.EXISTS;
        }
        if (createdBy(room.creator()) >= maxPerCreator) {
            return Outcome.QUOTA;
        }
        if (!store.createRoom(room)) {
            return Outcome.EXISTS;
        }
        add(room);
        version++;
        return Outcome.CREATED;
    }

    /**
     * Another node of the cluster created {@code name}: lists it as stored. Nothing when it is listed already or the
     * store does not have it.
     */
    synchronized void learn(String name) {
        if (byKey.containsKey(SessionRegistry.fold(name))) {
            return;
        }
        store.findRoom(name).ifPresent(room -> {
            add(room);
            version++;
        });
    }

    private void add(Room room) {
        byKey.put(SessionRegistry.fold(room.name()), room);
        createdBy.merge(SessionRegistry.fold(room.creator()), 1, Integer::sum);
        if (room.hasPassword()) {
            anyHasPassword = true;
        }
    }

    enum Outcome { CREATED, EXISTS, QUOTA }
}
