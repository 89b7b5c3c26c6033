package dev.p2pchat.registry.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.p2pchat.registry.store.MailboxStore.ExpiredItem;
import dev.p2pchat.registry.store.MailboxStore.ItemKey;
import dev.p2pchat.registry.store.MailboxStore.NewItem;
import dev.p2pchat.registry.store.MailboxStore.PutOutcome;
import dev.p2pchat.registry.store.MailboxStore.StoredItem;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link RegistryStore} must do, run against each database the registry can use (SQLite, PostgreSQL):
 * the server logic depends on these and nothing else.
 */
abstract class RegistryStoreContract {
    static final Instant T0 = Instant.ofEpochMilli(1_750_000_000_123L);

    RegistryStore store;

    /** A new, empty store. */
    abstract RegistryStore open();

    /** The same store again, after {@link #store} was closed. */
    abstract RegistryStore reopen();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        if (store != null) { // null when the store's assumption skipped the test (no PostgreSQL)
            store.close();
        }
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

        store = reopen();

        assertThat(store.findAccount("alice")).contains(alice);
        assertThat(store.listRooms()).containsExactly(lobby);
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

    // ---- mailboxes and certificates

    private void accounts(String... names) {
        for (String name : names) {
            store.createAccount(new Account(name, "h", T0));
        }
    }

    private static NewItem item(String recipient, String sender, String id, int bytes) {
        return new NewItem(recipient, sender, id, new byte[bytes], T0, T0.plus(Duration.ofDays(7)));
    }

    @Test
    void aPutItemWaitsOldestFirstInTheSendersSpellingUntilDeleted() {
        accounts("Alice", "Bob");
        assertThat(store.putItem(item("bob", "alice", "m1", 10), 10, 1000).outcome()).isEqualTo(PutOutcome.STORED);
        assertThat(store.putItem(item("BOB", "ALICE", "m2", 20), 10, 1000).outcome()).isEqualTo(PutOutcome.STORED);

        List<StoredItem> waiting = store.waitingItems("bob", 0, 10);
        assertThat(waiting).extracting(StoredItem::itemId).containsExactly("m1", "m2");
        assertThat(waiting).extracting(StoredItem::sender).containsOnly("Alice");
        assertThat(waiting.get(1).sealed()).hasSize(20);
        assertThat(store.waitingItems("bob", waiting.get(0).seq(), 10)).extracting(StoredItem::itemId)
                .containsExactly("m2");

        assertThat(store.deleteItems("bob", List.of(new ItemKey("alice", "m1"), new ItemKey("alice", "nope"))))
                .isEqualTo(1);
        assertThat(store.waitingItems("bob", 0, 10)).extracting(StoredItem::itemId).containsExactly("m2");
    }

    @Test
    void theSameItemPutTwiceIsStoredOnce() {
        accounts("alice", "bob");
        store.putItem(item("bob", "alice", "m1", 10), 10, 1000);

        MailboxStore.Put again = store.putItem(item("bob", "alice", "m1", 10), 10, 1000);

        assertThat(again.outcome()).isEqualTo(PutOutcome.ALREADY_STORED);
        assertThat(again.expiresAt()).isEqualTo(T0.plus(Duration.ofDays(7)));
        assertThat(store.waitingItems("bob", 0, 10)).hasSize(1);
    }

    @Test
    void aFullMailboxRefusesByCountAndByBytesAndAnUnknownRecipientIsSaid() {
        accounts("alice", "bob");
        store.putItem(item("bob", "alice", "m1", 60), 2, 100);

        assertThat(store.putItem(item("bob", "alice", "m2", 50), 2, 100).outcome())
                .isEqualTo(PutOutcome.TOO_MANY_BYTES);
        store.putItem(item("bob", "alice", "m3", 40), 2, 100);
        assertThat(store.putItem(item("bob", "alice", "m4", 1), 2, 100).outcome())
                .isEqualTo(PutOutcome.TOO_MANY_ITEMS);
        assertThat(store.putItem(item("nobody", "alice", "m5", 1), 2, 100).outcome())
                .isEqualTo(PutOutcome.NO_SUCH_RECIPIENT);
        assertThatThrownBy(() -> store.putItem(item("bob", "ghost", "m6", 1), 10, 1000))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ghost");
    }

    @Test
    void expiredItemsBecomeNoticesForTheirSenderOnce() {
        accounts("alice", "bob");
        store.putItem(new NewItem("bob", "alice", "old", new byte[5], T0, T0.plusSeconds(10)), 10, 1000);
        store.putItem(new NewItem("bob", "alice", "new", new byte[5], T0, T0.plusSeconds(100)), 10, 1000);

        List<ExpiredItem> expired = store.expireItems(T0.plusSeconds(10));

        assertThat(expired).extracting(ExpiredItem::itemId).containsExactly("old");
        assertThat(expired.get(0).recipient()).isEqualTo("bob");
        assertThat(store.expireItems(T0.plusSeconds(10))).isEmpty();
        assertThat(store.waitingItems("bob", 0, 10)).extracting(StoredItem::itemId).containsExactly("new");
        assertThat(store.noticesFor("ALICE")).extracting(ExpiredItem::itemId).containsExactly("old");

        store.deleteNotice(expired.get(0).seq());

        assertThat(store.noticesFor("alice")).isEmpty();
    }

    @Test
    void theCertificateIsKeptPerAccountAndReplaced() {
        accounts("alice");
        assertThat(store.findAccount("alice").orElseThrow().certificate()).isNull();

        store.updateCertificate("ALICE", "first");
        store.updateCertificate("alice", "first");
        assertThat(store.findAccount("alice").orElseThrow().certificate()).isEqualTo("first");

        store.updateCertificate("alice", "second");
        assertThat(store.findAccount("Alice").orElseThrow().certificate()).isEqualTo("second");
    }

    @Test
    void waitingItemsSurviveReopen() {
        accounts("alice", "bob");
        store.putItem(item("bob", "alice", "m1", 10), 10, 1000);
        store.close();

        store = reopen();

        assertThat(store.waitingItems("bob", 0, 10)).extracting(StoredItem::itemId).containsExactly("m1");
    }
}
