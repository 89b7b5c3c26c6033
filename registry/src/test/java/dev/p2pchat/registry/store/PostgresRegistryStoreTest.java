package dev.p2pchat.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL server, each test in a schema of its own that is dropped afterwards.
 * {@code scripts/test} starts the distribution's PostgreSQL and sets {@value TestPostgres#URL_VARIABLE}; without it
 * these tests skip, unless {@value TestPostgres#REQUIRED_VARIABLE} is set (CI), when they fail.
 */
class PostgresRegistryStoreTest extends RegistryStoreContract {
    private final String schema = "t_" + UUID.randomUUID().toString().replace("-", "");

    @Override
    RegistryStore open() {
        String base = TestPostgres.urlOrSkip();
        try (Connection admin = DriverManager.getConnection(base); Statement statement = admin.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create schema " + schema, e);
        }
        return PostgresRegistryStore.open(url());
    }

    @Override
    RegistryStore reopen() {
        return PostgresRegistryStore.open(url());
    }

    private String url() {
        String base = TestPostgres.urlOrSkip();
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    @AfterEach
    void dropSchema() throws SQLException {
        try (Connection admin = DriverManager.getConnection(TestPostgres.urlOrSkip());
             Statement statement = admin.createStatement()) {
            statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    @Test
    void twoStoresOnOneDatabaseSeeEachOthersAccountsAsTwoRegistriesWould() {
        try (RegistryStore other = PostgresRegistryStore.open(url())) {
            store.createAccount(new Account("Alice", "h", T0));

            assertThat(other.findAccount("alice")).map(Account::username).contains("Alice");
            assertThat(other.createAccount(new Account("ALICE", "h", T0))).isFalse();
        }
    }

    @Test
    void aDatabaseThatCannotBeReachedIsAClearErrorWithoutThePassword() {
        assertThatThrownBy(() -> PostgresRegistryStore.open(
                "jdbc:postgresql://127.0.0.1:1/nowhere?user=x&password=secret-word&connectTimeout=2"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/nowhere")
                .hasMessageNotContaining("secret-word");
    }
}
