package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.store.TestPostgres;
import dev.p2pchat.security.Identity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three real registry nodes (TLS, their own ports) in one JVM, a cluster on one PostgreSQL schema: what a user does
 * on one node, the users of the others see. {@link ClusterProcessesTest} does the same with processes and SIGKILL.
 */
class ClusterTest {
    /** Short, so that a lost lease shows within a test; every wait below allows several. */
    static final Duration LEASE = Duration.ofSeconds(2);
    static final Duration WITHIN = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private TestPostgres.Schema schema;
    private RunningRegistry a;
    private RunningRegistry b;
    private RunningRegistry c;

    @BeforeEach
    void start() throws Exception {
        schema = TestPostgres.newSchema();
        Identity.loadOrCreate(dir.resolve("tls"), RegistryServer.COMMON_NAME);
        a = node("a");
        b = node("b");
        c = node("c");
    }

    private RunningRegistry node(String name) {
        return RunningRegistry.startInCluster(dir.resolve(name), schema.url(), LEASE,
                dir.resolve("tls/cert.pem"), dir.resolve("tls/key.pem"));
    }

    @AfterEach
    void stop() throws Exception {
        for (RunningRegistry node : new RunningRegistry[] {a, b, c}) {
            if (node != null) {
                node.close();
            }
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void everyNodePresentsTheSameCertificate() {
        assertThat(b.fingerprint()).isEqualTo(a.fingerprint());
        assertThat(c.fingerprint()).isEqualTo(a.fingerprint());
    }

    @Test
    void usersOnDifferentNodesFindEachOtherAndShareARoom() {
        RegistryTestClient alice = a.client();
        alice.registerAndLogin("alice");
        RegistryTestClient bob = b.client();
        bob.registerAndLogin("bob");
        assertThat(alice.createRoom("lobby", null, 10, "").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.join("lobby", null).status()).isEqualTo(Status.SUCCESS);

        await().atMost(WITHIN).until(() -> bob.search("alice").status().equals(Status.SUCCESS));
        RegistryReply.SearchUserResponse found = bob.search("alice");
        assertThat(found.peer().port()).isEqualTo(RegistryTestClient.PEER_PORT);
        assertThat(found.rooms()).containsExactly("lobby");

        assertThat(bob.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
        RegistryPush.RoomMemberJoined joined = alice.awaitPush(RegistryPush.RoomMemberJoined.class);
        assertThat(joined.member().username()).isEqualTo("bob");
        assertThat(bob.discover("lobby").peers()).extracting(PeerInfo::username).containsExactly("alice", "bob");

        RegistryTestClient carol = c.client();
        carol.registerAndLogin("carol");
        await().atMost(WITHIN).until(() -> carol.rooms(RegistryRequest.ListType.PARTIAL).rooms().getFirst()
                .members() == 2);
        assertThat(carol.discover(null).peers()).extracting(PeerInfo::username).containsExactly("alice", "bob");

        assertThat(bob.exit("lobby").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.awaitPush(RegistryPush.RoomMemberLeft.class).username()).isEqualTo("bob");
        bob.logout();
        await().atMost(WITHIN).until(() -> carol.search("bob").status().equals(Status.NOT_ONLINE));
    }

    /** The certificate travels with the presence: the other nodes hand it out from memory, as the user's own does. */
    @Test
    void aUserOnAnotherNodeIsFoundWithTheCertificateItLoggedInWith() throws Exception {
        Identity identity = Identity.generate("bob");
        String certificate = Base64.getEncoder().encodeToString(identity.certificate().getEncoded());
        RegistryTestClient bob = b.client();
        assertThat(bob.register("bob", "pw-bob").status()).isEqualTo(Status.SUCCESS);
        bob.call(new RegistryRequest.Login("bob", RegistryTestClient.digest("pw-bob"), RegistryTestClient.PEER_PORT,
                identity.fingerprint(), certificate), RegistryReply.Auth.class);
        RegistryTestClient alice = a.client();
        alice.registerAndLogin("alice");

        await().atMost(WITHIN).until(() -> alice.search("bob").status().equals(Status.SUCCESS));
        RegistryReply.SearchUserResponse found = alice.search("bob");
        RegistryReply.SearchUserResponse ofAlice = bob.search("alice");

        assertThat(found.peer().fingerprint()).isEqualTo(identity.fingerprint());
        assertThat(found.certificate()).isEqualTo(certificate);
        assertThat(ofAlice.status()).isEqualTo(Status.SUCCESS);
        assertThat(ofAlice.certificate()).as("alice logged in without one").isNull();
    }

    @Test
    void aSecondLoginOnAnotherNodeIsRefusedWithTheSameErrorAsOnOneNode() {
        RegistryTestClient alice = a.client();
        alice.registerAndLogin("alice");

        RegistryReply.Auth second = b.client().login("alice", "pw-alice");
        assertThat(second.status()).isEqualTo(Status.ONLINE);
        assertThat(second.reason()).isEqualTo("alice is already logged in on another connection");
        assertThat(alice.search("alice").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void aNodeThatLosesItsLeaseHasItsUsersLoggedOutElsewhereAndTheyResumeOnAnotherNode() {
        RegistryTestClient alice = a.client();
        RegistryReply.Auth auth = alice.registerAndLogin("alice");
        assertThat(alice.createRoom("lobby", null, 10, "").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
        RegistryTestClient bob = b.client();
        bob.registerAndLogin("bob");
        assertThat(bob.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
        await().atMost(WITHIN).until(() -> bob.discover("lobby").peers().size() == 2);

        a.server().cluster().stopLeaseForTest(); // node a hangs: it still runs, but says nothing to the cluster

        RegistryPush.UserLogout logout = awaitPush(bob, RegistryPush.UserLogout.class);
        assertThat(logout.username()).isEqualTo("alice");
        assertThat(logout.reason()).isEqualTo("timeout");
        RegistryTestClient carol = c.client();
        carol.registerAndLogin("carol");
        assertThat(carol.search("alice").status()).isEqualTo(Status.NOT_ONLINE);

        RegistryTestClient aliceAgain = c.client();
        RegistryReply.Auth resumed = aliceAgain.resume("alice", auth.token(), "lobby");
        assertThat(resumed.status()).as(resumed.reason()).isEqualTo(Status.SUCCESS);
        assertThat(resumed.restoredRoom()).isEqualTo("lobby");
        assertThat(awaitPush(bob, RegistryPush.RoomMemberJoined.class).member().username()).isEqualTo("alice");
        assertThat(bob.discover("lobby").peers()).extracting(PeerInfo::username).containsExactly("alice", "bob");
        // The node that hung lets go of the session it lost, closing the connection that still held it.
        assertThat(alice.awaitClosed(WITHIN)).isTrue();
    }

    @Test
    void aTokenLoggedOutOnOneNodeDoesNotResumeOnAnother() {
        RegistryTestClient alice = a.client();
        RegistryReply.Auth auth = alice.registerAndLogin("alice");
        alice.logout();
        RegistryTestClient watcher = b.client();
        watcher.registerAndLogin("watcher");
        await().atMost(WITHIN).until(() -> watcher.search("alice").status().equals(Status.NOT_ONLINE));

        RegistryReply.Auth resumed = b.client().resume("alice", auth.token(), null);
        assertThat(resumed.status()).isEqualTo(Status.FAILURE);
        assertThat(resumed.reason()).isEqualTo("that session has ended; log in again");
    }

    @Test
    void aSessionMovesToAnotherNodeWithItsTokenWhileItsNodeIsAlive() {
        RegistryTestClient alice = a.client();
        RegistryReply.Auth auth = alice.registerAndLogin("alice");

        RegistryReply.Auth moved = b.client().resume("alice", auth.token(), null);
        assertThat(moved.status()).as(moved.reason()).isEqualTo(Status.SUCCESS);
        assertThat(alice.awaitClosed(WITHIN)).isTrue();
        RegistryTestClient carol = c.client();
        carol.registerAndLogin("carol");
        assertThat(carol.search("alice").status()).isEqualTo(Status.SUCCESS);
        assertThat(a.client().login("alice", "pw-alice").status()).isEqualTo(Status.ONLINE);
    }

    @Test
    void aMailboxItemForAUserOnAnotherNodeIsPushedAtOnce() {
        RegistryTestClient bob = b.client();
        bob.registerAndLogin("bob");
        RegistryTestClient alice = a.client();
        alice.registerAndLogin("alice");
        await().atMost(WITHIN).until(() -> alice.search("bob").status().equals(Status.SUCCESS));

        String sealed = Base64.getEncoder().encodeToString("ciphertext".getBytes(StandardCharsets.UTF_8));
        RegistryReply.MailboxPutResult stored = alice.call(new RegistryRequest.MailboxPut("bob", "m-1", null, sealed),
                RegistryReply.MailboxPutResult.class);
        assertThat(stored.status()).isEqualTo(Status.STORED);

        RegistryPush.MailboxItem item = awaitPush(bob, RegistryPush.MailboxItem.class);
        assertThat(item.itemId()).isEqualTo("m-1");
        assertThat(item.senderUsername()).isEqualTo("alice");
    }

    /**
     * Issue 12 across nodes: a peer that cannot reach a user on another node has that node ask them to dial back,
     * and a relay offer reaches them naming the relay by an address they can use (not "your own registry").
     */
    @Test
    void aDialBackAndARelayOfferReachAUserOnAnotherNode() {
        RegistryTestClient bob = b.client();
        bob.registerAndLogin("bob");
        RegistryTestClient alice = a.client();
        alice.registerAndLogin("alice");
        await().atMost(WITHIN).until(() -> alice.search("bob").status().equals(Status.SUCCESS));

        RegistryReply.ConnectBackResult asked = alice.call(new RegistryRequest.ConnectBack("bob"),
                RegistryReply.ConnectBackResult.class);
        assertThat(asked.status()).isEqualTo(Status.SUCCESS);
        assertThat(awaitPush(bob, RegistryPush.DialBack.class).asker().username()).isEqualTo("alice");

        RegistryReply.RelayTokenResult relayed = alice.call(new RegistryRequest.RelayToken("bob"),
                RegistryReply.RelayTokenResult.class);
        assertThat(relayed.status()).isEqualTo(Status.SUCCESS);
        RegistryPush.RelayOffer offer = awaitPush(bob, RegistryPush.RelayOffer.class);
        assertThat(offer.username()).isEqualTo("alice");
        assertThat(offer.ticket().token()).isEqualTo(relayed.ticket().token());
        assertThat(offer.ticket().port()).isEqualTo(relayed.ticket().port());
        assertThat(offer.ticket().host()).as("the relay of alice's node, named").isNotNull();
    }

    /** The next push of {@code type}, skipping others (a member that moved is announced again, say). */
    static <T extends RegistryPush> T awaitPush(RegistryTestClient client, Class<T> type) {
        long deadline = System.nanoTime() + WITHIN.toNanos();
        while (System.nanoTime() < deadline) {
            RegistryPush push;
            try {
                push = client.awaitPush(RegistryPush.class);
            } catch (AssertionError noneYet) {
                continue;
            }
            if (type.isInstance(push)) {
                return type.cast(push);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " within " + WITHIN);
    }

    static List<String> names(List<PeerInfo> peers) {
        return peers.stream().map(PeerInfo::username).toList();
    }
}
