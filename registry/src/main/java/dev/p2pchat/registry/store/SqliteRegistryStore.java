package dev.p2pchat.registry.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.flywaydb.core.api.FlywayException;
import org.sqlite.SQLiteConfig.SynchronousMode;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * {@link RegistryStore} in one SQLite file, {@code registry.db} in the data directory.
 *
 * <p>SQLite allows one writer at a time, so all writes share one connection behind a
 * {@link ReentrantLock} (a monitor would pin virtual threads on JDK 21); each write is its own
 * auto-committed transaction, fsynced before the call returns. Reads use a few query-only
 * connections of their own, so they are not held up by a commit in progress.
 */
public final class SqliteRegistryStore implements RegistryStore {
    /**
     * Readers are CPU-bound point lookups: separate read connections doubled lookup throughput
     * over reading through the writer, but going past the core count gained nothing (StoreBenchmark).
     */
    static final int DEFAULT_READ_CONNECTIONS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private static final String ROOM_COLUMNS = """
            SELECT r.name, r.password_hash, r.capacity, r.description, a.username, r.created_at
            FROM room r JOIN account a ON a.username_key = r.creator_key
            """;

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReadConnections readers;
    /** Calls hold the read side, close() the write side: close never pulls a connection from under a call. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    private SqliteRegistryStore(Connection writer, ReadConnections readers) {
        this.writer = writer;
        this.readers = readers;
    }

    /** Opens (creating if needed) the store in {@code dataDir} and applies pending migrations. */
    public static SqliteRegistryStore open(Path dataDir) {
        return open(dataDir, SynchronousMode.FULL, DEFAULT_READ_CONNECTIONS);
    }

    /** For measurements: another durability level, or {@code readConnections == 0} to read through the writer. */
    static SqliteRegistryStore open(Path dataDir, SynchronousMode synchronous, int readConnections) {
        SqliteDatabase database = SqliteDatabase.at(dataDir, synchronous);
        try {
            database.migrate();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate " + dataDir.resolve(SqliteDatabase.FILE_NAME), e);
        }
        List<Connection> opened = new ArrayList<>();
        try {
            Connection writer = database.openWriter();
            opened.add(writer);
            List<Connection> readerConnections = new ArrayList<>();
            for (int i = 0; i < readConnections; i++) {
                Connection reader = database.openReader();
                opened.add(reader);
                readerConnections.add(reader);
            }
            return new SqliteRegistryStore(writer,
                    readerConnections.isEmpty() ? null : new ReadConnections(readerConnections));
        } catch (SQLException e) {
            for (Connection connection : opened) {
                try {
                    connection.close();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw new StoreException("cannot open " + dataDir.resolve(SqliteDatabase.FILE_NAME), e);
        }
    }

    @Override
    public boolean createAccount(Account account) {
        return write("createAccount", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO account (username_key, username, password_hash, created_at)
                    VALUES (?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""")) {
                insert.setString(1, NameKey.of(account.username()));
                insert.setString(2, account.username());
                insert.setString(3, account.passwordHash());
                insert.setLong(4, account.createdAt().toEpochMilli());
                return insert.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Optional<Account> findAccount(String username) {
        String key = NameKey.of(username);
        return read("findAccount", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT username, password_hash, created_at FROM account WHERE username_key = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(new Account(row.getString(1), row.getString(2),
                                    Instant.ofEpochMilli(row.getLong(3))))
                            : Optional.empty();
                }
            }
        });
    }

    @Override
    public void updatePasswordHash(String username, String passwordHash) {
        Objects.requireNonNull(passwordHash, "passwordHash");
        String key = NameKey.of(username);
        int updated = write("updatePasswordHash", connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE account SET password_hash = ? WHERE username_key = ?")) {
                update.setString(1, passwordHash);
                update.setString(2, key);
                return update.executeUpdate();
            }
        });
        if (updated == 0) {
            throw new IllegalArgumentException("no account named " + username);
        }
    }

    @Override
    public boolean createRoom(Room room) {
        return write("createRoom", connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO room (name_key, name, password_hash, capacity, description, creator_key, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)
                    ON CONFLICT DO NOTHING""")) {
                insert.setString(1, NameKey.of(room.name()));
                insert.setString(2, room.name());
                insert.setString(3, room.passwordHash());
                insert.setInt(4, room.capacity());
                insert.setString(5, room.description());
                insert.setString(6, NameKey.of(room.creator()));
                insert.setLong(7, room.createdAt().toEpochMilli());
                return insert.executeUpdate() == 1;
            } catch (SQLiteException e) {
                if (e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
                    throw new IllegalArgumentException("room creator has no account: " + room.creator(), e);
                }
                throw e;
            }
        });
    }

    @Override
    public Optional<Room> findRoom(String name) {
        String key = NameKey.of(name);
        return read("findRoom", connection -> {
            try (PreparedStatement select = connection.prepareStatement(ROOM_COLUMNS + "WHERE r.name_key = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.of(room(row)) : Optional.empty();
                }
            }
        });
    }

