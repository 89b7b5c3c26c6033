package dev.p2pchat.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Headers;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import dev.p2pchat.transport.testing.Fault;
import dev.p2pchat.transport.testing.FaultyClient;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The transport against real TLS sockets on loopback: every fault of the vocabulary at a server channel, and the
 * writer's bound, the back-pressure, calls and closing.
 */
class FrameChannelTest {
    private static final Identity SERVER = Identity.generate("server");
    private static final SSLContext CLIENT_TLS = Tls.client(PinnedCertificateTrust.expecting(SERVER.fingerprint()));
    /** Short, so faults are cut quickly; a well-behaved client in these tests sends each frame at once. */
    private static final Duration DEADLINE = Duration.ofMillis(800);
    private static final Duration PACE = Duration.ofMillis(100);
    private static final String PING = "PING\nid: 1\n\n";
    private static final String BIG = "BIG\n\n";
    private static final int BIG_BYTES = 60_000;

    private SSLServerSocket listener;
    private final List<FrameChannel> channels = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Closure> closures = new ConcurrentLinkedQueue<>();
    private final AtomicInteger answered = new AtomicInteger();
    private ChannelSettings settings = new ChannelSettings(DEADLINE, DEADLINE, null, 256 * 1024, DEADLINE,
            Duration.ofSeconds(1));

