package dev.p2pchat.registry;

import dev.p2pchat.registry.store.Account;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.registry.store.Room;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/** A store that works like the real one, except that findAccount() fails once when told to. */
final class FailingStore implements RegistryStore {
    final AtomicBoolean failNextFindAccount = new AtomicBoolean();
    private final RegistryStore real;

    FailingStore(RegistryStore real) {
        this.real = real;
    }

    @Override
    public boolean createAccount(Account account) {
        return real.createAccount(account);
    }

    @Override
    public Optional<Account> findAccount(String username) {
        if (failNextFindAccount.getAndSet(false)) {
            throw new IllegalStateException("simulated store failure");
        }
        return real.findAccount(username);
    }

    @Override
    public void updatePasswordHash(String username, String passwordHash) {
        real.updatePasswordHash(username, passwordHash);
    }

    @Override
    public boolean createRoom(Room room) {
        return real.createRoom(room);
    }

    @Override
    public Optional<Room> findRoom(String name) {
        return real.findRoom(name);
    }

    @Override
    public List<Room> listRooms() {
        return real.listRooms();
    }

    @Override
    public long accountCount() {
        return real.accountCount();
    }

    @Override
    public void close() {
        real.close();
    }
}
