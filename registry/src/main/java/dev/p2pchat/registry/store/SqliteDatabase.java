package dev.p2pchat.registry.store;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * Opens connections to the registry's SQLite file with the settings durability and
 * concurrency depend on, and brings its schema up to date. Knows nothing about rows.
 */
final class SqliteDatabase {
    static final String FILE_NAME = "registry.db";
    static final String MIGRATIONS = "classpath:db/migration";

    /** Long enough to ride out a WAL checkpoint or another process briefly holding the file. */
    private static final int BUSY_TIMEOUT_MILLIS = 10_000;

    private final SQLiteDataSource dataSource;

    private SqliteDatabase(SQLiteDataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * @param synchronous FULL makes every commit survive power loss, not only a killed process;
     *                    other values exist for measurements
     */
    static SqliteDatabase at(Path dataDir, SQLiteConfig.SynchronousMode synchronous) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            // SQLite gives the -wal and -shm files the mode of the database file, so 0600 here makes them 0600 too;
            // files left by an older version are narrowed as well.
            PrivateFiles.directory(dataDir);
            PrivateFiles.file(file);
            PrivateFiles.ifExists(dataDir.resolve(FILE_NAME + "-wal"));
            PrivateFiles.ifExists(dataDir.resolve(FILE_NAME + "-shm"));
            PrivateFiles.ifExists(dataDir.resolve(FILE_NAME + "-journal"));
        } catch (IOException e) {
            throw new StoreException("cannot make data directory " + dataDir + " private", e);
        }
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(synchronous);
        config.setBusyTimeout(BUSY_TIMEOUT_MILLIS);
        config.enforceForeignKeys(true);
        // Take the write lock when a transaction starts, so a transaction never fails
        // half-way with SQLITE_BUSY when upgrading from a read lock.
        config.setTransactionMode(SQLiteConfig.TransactionMode.IMMEDIATE);
        SQLiteDataSource dataSource = new SQLiteDataSource(config);
        dataSource.setUrl("jdbc:sqlite:" + file.toAbsolutePath());
        return new SqliteDatabase(dataSource);
    }

    /** Applies pending migrations; Flyway's history table makes this a no-op once applied. */
    void migrate() {
        Flyway.configure(SqliteDatabase.class.getClassLoader())
                .dataSource(dataSource)
                .locations(MIGRATIONS)
                .load()
                .migrate();
    }

    Connection openWriter() throws SQLException {
        return dataSource.getConnection();
    }

    /** query_only turns a bug that writes through a read connection into an error. */
    Connection openReader() throws SQLException {
        Connection connection = dataSource.getConnection();
        try (Statement statement = connection.createStatement()) {
            statement.execute("PRAGMA query_only = ON");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return connection;
    }
}