    @BeforeEach
    void listen() throws IOException {
        listener = Tls.listen(Tls.server(SERVER), InetAddress.getLoopbackAddress(), 0, false, 50);
        Acceptor.start(listener, "test-accept", socket -> {
            try {
                FrameChannel channel = FrameChannel.accepted((SSLSocket) socket, settings, "test-" + socket.getPort());
                channels.add(channel);
                channel.start(new EchoServer());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @AfterEach
    void stop() throws IOException {
        listener.close();
        channels.forEach(c -> c.abort("test over"));
    }

    /** PING → PONG with the same id and payload; BIG → a 60,000-byte answer; bad frames answered with their id. */
    private final class EchoServer implements FrameChannel.Listener {
        @Override
        public void onFrame(FrameChannel channel, Frame frame) {
            answered.incrementAndGet();
            String payload = frame.verb().equals("BIG") ? "x".repeat(BIG_BYTES) : frame.payload();
            channel.send(new Frame("PONG", Status.SUCCESS, Headers.builder().build(), payload).withId(frame.id()));
        }

        @Override
        public void onBadFrame(FrameChannel channel, ProtocolException e) {
            channel.send(ErrorReply.frameFor(e));
        }

        @Override
        public void onClosed(FrameChannel channel, Closure closure) {
            closures.add(closure);
        }
    }

    private int port() {
        return listener.getLocalPort();
    }

    private FrameChannel connect(FrameChannel.Listener listener) throws IOException {
        return FrameChannel.connect(CLIENT_TLS, "127.0.0.1", port(), null, ChannelSettings.of(Duration.ofSeconds(10)),
                "test-client").start(listener);
    }

    private static FrameChannel.Listener ignoring() {
        return new FrameChannel.Listener() {
            @Override
            public void onFrame(FrameChannel channel, Frame frame) {
            }

            @Override
            public void onBadFrame(FrameChannel channel, ProtocolException e) {
            }
        };
    }

    private void awaitClosure(Closure.Kind kind) {
        await().atMost(Duration.ofSeconds(30)).until(() -> closures.stream().anyMatch(c -> c.kind() == kind));
    }

    // ---- the fault vocabulary at a server channel -------------------------------------------------------------

    @Test
    void silentConnectionIsClosedAtTheHandshakeDeadline() throws IOException {
        try (FaultyClient client = FaultyClient.start(port(), CLIENT_TLS, Fault.STALL_AT_START, PING, PACE)) {
            await().atMost(Duration.ofSeconds(30)).until(client::closedByServer);
            awaitClosure(Closure.Kind.HANDSHAKE_TIMEOUT);
        }
    }

    @Test
    void clientHelloDrippedByteByByteIsCutAtTheHandshakeDeadline() throws IOException {
        // A per-read timeout of 800 ms never fires for bytes 100 ms apart: only a deadline for the whole handshake does.
        try (FaultyClient client = FaultyClient.start(port(), CLIENT_TLS, Fault.SLOW_HANDSHAKE, PING, PACE)) {
            await().atMost(Duration.ofSeconds(30)).until(client::closedByServer);
            awaitClosure(Closure.Kind.HANDSHAKE_TIMEOUT);
            assertThat(client.bytesSent()).as("the ClientHello was not all sent").isLessThan(200);
        }
    }

    @Test
    void frameDrippedByteByByteIsCutAtTheFrameDeadlineAndToldWhy() throws IOException {
        String slow = "PING\nid: 7\nnote: " + "z".repeat(200) + "\n\n";
        try (FaultyClient client = FaultyClient.start(port(), CLIENT_TLS, Fault.SLOW_DRIP, slow, PACE)) {
            await().atMost(Duration.ofSeconds(30)).until(client::closedByServer);
            awaitClosure(Closure.Kind.FRAME_TIMEOUT);
            assertThat(client.received()).startsWith("ERROR REQUEST_TIMEOUT 408");
            assertThat(client.bytesSent()).isLessThan(slow.length());
            assertThat(answered).hasValue(0);
        }
    }

    @Test
    void frameStalledHalfWayIsCutAtTheFrameDeadline() throws IOException {
        try (FaultyClient client = FaultyClient.start(port(), CLIENT_TLS, Fault.STALL_MID_FRAME,
                "PING\nid: 8\nnote: " + "z".repeat(100) + "\n\n", PACE)) {
            await().atMost(Duration.ofSeconds(30)).until(client::closedByServer);
            awaitClosure(Closure.Kind.FRAME_TIMEOUT);
        }
    }

    @Test
    void resetHalfWayThroughAFrameEndsOnlyThatChannel() throws Exception {
        FaultyClient.start(port(), CLIENT_TLS, Fault.RESET_MID_FRAME, PING + PING, PACE).close();
        await().atMost(Duration.ofSeconds(30)).until(() -> closures.stream()
                .anyMatch(c -> c.kind() == Closure.Kind.FAILED || c.kind() == Closure.Kind.PEER_CLOSED));
        try (FrameChannel client = connect(ignoring())) {
            assertThat(client.call(Frame.request("PING", Headers.builder().build())).get(10, TimeUnit.SECONDS).verb()).isEqualTo("PONG");
        }
    }

    @Test
    void clientThatNeverReadsIsCutOffWithTheQueueBounded() throws IOException {
        try (FaultyClient client = FaultyClient.start(port(), CLIENT_TLS, Fault.STOP_READING, BIG, PACE)) {
            awaitClosure(Closure.Kind.NOT_READING);
            await().atMost(Duration.ofSeconds(30)).until(client::closedByServer);
            // reading paused at half the bound, so only a few answers were ever produced for it
            assertThat(answered.get()).isLessThan(50);
        }
    }

    // ---- back-pressure, calls, closing -------------------------------------------------------------------------

    @Test
    void clientThatPipelinesButReadsIsSlowedDownNotCutOff() throws Exception {
        // a generous write deadline: this client reads all the time, however loaded the machine
        settings = new ChannelSettings(DEADLINE, DEADLINE, null, 256 * 1024, Duration.ofSeconds(30), Duration.ofSeconds(1));
        AtomicInteger received = new AtomicInteger();
        int requests = 200; // 200 × 60 KB = 12 MB of answers through a 256 KiB bound
        CompletableFuture<Void> all = new CompletableFuture<>();
        try (FrameChannel client = connect(new FrameChannel.Listener() {
            @Override
            public void onFrame(FrameChannel channel, Frame frame) {
                if (received.incrementAndGet() == requests) {
                    all.complete(null);
                }
            }

            @Override
            public void onBadFrame(FrameChannel channel, ProtocolException e) {
            }
        })) {
            for (int i = 0; i < requests; i++) {
                client.send(Frame.request("BIG", Headers.builder().build()));
            }
            all.get(60, TimeUnit.SECONDS);
            assertThat(client.isOpen()).isTrue();
            assertThat(closures).isEmpty();
        }
    }

    @Test
    void callIsAnsweredByTheFrameWithItsId() throws Exception {
        try (FrameChannel client = connect(ignoring())) {
            CompletableFuture<Frame> first = client.call(Frame.request("PING", Headers.builder().build()).withPayload("one"));
            CompletableFuture<Frame> second = client.call(Frame.request("PING", Headers.builder().build()).withPayload("two"));
            assertThat(second.get(10, TimeUnit.SECONDS).payload()).isEqualTo("two");
            assertThat(first.get(10, TimeUnit.SECONDS).payload()).isEqualTo("one");
            assertThat(client.pendingCalls()).isZero();
        }
    }

    @Test
    void callsFailWithTheReasonOnceTheChannelIsClosed() throws Exception {
        FrameChannel client = connect(ignoring());
        assertThat(client.call(Frame.request("PING", Headers.builder().build())).get(10, TimeUnit.SECONDS).verb()).isEqualTo("PONG");
        client.abort("test closes");
        assertThatThrownBy(() -> client.call(Frame.request("PING", Headers.builder().build())).get(10, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasMessageContaining("test closes");
        assertThat(client.closed().get(10, TimeUnit.SECONDS).kind()).isEqualTo(Closure.Kind.LOCAL);
    }

    @Test
    void badFrameIsAnsweredWithItsIdAndTheChannelStaysOpen() throws Exception {
        try (FaultyClient raw = FaultyClient.start(port(), CLIENT_TLS, Fault.SLOW_DRIP,
                "PING\nid: r5\nnote: a\nnote: b\n\n" + PING, Duration.ofMillis(1))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> raw.received().contains("PONG"));
            assertThat(raw.received()).startsWith("ERROR BAD_REQUEST 400").contains("id: r5");
            assertThat(raw.closedByServer()).isFalse();
        }
    }

    @Test
    void idleChannelIsClosedAfterTheIdleLimitAndToldWhy() throws Exception {
        settings = settings.withIdleTimeout(Duration.ofMillis(500));
        FrameChannel client = connect(ignoring());
        assertThat(client.call(Frame.request("PING", Headers.builder().build())).get(10, TimeUnit.SECONDS).verb()).isEqualTo("PONG");
        assertThat(client.closed().get(30, TimeUnit.SECONDS).kind()).isEqualTo(Closure.Kind.PEER_CLOSED);
        awaitClosure(Closure.Kind.IDLE_TIMEOUT);
    }

    @Test
    void gracefulCloseWritesWhatIsQueuedFirst() throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (FrameChannel client = connect(new FrameChannel.Listener() {
            @Override
            public void onFrame(FrameChannel channel, Frame frame) {
                got.add(frame.payload());
            }

            @Override
            public void onBadFrame(FrameChannel channel, ProtocolException e) {
            }
        })) {
            await().atMost(Duration.ofSeconds(10)).until(() -> channels.size() == 1);
            FrameChannel server = channels.getFirst();
            for (int i = 0; i < 100; i++) {
                server.send(new Frame("PUSH", null, Headers.builder().build(), "n" + i));
            }
            server.close("done");
            assertThat(client.closed().get(30, TimeUnit.SECONDS).kind()).isEqualTo(Closure.Kind.PEER_CLOSED);
            assertThat(got).hasSize(100).endsWith("n99");
        }
    }

    @Test
    void gracefulCloseWhileTheHandshakeIsUnderWayStillDeliversWhatWasQueued() throws Exception {
        Duration generous = Duration.ofSeconds(20);
        settings = new ChannelSettings(generous, generous, null, 256 * 1024, generous, generous);
        try (java.net.Socket tcp = new java.net.Socket(InetAddress.getLoopbackAddress(), port())) {
            await().atMost(Duration.ofSeconds(10)).until(() -> channels.size() == 1);
            FrameChannel server = channels.getFirst();
            server.send(new Frame("SHUTDOWN", null, Headers.builder().build(), "going away"));
            server.close("shutting down"); // the server's handshake waits for a ClientHello not yet sent

            SSLSocket tls = (SSLSocket) CLIENT_TLS.getSocketFactory().createSocket(tcp, "127.0.0.1", port(), true);
            tls.startHandshake();
            Frame farewell = new dev.p2pchat.protocol.FrameReader(tls.getInputStream()).read();
            assertThat(farewell.verb()).isEqualTo("SHUTDOWN");
            assertThat(farewell.payload()).isEqualTo("going away");
            assertThat(tls.getInputStream().read()).isEqualTo(-1);
        }
    }

    @Test
    void frameEncodedOnceIsSentToManyChannels() throws Exception {
        int clients = 5;
        List<CompletableFuture<String>> got = new CopyOnWriteArrayList<>();
        List<FrameChannel> open = new CopyOnWriteArrayList<>();
        for (int i = 0; i < clients; i++) {
            CompletableFuture<String> one = new CompletableFuture<>();
            got.add(one);
            open.add(connect(new FrameChannel.Listener() {
                @Override
                public void onFrame(FrameChannel channel, Frame frame) {
                    one.complete(frame.payload());
                }

                @Override
                public void onBadFrame(FrameChannel channel, ProtocolException e) {
                }
            }));
        }
        await().atMost(Duration.ofSeconds(10)).until(() -> channels.size() == clients);
        dev.p2pchat.protocol.EncodedFrame push = dev.p2pchat.protocol.EncodedFrame.of(
                new Frame("PUSH", null, Headers.builder().build(), "to all"));
        channels.forEach(c -> c.send(push));
        for (CompletableFuture<String> one : got) {
            assertThat(one.get(10, TimeUnit.SECONDS)).isEqualTo("to all");
        }
        open.forEach(FrameChannel::close);
        assertThat(FrameWriter.encode(new Frame("PUSH", null, Headers.builder().build(), "to all")))
                .hasSize(push.size());
        assertThat("to all".getBytes(StandardCharsets.UTF_8)).hasSize(6);
    }
}
