package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The engine-backed socket against the JDK's own SSLSocket on the other end, over real loopback TCP. */
class EngineSocketTest {

    private final Identity identity = Identity.generate("engine-socket-test");
    private final SSLContext server = Tls.server(identity);
    private final ServerSocket listener = listen();
    private final AtomicInteger released = new AtomicInteger();

    private static ServerSocket listen() {
        try {
            return new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @AfterEach
    void close() throws IOException {
        listener.close();
    }

    private CompletableFuture<EngineSocket> acceptOne() {
        return CompletableFuture.supplyAsync(() -> {
            try {
                Socket plain = listener.accept();
                SSLEngine engine = server.createSSLEngine();
                engine.setUseClientMode(false);
                Tls.restrict(engine);
                EngineSocket socket = new EngineSocket(plain, engine, released::incrementAndGet);
                Tls.handshake(socket, Duration.ofSeconds(30));
                return socket;
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private SSLSocket client() throws IOException {
        return Tls.connect(Tls.client(PinnedCertificateTrust.expecting(identity.fingerprint())), "127.0.0.1",
                listener.getLocalPort(), Duration.ofSeconds(30));
    }

    @Test
    void aJdkClientAndAnEngineServerExchangeSmallAndLargeWritesBothWays() throws Exception {
        CompletableFuture<EngineSocket> accepted = acceptOne();
        try (SSLSocket client = client(); EngineSocket server = accepted.get(30, TimeUnit.SECONDS)) {
            assertThat(server.getSession().getProtocol()).isEqualTo(Tls.PROTOCOL);
            byte[] big = new byte[100_000];
            Arrays.fill(big, (byte) 'x');
            OutputStream out = client.getOutputStream();
            out.write("hello\n".getBytes());
            out.write(big);
            out.flush();
            byte[] got = new byte[6 + big.length];
            new DataInputStream(server.getInputStream()).readFully(got);
            assertThat(new String(got, 0, 6)).isEqualTo("hello\n");
            assertThat(Arrays.copyOfRange(got, 6, got.length)).isEqualTo(big);

            server.getOutputStream().write(big);
            server.getOutputStream().write("bye".getBytes());
            byte[] back = new byte[big.length + 3];
            new DataInputStream(client.getInputStream()).readFully(back);
            assertThat(new String(back, big.length, 3)).isEqualTo("bye");
        }
    }

    @Test
    void aReadThatTimesOutMidRecordGoesOnWhereItStopped() throws Exception {
        CompletableFuture<EngineSocket> accepted = acceptOne();
        try (SSLSocket client = client(); EngineSocket server = accepted.get(30, TimeUnit.SECONDS)) {
            server.setSoTimeout(1);
            InputStream in = server.getInputStream();
            assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
            client.getOutputStream().write("after the timeout".getBytes());
            server.setSoTimeout(0);
            byte[] got = new byte[17];
            new DataInputStream(in).readFully(got);
            assertThat(new String(got)).isEqualTo("after the timeout");
        }
    }

    @Test
    void aCloseSendsCloseNotifySoTheOtherSideReadsTheEndAndTheEngineIsReleasedOnce() throws Exception {
        CompletableFuture<EngineSocket> accepted = acceptOne();
        try (SSLSocket client = client()) {
            EngineSocket server = accepted.get(30, TimeUnit.SECONDS);
            server.getOutputStream().write("last words".getBytes());
            server.close();
            server.close();
            byte[] got = new byte[10];
            DataInputStream in = new DataInputStream(client.getInputStream());
            in.readFully(got);
            assertThat(new String(got)).isEqualTo("last words");
            assertThat(in.read()).isEqualTo(-1);
            assertThat(released).hasValue(1);
        }
    }

    @Test
    void bytesThatAreNotTlsAreRefused() throws Exception {
        CompletableFuture<EngineSocket> accepted = acceptOne();
        try (Socket raw = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort())) {
            raw.getOutputStream().write("GET / HTTP/1.1\r\n\r\n".getBytes());
            assertThat(accepted).failsWithin(Duration.ofSeconds(30)).withThrowableThat()
                    .havingRootCause().withMessageContaining("not a TLS record");
        }
    }
}
