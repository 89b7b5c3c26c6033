package dev.p2pchat.peer.mesh;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Links dial every candidate of the other peer, staggered, and keep the first that completes mutual TLS with the
 * expected certificate: a silent address, a refusing one or a stranger's server on a candidate address cost one
 * attempt, not the link.
 */
class CandidateDialTest {
    static final Duration HANDSHAKE = Duration.ofSeconds(20);
    static final Identity BOB = Identity.generate("bob");
    static final Identity STRANGER = Identity.generate("stranger");
    static final Identity ALICE = Identity.generate("alice");

    final List<AutoCloseable> closeables = new ArrayList<>();
    PeerServer bob;
    Links links;

    @BeforeEach
    void start() throws IOException {
        bob = server(BOB);
        links = new Links(ALICE, HANDSHAKE, Clock.systemUTC());
        closeables.add(links);
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void aSilentObservedAddressDoesNotHoldUpTheCandidateThatAnswers() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 5, InetAddress.getLoopbackAddress())) {
            AtomicBoolean silentSocketClosed = new AtomicBoolean();
            Thread.ofVirtual().start(() -> holdOpenUntilClosed(silent, silentSocketClosed));
            PeerInfo target = bobAt(silent.getLocalPort(), new Candidate("127.0.0.1", bob.port()));

            Instant before = Instant.now();
            assertThat(deliver(target)).isEqualTo(Status.SUCCESS);

            // Far less than the 20 s the silent address would take to time out: the next attempt started after
            // the stagger, and won.
            assertThat(Duration.between(before, Instant.now())).isLessThan(HANDSHAKE.dividedBy(2));
            assertThat(links.linkTo(target).isOpen()).isTrue();
            await().atMost(Duration.ofSeconds(30)).untilTrue(silentSocketClosed);
        }
    }

    @Test
    void aStrangerOnACandidateAddressAndARefusedPortAreSkipped() throws Exception {
        PeerServer stranger = server(STRANGER);
        int refused = closedPort();
        PeerInfo target = bobAt(stranger.port(), new Candidate("127.0.0.1", refused),
                new Candidate("127.0.0.1", bob.port()));

        assertThat(deliver(target)).isEqualTo(Status.SUCCESS);
        await().atMost(Duration.ofSeconds(30)).until(() -> bob.linkCount() == 1);
        assertThat(stranger.linkCount()).isZero();
    }

    @Test
    void whenNoCandidateAnswersTheErrorNamesEachAddress() throws Exception {
        PeerServer stranger = server(STRANGER);
        int refused = closedPort();
        PeerInfo target = bobAt(refused, new Candidate("127.0.0.1", stranger.port()));

        assertThatThrownBy(() -> links.linkTo(target)).isInstanceOf(IOException.class)
                .hasMessageContaining("127.0.0.1:" + refused + ": ")
                .hasMessageContaining("127.0.0.1:" + stranger.port() + ": ");
    }

    private Status deliver(PeerInfo target) throws Exception {
        PeerReply reply = links.send(target, new PeerRequest.DirectMessage("m1", "alice", "bob", Instant.now(), "hi"),
                "m1").get(30, TimeUnit.SECONDS);
        return reply.status();
    }

    private static PeerInfo bobAt(int observedPort, Candidate... candidates) {
        return new PeerInfo("bob", null, "127.0.0.1", observedPort, BOB.fingerprint(), List.of(candidates));
    }

    private PeerServer server(Identity identity) throws IOException {
        PeerServer server = PeerServer.start(identity, "127.0.0.1", 0, HANDSHAKE,
                (username, fingerprint) -> new PeerServer.Admission.Admitted(),
                request -> CompletableFuture.completedFuture(new PeerReply.DirectUnicastNotification(Status.SUCCESS,
                        ((PeerRequest.DirectMessage) request).id(), "bob", null)));
        closeables.add(server);
        return server;
    }

    /** Accepts one connection, never answers its handshake, and notes when the dialler gives it up. */
    private static void holdOpenUntilClosed(ServerSocket server, AtomicBoolean closed) {
        try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
            while (in.read() >= 0) {
                // the ClientHello; never answered
            }
        } catch (IOException e) {
            // a reset is a close too
        }
        closed.set(true);
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
