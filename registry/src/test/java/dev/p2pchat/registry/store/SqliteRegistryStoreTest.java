package dev.p2pchat.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig.SynchronousMode;

class SqliteRegistryStoreTest extends RegistryStoreContract {
    @TempDir
    Path dataDir;

    @Override
    RegistryStore open() {
        return SqliteRegistryStore.open(dataDir);
    }

    @Override
    RegistryStore reopen() {
        return SqliteRegistryStore.open(dataDir);
    }

    @Test
    void reopeningDoesNotRunMigrationsAgain() throws SQLException {
        store.close();
        SqliteRegistryStore.open(dataDir).close();
        store = SqliteRegistryStore.open(dataDir);

        assertThat(queryLong("SELECT count(*) FROM flyway_schema_history WHERE version = '1' AND success = 1"))
                .isEqualTo(1);
    }

    @Test
    void databaseIsCreatedInMissingDataDirInWalMode() throws SQLException {
        Path nested = dataDir.resolve("a/b");
        try (SqliteRegistryStore other = SqliteRegistryStore.open(nested)) {
            other.createAccount(new Account("x", "h", T0));
        }

        assertThat(nested.resolve("registry.db")).isRegularFile();
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + nested.resolve("registry.db"));
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("PRAGMA journal_mode")) {
            row.next();
            assertThat(row.getString(1)).isEqualToIgnoringCase("wal");
        }
    }

    @Test
    void storeReadingThroughItsWriterBehavesTheSame() {
        store.close();
        store = SqliteRegistryStore.open(dataDir, SynchronousMode.FULL, 0);

        store.createAccount(new Account("Alice", "h", T0));

        assertThat(store.findAccount("alice")).map(Account::username).contains("Alice");
        assertThat(store.accountCount()).isEqualTo(1);
    }

    @Test
    void invalidRowsCannotBeBuilt() {
        assertThatThrownBy(() -> new Room("r", null, 0, "", "alice", T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Account(" ", "h", T0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Account("a", null, T0))
                .isInstanceOf(NullPointerException.class);
    }

    private long queryLong(String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("registry.db"));
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        }
    }
}
