package dev.p2pchat.peer.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The UDP side of a session against a scripted registry socket on loopback. */
class KeepAliveTest {
    private static final InetAddress LOOPBACK = InetAddress.getLoopbackAddress();
    private static final Duration WAIT = Duration.ofSeconds(5);

    final List<String> reports = new CopyOnWriteArrayList<>();
    ScheduledExecutorService timer;
    DatagramSocket registry;
    KeepAlive keepAlive;

    @BeforeEach
    void setUp() throws Exception {
        timer = Executors.newSingleThreadScheduledExecutor();
        registry = new DatagramSocket(0, LOOPBACK);
        registry.setSoTimeout((int) WAIT.toMillis());
        keepAlive = new KeepAlive(timer, Clock.systemUTC(), new KeepAlive.Listener() {
            @Override
            public void onSessionExpired(String detail) {
                reports.add("expired: " + detail);
            }

            @Override
            public void onUnanswered(String detail) {
                reports.add("unanswered: " + detail);
            }

            @Override
            public void onMoved(String detail) {
                reports.add("moved: " + detail);
            }
        });
    }

    @AfterEach
    void tearDown() {
        keepAlive.close();
        registry.close();
        timer.shutdownNow();
    }

    private void startSession(Duration timeout) {
        keepAlive.start("alice", "token-1", LOOPBACK, registry.getLocalPort(), Duration.ofMillis(50), timeout);
    }

    private DatagramPacket receive() throws Exception {
        DatagramPacket packet = new DatagramPacket(new byte[2048], 2048);
        registry.receive(packet);
        return packet;
    }

    private void answer(DatagramSocket from, DatagramPacket to, Frame frame) throws Exception {
        byte[] bytes = FrameWriter.encodeDatagram(frame);
        from.send(new DatagramPacket(bytes, bytes.length, to.getAddress(), to.getPort()));
    }

    @Test
    void sendsTheSessionTokenEveryInterval() throws Exception {
        startSession(Duration.ofSeconds(5));
        for (int i = 0; i < 3; i++) {
            DatagramPacket packet = receive();
            RegistryRequest.KeepAlive sent = (RegistryRequest.KeepAlive) Messages.decode(
                    FrameReader.decodeDatagram(packet.getData(), packet.getOffset(), packet.getLength()));
            assertThat(sent.username()).isEqualTo("alice");
            assertThat(sent.token()).isEqualTo("token-1");
            answer(registry, packet, new RegistryReply.KeepAliveResponse(Status.SUCCESS, null).toFrame());
        }
        assertThat(reports).isEmpty();
    }

    @Test
    void timeoutFromTheRegistryEndsTheSessionOnce() throws Exception {
        startSession(Duration.ofSeconds(5));
        DatagramPacket packet = receive();
        answer(registry, packet, new RegistryPush.Timeout("alice").toFrame());
        answer(registry, packet, new RegistryPush.Timeout("alice").toFrame());
        await().atMost(WAIT).until(() -> !reports.isEmpty());
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> reports.size() == 1);
        assertThat(reports.get(0)).startsWith("expired");
    }

    @Test
    void timeoutFromAnyoneButTheRegistryIsIgnored() throws Exception {
        startSession(Duration.ofSeconds(5));
        DatagramPacket packet = receive();
        try (DatagramSocket stranger = new DatagramSocket(0, LOOPBACK)) {
            answer(stranger, packet, new RegistryPush.Timeout("alice").toFrame());
        }
        answer(registry, packet, new RegistryPush.Timeout("someone-else").toFrame());
        await().during(Duration.ofMillis(300)).atMost(WAIT).until(reports::isEmpty);
    }

    @Test
    void silenceForAWholeTimeoutIsReported() {
        startSession(Duration.ofMillis(300));
        await().atMost(WAIT).until(() -> !reports.isEmpty());
        assertThat(reports.get(0)).startsWith("unanswered: the registry stopped answering");
    }

    @Test
    void repeatedRefusalsAreReported() throws Exception {
        startSession(Duration.ofSeconds(5));
        for (int i = 0; i < 2; i++) {
            answer(registry, receive(), new RegistryReply.KeepAliveResponse(Status.FAILURE, "no live session").toFrame());
        }
        await().atMost(WAIT).until(() -> !reports.isEmpty());
        assertThat(reports.get(0)).contains("refused").contains("no live session");
    }

    @Test
    void stoppedSessionSendsNothingMore() throws Exception {
        startSession(Duration.ofSeconds(5));
        receive();
        keepAlive.stop();
        registry.setSoTimeout(300);
        // Drain what was in flight, then expect silence.
        boolean quiet = false;
        for (int i = 0; i < 5 && !quiet; i++) {
            try {
                receive();
            } catch (java.net.SocketTimeoutException e) {
                quiet = true;
            }
        }
        assertThat(quiet).isTrue();
    }

    private static RegistryReply.KeepAliveResponse seenFrom(String address, int port) {
        return new RegistryReply.KeepAliveResponse(Status.SUCCESS, null, new dev.p2pchat.protocol.Candidate(address,
                port));
    }

    @Test
    void anUnansweredKeepAliveIsSentAgainBeforeTheNextInterval() throws Exception {
        // Interval 30 s: the second datagram can only be the quick repeat (a ninth of the 90 s timeout, capped
        // at a third of the interval: 10 s). Waiting for it is bounded by the socket timeout below, not timed.
        registry.setSoTimeout(20_000);
        keepAlive.start("alice", "token-1", LOOPBACK, registry.getLocalPort(), Duration.ofSeconds(30),
                Duration.ofSeconds(90));
        receive();
        DatagramPacket again = receive();
        RegistryRequest.KeepAlive sent = (RegistryRequest.KeepAlive) Messages.decode(
                FrameReader.decodeDatagram(again.getData(), again.getOffset(), again.getLength()));
        assertThat(sent.token()).isEqualTo("token-1");
        assertThat(reports).isEmpty();
    }

    @Test
    void keepAlivesSeenFromANewAddressAreReportedAsAMoveOnce() throws Exception {
        startSession(Duration.ofSeconds(5));
        answer(registry, receive(), seenFrom("192.0.2.7", 4000).toFrame());
        answer(registry, receive(), seenFrom("192.0.2.7", 4000).toFrame());
        DatagramPacket third = receive();
        answer(registry, third, seenFrom("198.51.100.9", 4000).toFrame());
        answer(registry, third, seenFrom("198.51.100.10", 4000).toFrame());
        await().atMost(WAIT).until(() -> !reports.isEmpty());
        await().during(Duration.ofMillis(200)).atMost(WAIT).until(() -> reports.size() == 1);
        assertThat(reports.getFirst()).isEqualTo("moved: this machine's address changed from 192.0.2.7 to "
                + "198.51.100.9");
    }

    @Test
    void aNewPortAloneIsNoMove() throws Exception {
        startSession(Duration.ofSeconds(5));
        answer(registry, receive(), seenFrom("192.0.2.7", 4000).toFrame());
        answer(registry, receive(), seenFrom("192.0.2.7", 4001).toFrame());
        answer(registry, receive(), seenFrom("192.0.2.7", 4002).toFrame());
        receive();
        assertThat(reports).isEmpty();
    }
}
