package dev.p2pchat.registry;

import static dev.p2pchat.registry.ClusterTest.awaitPush;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.store.TestPostgres;
import dev.p2pchat.security.Identity;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cluster as an operator runs it: PostgreSQL, three registry processes started by the {@code registry} command
 * with {@code --cluster} and one shared certificate, users spread over them. One node is SIGKILLed.
 */
@Timeout(180)
class ClusterProcessesTest {
    private static final Duration LEASE = Duration.ofSeconds(2);
    /** Several leases, for a loaded machine: what is checked is that it happens, not how fast. */
    private static final Duration WITHIN = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private TestPostgres.Schema schema;
    private final List<ClusterNodeProcess> nodes = new ArrayList<>();
    private final List<RegistryTestClient> clients = new ArrayList<>();
    private String fingerprint;

    @BeforeEach
    void start() throws Exception {
        schema = TestPostgres.newSchema();
        fingerprint = Identity.loadOrCreate(dir.resolve("tls"), RegistryServer.COMMON_NAME).fingerprint();
        for (String name : List.of("a", "b", "c")) {
            nodes.add(ClusterNodeProcess.start(dir.resolve(name), schema.url(), LEASE, dir.resolve("tls/cert.pem"),
                    dir.resolve("tls/key.pem")));
        }
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(RegistryTestClient::close);
        for (ClusterNodeProcess node : nodes) {
            node.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    private RegistryTestClient clientOf(int node) {
        RegistryTestClient client = nodes.get(node).client(fingerprint);
        clients.add(client);
        return client;
    }

    @Test
    void usersOnThreeNodesFindEachOtherShareARoomAndLogInOnlyOnce() {
        RegistryTestClient alice = clientOf(0);
        alice.registerAndLogin("alice");
        RegistryTestClient bob = clientOf(1);
        bob.registerAndLogin("bob");
        RegistryTestClient carol = clientOf(2);
        carol.registerAndLogin("carol");
        assertThat(alice.createRoom("lobby", null, 10, "").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
        await().atMost(WITHIN).until(() -> bob.join("lobby", null).status().equals(Status.SUCCESS));
        await().atMost(WITHIN).until(() -> carol.join("lobby", null).status().equals(Status.SUCCESS));

        assertThat(awaitPush(alice, RegistryPush.RoomMemberJoined.class).member().username()).isIn("bob", "carol");
        await().atMost(WITHIN).until(() -> carol.discover("lobby").peers().size() == 3);
        assertThat(carol.discover("lobby").peers()).extracting(PeerInfo::username)
                .containsExactly("alice", "bob", "carol");
        RegistryReply.SearchUserResponse found = carol.search("alice");
        assertThat(found.status()).isEqualTo(Status.SUCCESS);
        assertThat(found.rooms()).containsExactly("lobby");

        RegistryReply.Auth twice = clientOf(2).login("alice", "pw-alice");
        assertThat(twice.status()).isEqualTo(Status.ONLINE);
        assertThat(clientOf(1).login("bob", "pw-bob").status()).isEqualTo(Status.ONLINE);
    }

    @Test
    void theUsersOfAKilledNodeGoOfflineElsewhereAndResumeOnAnotherNode() throws Exception {
        RegistryTestClient alice = clientOf(0);
        RegistryReply.Auth auth = alice.registerAndLogin("alice");
        assertThat(alice.createRoom("lobby", null, 10, "").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
        RegistryTestClient bob = clientOf(1);
        bob.registerAndLogin("bob");
        await().atMost(WITHIN).until(() -> bob.join("lobby", null).status().equals(Status.SUCCESS));
        RegistryTestClient carol = clientOf(2);
        carol.registerAndLogin("carol");
        await().atMost(WITHIN).until(() -> carol.search("alice").status().equals(Status.SUCCESS));

        nodes.get(0).kill();

        RegistryPush.UserLogout logout = awaitPush(bob, RegistryPush.UserLogout.class);
        assertThat(logout.username()).isEqualTo("alice");
        assertThat(logout.roomName()).isEqualTo("lobby");
        assertThat(carol.search("alice").status()).isEqualTo(Status.NOT_ONLINE);

        RegistryTestClient aliceOnC = clientOf(2);
        RegistryReply.Auth resumed = aliceOnC.resume("alice", auth.token(), "lobby");
        assertThat(resumed.status()).as(resumed.reason()).isEqualTo(Status.SUCCESS);
        assertThat(resumed.restoredRoom()).isEqualTo("lobby");
        assertThat(awaitPush(bob, RegistryPush.RoomMemberJoined.class).member().username()).isEqualTo("alice");
        assertThat(bob.discover("lobby").peers()).extracting(PeerInfo::username).containsExactly("alice", "bob");
        assertThat(clientOf(1).login("alice", "pw-alice").status()).isEqualTo(Status.ONLINE);
    }
}
