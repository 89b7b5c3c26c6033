package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.store.PostgresRegistryStore;
import dev.p2pchat.registry.store.TestPostgres;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real registries (TLS, their own ports and data directories) on one PostgreSQL database: what one of them
 * stored durably, the other serves — the first step of a cluster of registries (issue 13).
 */
class SharedDatabaseTest {
    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    private TestPostgres.Schema schema;
    private RunningRegistry a;
    private RunningRegistry b;

    @BeforeEach
    void start() {
        schema = TestPostgres.newSchema();
        a = RunningRegistry.startWithStore(dirA, dir -> PostgresRegistryStore.open(schema.url()));
        b = RunningRegistry.startWithStore(dirB, dir -> PostgresRegistryStore.open(schema.url()));
    }

    @AfterEach
    void stop() throws Exception {
        if (a != null) {
            a.close();
        }
        if (b != null) {
            b.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void anAccountRegisteredAtOneRegistryLogsInAtTheOtherAndItsNameIsTakenThere() {
        RegistryTestClient atA = a.client();
        assertThat(atA.register("Alice", "pw-alice").status()).isEqualTo(Status.SUCCESS);

        RegistryTestClient atB = b.client();
        assertThat(atB.login("alice", "pw-alice").status()).isEqualTo(Status.SUCCESS);
        assertThat(b.client().register("ALICE", "other").status()).isNotEqualTo(Status.SUCCESS);
    }

    @Test
    void aMailboxItemLeftAtOneRegistryIsPushedByTheOtherAtLogin() {
        RegistryTestClient alice = a.client();
        alice.registerAndLogin("alice");
        RegistryTestClient bobRegisters = a.client();
        assertThat(bobRegisters.register("bob", "pw-bob").status()).isEqualTo(Status.SUCCESS);
        String sealed = Base64.getEncoder().encodeToString("ciphertext".getBytes(StandardCharsets.UTF_8));
        RegistryReply.MailboxPutResult stored = alice.call(new RegistryRequest.MailboxPut("bob", "m-1", null, sealed),
                RegistryReply.MailboxPutResult.class);
        assertThat(stored.status()).isEqualTo(Status.STORED);

        RegistryTestClient bob = b.client();
        assertThat(bob.login("bob", "pw-bob").status()).isEqualTo(Status.SUCCESS);

        RegistryPush.MailboxItem item = bob.awaitPush(RegistryPush.MailboxItem.class);
        assertThat(item.itemId()).isEqualTo("m-1");
        assertThat(item.senderUsername()).isEqualTo("alice");
    }
}
