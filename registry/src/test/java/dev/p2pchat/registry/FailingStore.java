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
    final java.util.concurrent.atomic.AtomicInteger accountReads = new java.util.concurrent.atomic.AtomicInteger();
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
        accountReads.incrementAndGet();
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
    public Put putItem(NewItem item, int maxItems, long maxBytes) {
        return real.putItem(item, maxItems, maxBytes);
    }

    @Override
    public List<StoredItem> waitingItems(String recipient, long afterSeq, int limit) {
        return real.waitingItems(recipient, afterSeq, limit);
    }

    @Override
    public int deleteItems(String recipient, List<ItemKey> items) {
        return real.deleteItems(recipient, items);
    }

    @Override
    public List<ExpiredItem> expireItems(java.time.Instant now) {
        return real.expireItems(now);
    }

    @Override
    public List<ExpiredItem> noticesFor(String sender) {
        return real.noticesFor(sender);
    }

    @Override
    public void deleteNotice(long seq) {
        real.deleteNotice(seq);
    }

    @Override
    public void updateCertificate(String username, String certificate) {
        real.updateCertificate(username, certificate);
    }

    @Override
    public void close() {
        real.close();
    }
}
