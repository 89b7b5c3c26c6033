package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.Dialable;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reachability self-test: after AUTH SUCCESS the registry connects to the peer's announced port at the address
 * its connection came from, tells it what answered (REACHABILITY), and lists it {@code dialable: yes|no}.
 */
class ReachabilitySelfTestTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;
    RegistryTestClient alice;
    RegistryTestClient bob;
    ServerSocket listening;

    @BeforeEach
    void start() {
        registry = RunningRegistry.start(dataDir, b -> b.maxSelfTests(4));
        alice = registry.client();
        alice.register("alice", "pw-alice");
        bob = registry.client();
        bob.register("bob", "pw-bob");
    }

    @AfterEach
    void stop() throws IOException {
        registry.close();
        if (listening != null) {
            listening.close();
        }
    }

    /** A loopback port that was free a moment ago: connections to it are refused. */
    private static int refusingPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static void login(RegistryTestClient client, String name, int port) {
        client.call(new RegistryRequest.Login(name, RegistryTestClient.digest("pw-" + name), port,
                RegistryTestClient.PEER_FINGERPRINT, List.of()), RegistryReply.Auth.class);
    }

    private static RegistryPush.Reachability awaitReachability(RegistryTestClient client) {
        List<RegistryPush.Reachability> seen = new ArrayList<>();
        Awaitility.await().atMost(RegistryTestClient.WAIT).until(() -> {
            for (Frame f : client.drainPushes()) {
                if (RegistryTestClient.decode(f) instanceof RegistryPush.Reachability r) {
                    seen.add(r);
                }
            }
            return !seen.isEmpty();
        });
        return seen.getFirst();
    }

    private static PeerInfo listed(RegistryTestClient asker, String name) {
        return asker.discover(null).peers().stream().filter(p -> p.username().equals(name)).findFirst()
                .orElseThrow();
    }

    @Test
    void aPeerWhosePortRefusesIsToldNothingAnsweredAndIsListedNotDialable() throws IOException {
        int port = refusingPort();
        login(alice, "alice", port);

        RegistryPush.Reachability found = awaitReachability(alice);
        assertThat(found.tested()).containsExactly(new Candidate(alice.localIp(), port));
        assertThat(found.reachable()).isEmpty();
        assertThat(found.dialable()).isEqualTo(Dialable.NO);

        login(bob, "bob", RegistryTestClient.PEER_PORT);
        assertThat(bob.search("alice").peer().dialable()).isEqualTo(Dialable.NO);
        assertThat(listed(bob, "alice").dialable()).isEqualTo(Dialable.NO);
    }

    @Test
    void aListeningPeerIsToldItsAddressAnsweredWithoutTlsAndIsListedDialable() throws Exception {
        listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        listening.setSoTimeout((int) RegistryTestClient.WAIT.toMillis());
        login(alice, "alice", listening.getLocalPort());

        // The registry's connection sends nothing (no TLS ClientHello) and is closed at once.
        try (Socket probe = listening.accept(); InputStream in = probe.getInputStream()) {
            probe.setSoTimeout((int) RegistryTestClient.WAIT.toMillis());
            assertThat(in.read()).isEqualTo(-1);
        }
        RegistryPush.Reachability found = awaitReachability(alice);
        assertThat(found.reachable()).containsExactly(new Candidate(alice.localIp(), listening.getLocalPort()));
        assertThat(found.dialable()).isEqualTo(Dialable.YES);

        login(bob, "bob", RegistryTestClient.PEER_PORT);
        assertThat(bob.search("alice").peer().dialable()).isEqualTo(Dialable.YES);
        assertThat(listed(bob, "alice").dialable()).isEqualTo(Dialable.YES);
    }

    @Test
    void aRoomMemberHearsTheVerdictOfAMemberWhoseTestEndedAfterItJoined() throws IOException {
        listening = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        login(bob, "bob", listening.getLocalPort());
        bob.createRoom("Lobby", null, 10, null);
        bob.join("Lobby", null);
        awaitReachability(bob);

        login(alice, "alice", refusingPort());
        alice.join("Lobby", null);

        // Whichever came first, the test's end or the join, bob ends up holding alice as not dialable.
        List<PeerInfo> heard = new ArrayList<>();
        Awaitility.await().atMost(RegistryTestClient.WAIT).until(() -> {
            for (Frame f : bob.drainPushes()) {
                if (RegistryTestClient.decode(f) instanceof RegistryPush.RoomMemberJoined joined) {
                    heard.add(joined.member());
                }
            }
            return !heard.isEmpty() && heard.getLast().dialable() == Dialable.NO;
        });
        assertThat(heard).allSatisfy(p -> assertThat(p.username()).isEqualTo("alice"));
    }
}
