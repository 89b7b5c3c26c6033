package dev.p2pchat.peer.mesh;

import dev.p2pchat.transport.testing.Fault;
import dev.p2pchat.transport.testing.FaultyClient;
import dev.p2pchat.transport.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The peer server's connection cap, per-link request rate and idle-link closing, against real TLS links. */
class PeerServerLimitsTest {
    static final Duration WAIT = Duration.ofSeconds(5);
    static final Duration IDLE = Duration.ofMinutes(10);
    static final Identity SERVER = Identity.generate("server");
    static final Identity CLIENT = Identity.generate("client");

    final MutableClock clock = new MutableClock();
    final List<AutoCloseable> closeables = new ArrayList<>();
    PeerServer server;

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable closeable : closeables) {
            closeable.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private final java.util.Queue<PeerRequest> received = new java.util.concurrent.ConcurrentLinkedQueue<>();

    /** Admits everyone; answers messages at once and leaves chat requests waiting, as for a user's answer. */
    void start(PeerServer.Limits limits) throws IOException {
        server = PeerServer.start(SERVER, "127.0.0.1", 0, WAIT, limits, clock,
                (username, fingerprint) -> new PeerServer.Admission.Admitted(),
                request -> received.add(request) && request instanceof PeerRequest.DirectMessage message
                        ? CompletableFuture.completedFuture(new PeerReply.DirectUnicastNotification(Status.SUCCESS,
                                message.id(), message.recipientUsername(), null))
                        : new CompletableFuture<>());
    }

    @Test
    void linksBeyondTheCapAreToldFullAndClosed() throws Exception {
        start(new PeerServer.Limits(2, 200, 100, IDLE));
        RawLink first = connect();
        RawLink second = connect();
        assertThat(first.exchange(message("m1")).status()).isEqualTo(Status.SUCCESS);
        assertThat(second.exchange(message("m2")).status()).isEqualTo(Status.SUCCESS);

        RawLink third = connect();

        Message refusal = third.read();
        assertThat(refusal).isInstanceOf(ErrorReply.class);
        assertThat(((ErrorReply) refusal).status()).isEqualTo(Status.FULL);
        assertThat(third.readFrame()).as("closed after the refusal").isNull();
        first.close();
        await().atMost(WAIT).until(() -> server.linkCount() == 1);
        assertThat(connect().exchange(message("m3")).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void silentLinksAreClosedSoTheyCannotLockOutRealPeers() throws Exception {
        start(new PeerServer.Limits(2, 200, 100, IDLE));
        RawLink silentTls = connect(); // a certificate, a handshake, then nothing
        silentTls.socket.setSoTimeout(30_000); // longer than the server's deadline: the server must act first
        try (FaultyClient noHandshake = FaultyClient.start(server.port(),
                Tls.client(PinnedCertificateTrust.expecting(SERVER.fingerprint())), Fault.STALL_AT_START, "",
                Duration.ofMillis(100))) {
            // both are cut by the server's own deadlines: the handshake time-out, then "no first request"
            assertThat(silentTls.readFrame()).as("the silent TLS link is closed").satisfiesAnyOf(
                    frame -> assertThat(frame).isNull(),
                    frame -> assertThat(frame.verb()).isEqualTo(ErrorReply.VERB));
            await().atMost(Duration.ofSeconds(30)).until(noHandshake::closedByServer);
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> server.linkCount() == 0);
        assertThat(connect().exchange(message("real")).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void aRequestFloodIsRateLimitedAndTheLinkStaysOpen() throws Exception {
        start(new PeerServer.Limits(256, 5, 1, IDLE));
        RawLink flooder = connect();
        for (int i = 0; i < 8; i++) {
            flooder.write(message("f" + i));
        }

        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            statuses.add(flooder.readFrame().status());
        }

        assertThat(statuses).containsExactly(Status.SUCCESS, Status.SUCCESS, Status.SUCCESS, Status.SUCCESS,
                Status.SUCCESS, Status.RATE_LIMITED, Status.RATE_LIMITED, Status.RATE_LIMITED);
        clock.advance(Duration.ofSeconds(1));
        assertThat(flooder.exchange(message("later")).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void idleLinksAreClosedButNotOneWaitingForAnAnswer() throws Exception {
        start(new PeerServer.Limits(256, 200, 100, IDLE));
        RawLink quiet = connect();
        RawLink waiting = connect();
        assertThat(quiet.exchange(message("q1")).status()).isEqualTo(Status.SUCCESS);
        waiting.write(new PeerRequest.ChatRequest("alice", "bob").toFrame().withId("c1"));
        await().atMost(WAIT).until(() -> server.linkCount() == 2
                && received.stream().anyMatch(PeerRequest.ChatRequest.class::isInstance));

        clock.advance(IDLE.minusSeconds(1));
        assertThat(server.closeIdleLinks()).as("not idle long enough yet").isZero();
        clock.advance(Duration.ofSeconds(1));
        int closed = server.closeIdleLinks();

        assertThat(closed).isEqualTo(1);
        assertThat(quiet.readFrame()).as("the quiet link is closed").isNull();
        // the server forgets a link when its own thread sees the socket closed, just after the client does
        await().atMost(WAIT).until(() -> server.linkCount() == 1);
    }

    @Test
    void idleOutgoingLinksAreClosedAndReopenedOnDemand() throws Exception {
        start(new PeerServer.Limits(256, 200, 100, IDLE));
        Links links = new Links(CLIENT, WAIT, clock);
        closeables.add(links);
        PeerInfo bob = new PeerInfo("bob", null, "127.0.0.1", server.port(), SERVER.fingerprint());
        assertThat(links.send(bob, message("o1"), "o1").get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.SUCCESS);
        PeerLink first = links.linkTo(bob);

        clock.advance(Duration.ofMinutes(5));
        assertThat(links.closeIdle(Duration.ofMinutes(5))).isEqualTo(1);

        assertThat(first.isOpen()).isFalse();
        assertThat(links.send(bob, message("o2"), "o2").get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.SUCCESS);
        assertThat(links.linkTo(bob)).isNotSameAs(first);
        await().atMost(WAIT).until(() -> server.linkCount() == 1);
    }

    @Test
    void aLinkClosedByTheOtherSideIsReplacedWhenTheNextRequestGoesOut() throws Exception {
        start(new PeerServer.Limits(256, 200, 100, IDLE));
        Links links = new Links(CLIENT, WAIT, clock);
        closeables.add(links);
        PeerInfo bob = new PeerInfo("bob", null, "127.0.0.1", server.port(), SERVER.fingerprint());
        assertThat(links.send(bob, message("s1"), "s1").get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.SUCCESS);
        PeerLink first = links.linkTo(bob);

        clock.advance(IDLE);
        assertThat(server.closeIdleLinks()).isEqualTo(1);
        await().atMost(WAIT).until(() -> !first.isOpen());

        assertThat(links.send(bob, message("s2"), "s2").get(5, TimeUnit.SECONDS).status()).isEqualTo(Status.SUCCESS);
    }

    static PeerRequest.DirectMessage message(String id) {
        return new PeerRequest.DirectMessage(id, "alice", "bob", Instant.parse("2026-01-01T00:00:00Z"), "hi");
    }

    RawLink connect() throws IOException {
        SSLSocket socket = Tls.connect(Tls.mutual(CLIENT, PinnedCertificateTrust.expecting(SERVER.fingerprint())),
                "127.0.0.1", server.port(), WAIT);
        socket.setSoTimeout((int) WAIT.toMillis());
        RawLink link = new RawLink(socket);
        closeables.add(link);
        return link;
    }

    /** One client link driven by the test thread: write frames, read answers in order. */
    static final class RawLink implements AutoCloseable {
        final SSLSocket socket;
        final OutputStream out;
        final FrameReader reader;

        RawLink(SSLSocket socket) throws IOException {
            this.socket = socket;
            this.out = socket.getOutputStream();
            this.reader = new FrameReader(socket.getInputStream());
        }

        void write(PeerRequest request) throws IOException {
            write(request.toFrame().withId(request instanceof PeerRequest.DirectMessage m ? m.id() : "r"));
        }

        void write(Frame frame) throws IOException {
            out.write(FrameWriter.encode(frame));
            out.flush();
        }

        /** The next frame, or null when the server closed the link. */
        Frame readFrame() throws IOException, ProtocolException {
            try {
                return reader.read();
            } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
                return null;
            }
        }

        Message read() throws IOException, ProtocolException {
            Frame frame = readFrame();
            assertThat(frame).as("a frame from the server").isNotNull();
            return Messages.decode(frame);
        }

        PeerReply.DirectUnicastNotification exchange(PeerRequest.DirectMessage request) throws Exception {
            write(request);
            Message reply = read();
            assertThat(reply).isInstanceOf(PeerReply.DirectUnicastNotification.class);
            return (PeerReply.DirectUnicastNotification) reply;
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }
}
