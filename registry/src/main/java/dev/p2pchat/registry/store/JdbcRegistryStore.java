package dev.p2pchat.registry.store;

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
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The registry's SQL, one copy for both of its databases: {@link SqliteRegistryStore} (one file, one writer) and
 * {@link PostgresRegistryStore} (a connection pool, shared by several registries). A subclass says how a call gets a
 * connection and the few words in which the two dialects differ; the statements, the transactions and the
 * mapping of rows are here.
 */
abstract sealed class JdbcRegistryStore implements RegistryStore permits SqliteRegistryStore, PostgresRegistryStore {
    private static final String ROOM_COLUMNS = """
            SELECT r.name, r.password_hash, r.capacity, r.description, a.username, r.created_at
            FROM room r JOIN account a ON a.username_key = r.creator_key
            """;

    /** Calls hold the read side, close() the write side: close never pulls a connection from under a call. */
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private boolean closed;

    /** Runs a change on a connection that may write; it has committed when this returns. */
    abstract <T> T onWriter(SqlWork<T> work) throws SQLException;

    /** Runs a query, on a connection that may be a reader's. */
    abstract <T> T onReader(SqlWork<T> work) throws SQLException;

    /** Releases the connections, once. */
    abstract void release() throws SQLException;

    /** Whether {@code e} is a foreign key that names no row. */
    abstract boolean isForeignKeyViolation(SQLException e);

    /** "Differs from, NULL included" in this dialect. */
    abstract String isDistinctFrom();

    /** The clause that locks the selected rows until the commit; empty where one connection writes at a time. */
    abstract String forUpdate();

    /** {@link #forUpdate()} for the rows of one table of a join. */
    abstract String forUpdateOf(String table);

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
                    "SELECT username, password_hash, created_at, certificate FROM account WHERE username_key = ?")) {
                select.setString(1, key);
                try (ResultSet row = select.executeQuery()) {
                    return row.next()
                            ? Optional.of(new Account(row.getString(1), row.getString(2),
                                    Instant.ofEpochMilli(row.getLong(3)), row.getString(4)))
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
            } catch (SQLException e) {
                if (isForeignKeyViolation(e)) {
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
        return write("putItem", connection -> inTransaction(connection, () -> {
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
            // The recipient's row is locked until the commit (where several writers exist): nothing can fill the
            // mailbox between the check and the insert.
            try (PreparedStatement account = connection.prepareStatement(
                    "SELECT 1 FROM account WHERE username_key = ?" + forUpdate())) {
                account.setString(1, recipientKey);
                try (ResultSet row = account.executeQuery()) {
                    if (!row.next()) {
                        return new Put(PutOutcome.NO_SUCH_RECIPIENT, null);
                    }
                }
            }
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
            } catch (SQLException e) {
                if (isForeignKeyViolation(e)) {
                    throw new IllegalArgumentException("mailbox item sender has no account: " + item.sender(), e);
                }
                throw e;
            }
            return new Put(PutOutcome.STORED, item.expiresAt());
        }));
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
            // one commit (one fsync) for the whole acknowledgement
            return inTransaction(connection, () -> {
                int deleted = 0;
                try (PreparedStatement delete = connection.prepareStatement("""
                        DELETE FROM mailbox_item
                        WHERE recipient_key = ? AND sender_key = ? AND item_id = ? AND sealed IS NOT NULL""")) {
                    for (ItemKey item : items) {
                        delete.setString(1, key);
                        delete.setString(2, NameKey.of(item.sender()));
                        delete.setString(3, item.itemId());
                        deleted += delete.executeUpdate();
                    }
                }
                return deleted;
            });
        });
    }

    @Override
    public List<ExpiredItem> expireItems(Instant now) {
        long nowMillis = now.toEpochMilli();
        return write("expireItems", connection -> inTransaction(connection, () -> {
            // the rows are locked until the commit, so two registries sweeping at once tell each sender once
            List<ExpiredItem> expired = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(EXPIRED_COLUMNS
                    + "WHERE m.sealed IS NOT NULL AND m.expires_at <= ? ORDER BY m.seq" + forUpdateOf("m"))) {
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
        }));
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
                    "UPDATE account SET certificate = ? WHERE username_key = ? AND certificate " + isDistinctFrom() + " ?")) {
                update.setString(1, certificate);
                update.setString(2, key);
                update.setString(3, certificate);
                return update.executeUpdate();
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

    private static Room room(ResultSet row) throws SQLException {
        return new Room(row.getString(1), row.getString(2), row.getInt(3), row.getString(4),
                row.getString(5), Instant.ofEpochMilli(row.getLong(6)));
    }

    /** Several statements as one transaction on {@code connection}: committed together, or rolled back. */
    static <T> T inTransaction(Connection connection, SqlCall<T> work) throws SQLException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            T result = work.run();
            connection.commit();
            return result;
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            throw e;
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    @Override
    public final void close() {
        Lock exclusive = lifecycle.writeLock();
        exclusive.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            release();
        } catch (SQLException e) {
            throw new StoreException("closing the registry database failed", e);
        } finally {
            exclusive.unlock();
        }
    }

    final <T> T write(String operation, SqlWork<T> work) {
        return guarded(operation, () -> onWriter(work));
    }

    final <T> T read(String operation, SqlWork<T> work) {
        return guarded(operation, () -> onReader(work));
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
    interface SqlCall<T> {
        T run() throws SQLException;
    }
}
