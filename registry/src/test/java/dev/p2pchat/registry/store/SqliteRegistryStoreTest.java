package dev.p2pchat.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig.SynchronousMode;

class SqliteRegistryStoreTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_750_000_000_123L);

    @TempDir
    Path dataDir;

    private SqliteRegistryStore store;

    @BeforeEach
    void openStore() {
        store = SqliteRegistryStore.open(dataDir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void createdAccountIsFoundIgnoringCase() {
        Account alice = new Account("Alice", "$argon2id$v=19$m=65536,t=3,p=1$c2FsdA$aGFzaA", T0);

        assertThat(store.createAccount(alice)).isTrue();

        assertThat(store.findAccount("alice")).contains(alice);
        assertThat(store.findAccount("ALICE")).contains(alice);
    }

    @Test
    void createAccountRefusesExistingNameIgnoringCase() {
        store.createAccount(new Account("Alice", "first", T0));

        assertThat(store.createAccount(new Account("aLiCe", "second", T0.plusSeconds(1)))).isFalse();

        assertThat(store.findAccount("alice")).contains(new Account("Alice", "first", T0));
        assertThat(store.accountCount()).isEqualTo(1);
    }

    @Test
    void unicodeNamesAreUniqueIgnoringCaseAndComposition() {
        store.createAccount(new Account("Zoë", "h", T0));

        assertThat(store.createAccount(new Account("ZOË", "h", T0))).isFalse();
        assertThat(store.createAccount(new Account("zoe\u0308", "h", T0))).isFalse();
        assertThat(store.findAccount("zoË")).map(Account::username).contains("Zoë");
    }

    @Test
    void unknownAccountIsNotFound() {
        assertThat(store.findAccount("nobody")).isEmpty();
    }

    @Test
    void accountCountCountsCreatedAccounts() {
        assertThat(store.accountCount()).isZero();
        store.createAccount(new Account("a", "h", T0));
        store.createAccount(new Account("b", "h", T0));

        assertThat(store.accountCount()).isEqualTo(2);
    }

    @Test
    void updatePasswordHashReplacesTheHashOnly() {
        store.createAccount(new Account("Alice", "old", T0));

        store.updatePasswordHash("ALICE", "new");

        assertThat(store.findAccount("alice")).contains(new Account("Alice", "new", T0));
    }

    @Test
    void updatePasswordHashOfUnknownAccountIsRejected() {
        assertThatThrownBy(() -> store.updatePasswordHash("nobody", "h"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createdRoomIsFoundIgnoringCase() {
        store.createAccount(new Account("alice", "h", T0));
        Room lobby = new Room("Lobby", null, 50, "Say hello", "alice", T0);

        assertThat(store.createRoom(lobby)).isTrue();

        assertThat(store.findRoom("LOBBY")).contains(lobby);
    }

    @Test
    void createRoomRefusesExistingNameIgnoringCase() {
        store.createAccount(new Account("alice", "h", T0));
        store.createAccount(new Account("bob", "h", T0));
        Room original = new Room("Lobby", null, 50, "first", "alice", T0);
        store.createRoom(original);

        assertThat(store.createRoom(new Room("lobby", "pw", 5, "second", "bob", T0))).isFalse();

        assertThat(store.listRooms()).containsExactly(original);
    }

    @Test
    void roomWithPasswordKeepsItsHashAndRoomWithoutHasNone() {
        store.createAccount(new Account("alice", "h", T0));
        store.createRoom(new Room("secret", "$argon2id$room", 2, "", "alice", T0));
        store.createRoom(new Room("open", null, 2, "", "alice", T0));

        Room secret = store.findRoom("secret").orElseThrow();
        Room open = store.findRoom("open").orElseThrow();

        assertThat(secret.hasPassword()).isTrue();
        assertThat(secret.passwordHash()).isEqualTo("$argon2id$room");
        assertThat(open.hasPassword()).isFalse();
        assertThat(open.passwordHash()).isNull();
    }

    @Test
    void listRoomsIsOrderedByNameIgnoringCase() {
        store.createAccount(new Account("alice", "h", T0));
        for (String name : new String[] {"charlie", "Bravo", "alpha", "Delta"}) {
            store.createRoom(new Room(name, null, 10, "", "alice", T0));
        }

        assertThat(store.listRooms()).extracting(Room::name)
                .containsExactly("alpha", "Bravo", "charlie", "Delta");
    }

    @Test
    void noRoomsListsEmpty() {
        assertThat(store.listRooms()).isEmpty();
        assertThat(store.findRoom("lobby")).isEmpty();
    }

    @Test
    void roomCreatorReadsBackInTheAccountsSpelling() {
        store.createAccount(new Account("Alice", "h", T0));
        store.createRoom(new Room("lobby", null, 10, "", "alice", T0));

        assertThat(store.findRoom("lobby")).map(Room::creator).contains("Alice");
    }

    @Test
    void createRoomRejectsCreatorWithoutAccount() {
        assertThatThrownBy(() -> store.createRoom(new Room("lobby", null, 10, "", "ghost", T0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ghost");
        assertThat(store.listRooms()).isEmpty();
    }

    @Test
    void accountsAndRoomsSurviveReopen() {
        Account alice = new Account("Alice", "h", T0);
        Room lobby = new Room("Lobby", "pw", 7, "desc", "Alice", T0);
        store.createAccount(alice);
        store.createRoom(lobby);
        store.close();

        store = SqliteRegistryStore.open(dataDir);

        assertThat(store.findAccount("alice")).contains(alice);
        assertThat(store.listRooms()).containsExactly(lobby);
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
    void callsAfterCloseFailAndCloseIsIdempotent() {
        store.close();
        store.close();

        assertThatThrownBy(() -> store.findAccount("alice"))
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("closed");
        assertThatThrownBy(() -> store.createAccount(new Account("alice", "h", T0)))
                .isInstanceOf(StoreException.class);
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
