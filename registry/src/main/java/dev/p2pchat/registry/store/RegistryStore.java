package dev.p2pchat.registry.store;

import java.util.List;
import java.util.Optional;

/**
 * Durable accounts and rooms of the registry. Server logic depends on this interface only,
 * so that another database can replace SQLite without touching it.
 *
 * <p>Names (usernames, room names) are unique ignoring case: "Alice" and "alice" are the same
 * account. Lookups ignore case and return the spelling that was stored.
 *
 * <p>Implementations are safe for use from many threads at once. A method that returns has
 * committed its change durably. Failures of the storage itself surface as {@link StoreException};
 * a call that refers to a row that does not exist (a room's creator, an account to rehash) is a
 * caller error and raises {@link IllegalArgumentException}.
 */
public interface RegistryStore extends MailboxStore, AutoCloseable {

    /** @return false, changing nothing, if the username is already taken (ignoring case) */
    boolean createAccount(Account account);

    Optional<Account> findAccount(String username);

    /**
     * Replaces the stored hash, for rehashing after the hash parameters were raised.
     *
     * @throws IllegalArgumentException if no such account exists
     */
    void updatePasswordHash(String username, String passwordHash);

    /**
     * @return false, changing nothing, if the room name is already taken (ignoring case)
     * @throws IllegalArgumentException if the creator has no account
     */
    boolean createRoom(Room room);

    Optional<Room> findRoom(String name);

    /** @return every room, ordered by name */
    List<Room> listRooms();

    long accountCount();

    /** Waits for calls in flight, then releases the database; later calls fail. Idempotent. */
    @Override
    void close();
}
