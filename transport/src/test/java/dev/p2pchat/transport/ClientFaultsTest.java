package dev.p2pchat.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Headers;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import dev.p2pchat.transport.testing.Fault;
import dev.p2pchat.transport.testing.FaultyServer;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;

/** The same faults, done by a server to a client channel: the client's deadlines hold as the server's do. */
class ClientFaultsTest {
    private static final Identity SERVER = Identity.generate("server");
    private static final SSLContext TLS = Tls.client(PinnedCertificateTrust.expecting(SERVER.fingerprint()));
    private static final Duration DEADLINE = Duration.ofMillis(800);
    private static final ChannelSettings SETTINGS = new ChannelSettings(DEADLINE, DEADLINE, null, 64 * 1024, DEADLINE,
            Duration.ofMillis(500));
    private static final String PUSH = "PUSH\nnote: " + "z".repeat(200) + "\n\n";

    private static FrameChannel connect(FaultyServer server) throws IOException {
        return FrameChannel.connect(TLS, "127.0.0.1", server.port(), null, SETTINGS, "test-client")
                .start(new FrameChannel.Listener() {
                    @Override
                    public void onFrame(FrameChannel channel, Frame frame) {
                    }

                    @Override
                    public void onBadFrame(FrameChannel channel, ProtocolException e) {
                    }
                });
    }

    @Test
    void serverThatNeverAnswersTheClientHelloFailsTheConnectAtTheHandshakeDeadline() throws IOException {
        try (FaultyServer server = FaultyServer.start(SERVER, Fault.STALL_AT_START, "", DEADLINE)) {
            assertThatThrownBy(() -> connect(server)).isInstanceOf(SocketTimeoutException.class)
                    .hasMessageContaining("handshake");
        }
    }

    @Test
    void pushStalledHalfWayClosesTheClientAtTheFrameDeadline() throws Exception {
        try (FaultyServer server = FaultyServer.start(SERVER, Fault.STALL_MID_FRAME, PUSH, DEADLINE)) {
            FrameChannel client = connect(server);
            assertThat(client.closed().get(30, TimeUnit.SECONDS).kind()).isEqualTo(Closure.Kind.FRAME_TIMEOUT);
        }
    }

    @Test
    void pushDrippedByteByByteClosesTheClientAtTheFrameDeadline() throws Exception {
        try (FaultyServer server = FaultyServer.start(SERVER, Fault.SLOW_DRIP, PUSH, Duration.ofMillis(100))) {
            FrameChannel client = connect(server);
            assertThat(client.closed().get(30, TimeUnit.SECONDS).kind()).isEqualTo(Closure.Kind.FRAME_TIMEOUT);
        }
    }

    @Test
    void serverThatStopsReadingClosesTheClientAndFailsItsCalls() throws Exception {
        try (FaultyServer server = FaultyServer.start(SERVER, Fault.STOP_READING, "", DEADLINE)) {
            FrameChannel client = connect(server);
            Frame big = new Frame("PING", null, Headers.builder().build(), "x".repeat(60_000));
            CompletableFuture<Frame> call = client.call(big);
            for (int i = 0; i < 1000 && client.isOpen(); i++) {
                client.send(big);
            }
            assertThat(client.closed().get(30, TimeUnit.SECONDS).kind()).isEqualTo(Closure.Kind.NOT_READING);
            assertThat(call).isCompletedExceptionally();
        }
    }

    @Test
    void serverResetHalfWayThroughAPushEndsTheClientAsFailed() throws Exception {
        try (FaultyServer server = FaultyServer.start(SERVER, Fault.RESET_MID_FRAME, PUSH, DEADLINE)) {
            FrameChannel client = connect(server);
            assertThat(client.closed().get(30, TimeUnit.SECONDS).kind()).isEqualTo(Closure.Kind.FAILED);
        }
    }
}