    /** Ordered by the folded name, so "alpha" and "Beta" sort as a person expects. */
    @Override
    public List<Room> listRooms() {
        return read("listRooms", connection -> {
            try (PreparedStatement select = connection.prepareStatement(ROOM_COLUMNS + "ORDER BY r.name_key");
                 ResultSet row = select.executeQuery()) {
                List<Room> rooms = new ArrayList<>();
                while (row.next()) {
                    rooms.add(room(row));
                }
                return List.copyOf(rooms);
            }
        });
    }

    @Override
    public long accountCount() {
        return read("accountCount", connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT count(*) FROM account");
                 ResultSet row = select.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        });
    }

    @Override
    public Put putItem(NewItem item, int maxItems, long maxBytes) {
        String recipientKey = NameKey.of(item.recipient());
        String senderKey = NameKey.of(item.sender());
        return write("putItem", connection -> {
            try (PreparedStatement existing = connection.prepareStatement("""
                    SELECT expires_at FROM mailbox_item WHERE recipient_key = ? AND sender_key = ? AND item_id = ?""")) {
                existing.setString(1, recipientKey);
                existing.setString(2, senderKey);
                existing.setString(3, item.itemId());
                try (ResultSet row = existing.executeQuery()) {
                    if (row.next()) {
                        return new Put(PutOutcome.ALREADY_STORED, Instant.ofEpochMilli(row.getLong(1)));
                    }
                }
            }
            try (PreparedStatement account = connection.prepareStatement(
                    "SELECT 1 FROM account WHERE username_key = ?")) {
                account.setString(1, recipientKey);
                try (ResultSet row = account.executeQuery()) {
                    if (!row.next()) {
                        return new Put(PutOutcome.NO_SUCH_RECIPIENT, null);
                    }
                }
            }
            // Only this connection writes, under the write lock: nothing can fill the mailbox between the check
            // and the insert.
            try (PreparedStatement usage = connection.prepareStatement("""
                    SELECT count(*), coalesce(sum(size), 0) FROM mailbox_item
                    WHERE recipient_key = ? AND sealed IS NOT NULL""")) {
                usage.setString(1, recipientKey);
                try (ResultSet row = usage.executeQuery()) {
                    row.next();
                    if (row.getLong(1) + 1 > maxItems) {
                        return new Put(PutOutcome.TOO_MANY_ITEMS, null);
                    }
                    if (row.getLong(2) + item.sealed().length > maxBytes) {
                        return new Put(PutOutcome.TOO_MANY_BYTES, null);
                    }
                }
            }
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO mailbox_item (recipient_key, sender_key, item_id, sealed, size, stored_at, expires_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?)""")) {
                insert.setString(1, recipientKey);
                insert.setString(2, senderKey);
                insert.setString(3, item.itemId());
                insert.setBytes(4, item.sealed());
                insert.setInt(5, item.sealed().length);
                insert.setLong(6, item.storedAt().toEpochMilli());
                insert.setLong(7, item.expiresAt().toEpochMilli());
                insert.executeUpdate();
            } catch (SQLiteException e) {
                if (e.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY) {
                    throw new IllegalArgumentException("mailbox item sender has no account: " + item.sender(), e);
                }
                throw e;
            }
            return new Put(PutOutcome.STORED, item.expiresAt());
        });
    }

    @Override
    public List<StoredItem> waitingItems(String recipient, long afterSeq, int limit) {
        String key = NameKey.of(recipient);
        return read("waitingItems", connection -> {
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT m.seq, a.username, m.item_id, m.sealed, m.stored_at
                    FROM mailbox_item m JOIN account a ON a.username_key = m.sender_key
                    WHERE m.recipient_key = ? AND m.sealed IS NOT NULL AND m.seq > ?
                    ORDER BY m.seq LIMIT ?""")) {
                select.setString(1, key);
                select.setLong(2, afterSeq);
                select.setInt(3, limit);
                try (ResultSet row = select.executeQuery()) {
                    List<StoredItem> items = new ArrayList<>();
                    while (row.next()) {
                        items.add(new StoredItem(row.getLong(1), row.getString(2), row.getString(3), row.getBytes(4),
                                Instant.ofEpochMilli(row.getLong(5))));
                    }
                    return List.copyOf(items);
                }
            }
        });
    }

    @Override
    public int deleteItems(String recipient, List<ItemKey> items) {
        String key = NameKey.of(recipient);
        return write("deleteItems", connection -> {
            int deleted = 0;
            boolean autoCommit = connection.getAutoCommit();
            connection.setAutoCommit(false); // one commit (one fsync) for the whole acknowledgement
            try (PreparedStatement delete = connection.prepareStatement("""
                    DELETE FROM mailbox_item
                    WHERE recipient_key = ? AND sender_key = ? AND item_id = ? AND sealed IS NOT NULL""")) {
                for (ItemKey item : items) {
                    delete.setString(1, key);
                    delete.setString(2, NameKey.of(item.sender()));
                    delete.setString(3, item.itemId());
                    deleted += delete.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            } finally {
                connection.setAutoCommit(autoCommit);
            }
            return deleted;
        });
    }

    @Override
    public List<ExpiredItem> expireItems(Instant now) {
        long nowMillis = now.toEpochMilli();
        return write("expireItems", connection -> {
            List<ExpiredItem> expired = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(EXPIRED_COLUMNS
                    + "WHERE m.sealed IS NOT NULL AND m.expires_at <= ? ORDER BY m.seq")) {
                select.setLong(1, nowMillis);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        expired.add(expired(row));
                    }
                }
            }
            if (expired.isEmpty()) {
                return List.<ExpiredItem>of();
            }
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE mailbox_item SET sealed = NULL, size = 0
                    WHERE sealed IS NOT NULL AND expires_at <= ?""")) {
                update.setLong(1, nowMillis);
                update.executeUpdate();
            }
            return List.copyOf(expired);
        });
    }

    @Override
    public List<ExpiredItem> noticesFor(String sender) {
        String key = NameKey.of(sender);
        return read("noticesFor", connection -> {
            try (PreparedStatement select = connection.prepareStatement(EXPIRED_COLUMNS
                    + "WHERE m.sealed IS NULL AND m.sender_key = ? ORDER BY m.seq")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    List<ExpiredItem> notices = new ArrayList<>();
                    while (row.next()) {
                        notices.add(expired(row));
                    }
                    return List.copyOf(notices);
                }
            }
        });
    }

    @Override
    public void deleteNotice(long seq) {
        write("deleteNotice", connection -> {
            try (PreparedStatement delete = connection.prepareStatement(
                    "DELETE FROM mailbox_item WHERE seq = ? AND sealed IS NULL")) {
                delete.setLong(1, seq);
                return delete.executeUpdate();
            }
        });
    }

    @Override
    public void updateCertificate(String username, String certificate) {
        Objects.requireNonNull(certificate, "certificate");
        String key = NameKey.of(username);
        write("updateCertificate", connection -> {
            try (PreparedStatement update = connection.prepareStatement(
                    "UPDATE account SET certificate = ? WHERE username_key = ? AND certificate IS NOT ?")) {
                update.setString(1, certificate);
                update.setString(2, key);
                update.setString(3, certificate);
                return update.executeUpdate();
            }
        });
    }

    @Override
    public Optional<String> findCertificate(String username) {
        String key = NameKey.of(username);
        return read("findCertificate", connection -> {
            try (PreparedStatement select = connection.prepareStatement(
                    "SELECT certificate FROM account WHERE username_key = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next() ? Optional.ofNullable(row.getString(1)) : Optional.<String>empty();
                }
            }
        });
    }

    private static final String EXPIRED_COLUMNS = """
            SELECT m.seq, s.username, r.username, m.item_id
            FROM mailbox_item m JOIN account s ON s.username_key = m.sender_key
            JOIN account r ON r.username_key = m.recipient_key
            """;

    private static ExpiredItem expired(ResultSet row) throws SQLException {
        return new ExpiredItem(row.getLong(1), row.getString(2), row.getString(3), row.getString(4));
    }

    @Override
    public void close() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            SQLException failure = null;
            try {
                writer.close();
            } catch (SQLException e) {
                failure = e;
            }
            if (readers != null) {
                try {
                    readers.close();
                } catch (SQLException e) {
                    if (failure == null) {
                        failure = e;
                    } else {
                        failure.addSuppressed(e);
                    }
                }
            }
            if (failure != null) {
                throw new StoreException("closing the registry database failed", failure);
            }
        } finally {
            exclusive.unlock();
        }
    }

    private static Room room(ResultSet row) throws SQLException {
        return new Room(row.getString(1), row.getString(2), row.getInt(3), row.getString(4),
                row.getString(5), Instant.ofEpochMilli(row.getLong(6)));
    }

    private <T> T write(String operation, SqlWork<T> work) {
        return guarded(operation, () -> {
            writeLock.lock();
            try {
                return work.run(writer);
            } finally {
                writeLock.unlock();
            }
        });
    }

    private <T> T read(String operation, SqlWork<T> work) {
        return readers == null ? write(operation, work) : guarded(operation, () -> readers.with(work));
    }

    private <T> T guarded(String operation, SqlCall<T> call) {
        Lock shared = lifecycle.readLock();
        shared.lock();
        try {
            if (closed) {
                throw new StoreException(operation + ": store is closed");
            }
            return call.run();
        } catch (SQLException e) {
            throw new StoreException(operation + " failed", e);
        } finally {
            shared.unlock();
        }
    }

    @FunctionalInterface
    private interface SqlCall<T> {
        T run() throws SQLException;
    }
}
