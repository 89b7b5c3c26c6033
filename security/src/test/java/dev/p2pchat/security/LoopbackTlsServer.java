package dev.p2pchat.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A real TLS server on a loopback ephemeral port that accepts one connection, completes the
 * handshake, reports the session (or the failure) and writes one byte so the client can tell the
 * link works.
 */
final class LoopbackTlsServer implements AutoCloseable {

    static final Duration TIMEOUT = Duration.ofSeconds(5);
    static final int GREETING = 42;

    private final SSLServerSocket socket;
    private final CompletableFuture<SSLSession> handshake = new CompletableFuture<>();

    private LoopbackTlsServer(SSLServerSocket socket) {
        this.socket = socket;
        Thread.ofVirtual().name("loopback-tls-" + socket.getLocalPort()).start(this::acceptOne);
    }

    static LoopbackTlsServer start(SSLContext context, boolean needClientAuth) throws IOException {
        return new LoopbackTlsServer(Tls.listen(context, InetAddress.getLoopbackAddress(), 0, needClientAuth, 4));
    }

    int port() {
        return socket.getLocalPort();
    }

    SSLServerSocket serverSocket() {
        return socket;
    }

    /** Completes with the server's view of the session, or exceptionally with why the handshake failed. */
    CompletableFuture<SSLSession> handshake() {
        return handshake;
    }

    private void acceptOne() {
        try (SSLSocket client = (SSLSocket) socket.accept()) {
            Tls.handshake(client, TIMEOUT);
            handshake.complete(client.getSession());
            OutputStream out = client.getOutputStream();
            out.write(GREETING);
            out.flush();
            // Wait for the client to close, so the greeting is never lost to a reset.
            client.getInputStream().read();
        } catch (IOException | RuntimeException e) {
            handshake.completeExceptionally(e);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
