package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.security.Identity;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real peers on a cluster of three real registry nodes (one PostgreSQL schema, one shared certificate): each peer
 * is given every node, logs in at its first, chats with a peer on another node, and moves to one of the others
 * when its own goes away, keeping its session and its room.
 */
class ClusterFailoverIntegrationTest {
    private static final String URL_VARIABLE = "P2PCHAT_TEST_POSTGRES_URL";
    private static final Duration LEASE = Duration.ofSeconds(2);

    @TempDir
    Path dir;

    private String baseUrl;
    private String schema;
    private TestRegistry a;
    private TestRegistry b;
    private TestRegistry c;
    private RunningPeer alice;
    private RunningPeer bob;

    @BeforeEach
    void start() throws Exception {
        baseUrl = System.getenv(URL_VARIABLE);
        if (baseUrl == null || baseUrl.isBlank()) {
            if (System.getenv("P2PCHAT_POSTGRES_REQUIRED") != null) {
                throw new IllegalStateException(URL_VARIABLE + " is not set but P2PCHAT_POSTGRES_REQUIRED is");
            }
            assumeTrue(false, URL_VARIABLE + " is not set (scripts/test sets it when it can start PostgreSQL)");
        }
        schema = "t_" + UUID.randomUUID().toString().replace("-", "");
        execute("CREATE SCHEMA " + schema);
        String url = baseUrl + (baseUrl.contains("?") ? "&" : "?") + "currentSchema=" + schema;
        Identity.loadOrCreate(dir.resolve("tls"), "p2pchat-registry");
        Path cert = dir.resolve("tls/cert.pem");
        Path key = dir.resolve("tls/key.pem");
        a = TestRegistry.startInCluster(dir.resolve("a"), url, LEASE, cert, key);
        b = TestRegistry.startInCluster(dir.resolve("b"), url, LEASE, cert, key);
        c = TestRegistry.startInCluster(dir.resolve("c"), url, LEASE, cert, key);
    }

    @AfterEach
    void stop() throws Exception {
        for (RunningPeer p : new RunningPeer[] {alice, bob}) {
            if (p != null) {
                p.close();
            }
        }
        for (TestRegistry node : new TestRegistry[] {a, b, c}) {
            if (node != null) {
                node.close();
            }
        }
        if (schema != null) {
            execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection admin = DriverManager.getConnection(baseUrl); Statement s = admin.createStatement()) {
            s.execute(sql);
        }
    }

    /** A peer given every node, {@code first} first. */
    private RunningPeer peerOn(TestRegistry first, List<TestRegistry> others, String user) throws PeerException {
        RunningPeer p = RunningPeer.start(first, dir.resolve(user), config -> config.withRegistryFallbacks(
                others.stream().map(n -> new PeerConfig.RegistryAddress("127.0.0.1", n.port())).toList()));
        p.peer.register(user, (user + "-pw").toCharArray());
        p.peer.login(user, (user + "-pw").toCharArray());
        return p;
    }

    @Test
    void peersOnDifferentNodesChatInARoomAndAPeerWhoseNodeStopsCarriesOnFromAnother() throws PeerException {
        alice = peerOn(a, List.of(b, c), "alice");
        bob = peerOn(b, List.of(c, a), "bob");
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        alice.peer.joinRoom("lobby", null);
        await().atMost(RunningPeer.WAIT).untilAsserted(() -> {
            try {
                bob.peer.joinRoom("lobby", null);
            } catch (PeerException e) {
                throw new AssertionError(e.getMessage());
            }
        });
        await().atMost(RunningPeer.WAIT).until(() -> alice.peer.roomMembers().size() == 2);

        String first = alice.peer.sendToRoom("hello from node a");
        alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(first) && r.delivered() == 1);
        assertThat(bob.await(PeerEvent.RoomMessageReceived.class, m -> m.id().equals(first)).from())
                .isEqualTo("alice");

        alice.clearEvents();
        a.stop();

        alice.await(PeerEvent.ConnectionChanged.class, e -> e.state() == ConnectionState.RECONNECTED);
        assertThat(alice.peer.currentRoom()).contains("lobby");
        // The registry answers again, at b or c (chosen at random, so a dead node's peers spread over the others),
        // and sees alice online in the room she restored there.
        assertThat(alice.peer.search("bob").username()).isEqualTo("bob");
        assertThat(alice.peer.onlineUsers()).extracting(PeerInfo::username).containsExactly("bob");
        await().atMost(RunningPeer.WAIT).until(() -> b.onlineCount() + c.onlineCount() == 2);
        String second = alice.peer.sendToRoom("hello from node b");
        alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(second) && r.delivered() == 1);
        assertThat(bob.await(PeerEvent.RoomMessageReceived.class, m -> m.id().equals(second)).text())
                .isEqualTo("hello from node b");
        String reply = bob.peer.sendToRoom("welcome back");
        assertThat(alice.await(PeerEvent.RoomMessageReceived.class, m -> m.id().equals(reply)).from())
                .isEqualTo("bob");
    }
}
