package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.PeerInfo;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A peer announces its own addresses at login; when the address the registry hands out does not answer (here a
 * port nothing listens on, as a router without hairpinning does for peers behind it) the others reach it at one
 * of those candidates.
 */
class CandidatesIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    RunningPeer alice;
    RunningPeer carol;
    int closedPort;

    @BeforeEach
    void start() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"));
        alice = RunningPeer.loggedIn(registry, dir.resolve("alice"), "alice");
        closedPort = closedPort();
        carol = RunningPeer.start(registry, dir.resolve("carol"), c -> c.withAdvertisedPort(closedPort));
        // An advertised port announces no candidates by itself (the forward in front is meant to be used):
        // announce the real one, as a LAN address would be.
        carol.peer.announceCandidates(List.of(new Candidate("127.0.0.1", carol.peer.port())));
        carol.peer.register("carol", "carol-pw".toCharArray());
        carol.peer.login("carol", "carol-pw".toCharArray());
    }

    @AfterEach
    void stop() {
        for (RunningPeer p : new RunningPeer[] {alice, carol}) {
            if (p != null) {
                p.close();
            }
        }
        registry.close();
    }

    @Test
    void aPeerAnnouncesWhereItListensAndIsListedWithIt() throws PeerException {
        // Registry and peers on loopback: the peer listens there and announces it, with its port.
        PeerInfo listed = carol.peer.search("alice");
        assertThat(listed.port()).isEqualTo(alice.peer.port());
        assertThat(listed.candidates()).containsExactly(new Candidate("127.0.0.1", alice.peer.port()));
        assertThat(alice.peer.search("carol").port()).isEqualTo(closedPort);
    }

    @Test
    void aPeerWithAnAdvertisedPortAnnouncesNoWayAroundIt() throws Exception {
        try (RunningPeer dave = RunningPeer.start(registry, dir.resolve("dave"), c -> c.withAdvertisedPort(closedPort))) {
            dave.peer.register("dave", "dave-pw".toCharArray());
            dave.peer.login("dave", "dave-pw".toCharArray());
            assertThat(alice.peer.search("dave").candidates()).isEmpty();
        }
    }

    @Test
    void aPeerWhoseListedAddressFailsIsReachedAtItsCandidate() throws PeerException {
        alice.peer.requestChat("carol");
        carol.await(PeerEvent.ChatRequested.class, e -> e.from().equals("alice"));
        carol.peer.acceptChat("alice");
        alice.await(PeerEvent.ChatAccepted.class, e -> e.by().equals("carol"));

        String id = alice.peer.sendDirect("carol", "found you");
        assertThat(carol.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("found you");
        alice.await(PeerEvent.Delivered.class, e -> e.id().equals(id));
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
