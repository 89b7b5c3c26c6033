package dev.p2pchat.registry.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
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
public final class SqliteRegistryStore extends JdbcRegistryStore {
    /**
     * Readers are CPU-bound point lookups: separate read connections doubled lookup throughput
     * over reading through the writer, but going past the core count gained nothing (StoreBenchmark).
     */
    static final int DEFAULT_READ_CONNECTIONS = Math.max(2, Runtime.getRuntime().availableProcessors());

    private final Connection writer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final ReadConnections readers;

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
    <T> T onWriter(SqlWork<T> work) throws SQLException {
        writeLock.lock();
        try {
            return work.run(writer);
        } finally {
            writeLock.unlock();
        }
    }

    @Override
    <T> T onReader(SqlWork<T> work) throws SQLException {
        return readers == null ? onWriter(work) : readers.with(work);
    }

    @Override
    void release() throws SQLException {
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
            throw failure;
        }
    }

    @Override
    boolean isForeignKeyViolation(SQLException e) {
        return e instanceof SQLiteException sqlite
                && sqlite.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_FOREIGNKEY;
    }

    @Override
    String isDistinctFrom() {
        return "IS NOT";
    }

    /** Only the writer connection writes, under the write lock: nothing can come between a read and a write. */
    @Override
    String forUpdate() {
        return "";
    }

    @Override
    String forUpdateOf(String table) {
        return "";
    }
}
