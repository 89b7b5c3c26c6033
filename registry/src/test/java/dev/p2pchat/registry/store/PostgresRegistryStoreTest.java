package dev.p2pchat.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The store contract on a real PostgreSQL server, each test in a schema of its own that is dropped afterwards.
 * {@code scripts/test} starts the distribution's PostgreSQL and sets {@value TestPostgres#URL_VARIABLE}; without it
 * these tests skip, unless {@value TestPostgres#REQUIRED_VARIABLE} is set (CI), when they fail.
 */
class PostgresRegistryStoreTest extends RegistryStoreContract {
    private TestPostgres.Schema schema;

    @Override
    RegistryStore open() {
        schema = TestPostgres.newSchema();
        return PostgresRegistryStore.open(schema.url());
    }

    @Override
    RegistryStore reopen() {
        return PostgresRegistryStore.open(schema.url());
    }

    @AfterEach
    void dropSchema() throws SQLException {
        if (schema != null) {
            store.close(); // before the schema goes (idempotent: the contract closes it too)
            schema.close();
        }
    }

    @Test
    void twoStoresOnOneDatabaseSeeEachOthersAccountsAsTwoRegistriesWould() {
        try (RegistryStore other = PostgresRegistryStore.open(schema.url())) {
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
