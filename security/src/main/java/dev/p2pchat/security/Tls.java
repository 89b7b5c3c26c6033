package dev.p2pchat.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS 1.3 only, on the JDK's SunJSSE provider.
 *
 * <p>An {@link SSLContext} cannot forbid older protocol versions by itself, so the contexts made
 * here must be used through {@link #listen} and {@link #connect}, which restrict the sockets they
 * create; code that makes sockets or engines in another way must call one of the
 * {@code restrict} methods before the handshake. No hostname verification happens anywhere:
 * trust comes from fingerprint pins ({@link PinnedCertificateTrust}).
 */
public final class Tls {

    public static final String PROTOCOL = "TLSv1.3";
    private static final String[] PROTOCOLS = {PROTOCOL};
    private static final String PROVIDER = "SunJSSE";
    private static final String KEY_ALIAS = "identity";

    /** Closes sockets whose handshake ran out of time; one daemon thread for the whole process. */
    private static final ScheduledThreadPoolExecutor DEADLINES = deadlineExecutor();

    private Tls() {
    }

    private static ScheduledThreadPoolExecutor deadlineExecutor() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("tls-handshake-deadline").factory());
        executor.setRemoveOnCancelPolicy(true); // a handshake that finishes leaves nothing behind
        return executor;
    }

    /** A server presenting {@code own}; clients are not asked for certificates. */
    public static SSLContext server(Identity own) {
        return context(keyManagers(own), null);
    }

    /** A client without a certificate, trusting servers as {@code trust} decides. */
    public static SSLContext client(X509TrustManager trust) {
        return context(null, new TrustManager[] {Objects.requireNonNull(trust, "trust")});
    }

    /**
     * Both sides present certificates (peer-to-peer links). Serves for either end; the listening
     * end must still demand the client's certificate: {@code listen(ctx, host, port, true, backlog)}.
     */
    public static SSLContext mutual(Identity own, X509TrustManager trust) {
        return context(keyManagers(own), new TrustManager[] {Objects.requireNonNull(trust, "trust")});
    }

    /**
     * A listening socket restricted to TLS 1.3; the sockets it accepts inherit that and the client
     * certificate requirement. Port 0 picks a free port. The handshake of an accepted socket runs
     * on first read or write, or explicitly with {@link #handshake}.
     */
    public static SSLServerSocket listen(SSLContext ctx, InetAddress host, int port, boolean needClientAuth,
            int backlog) throws IOException {
        return listen(ctx, host, port, needClientAuth, backlog, false);
    }

    /**
     * As above; with {@code sharedPort} the port is bound with {@code SO_REUSEADDR} and (where the system has it)
     * {@code SO_REUSEPORT}, so that this process may also connect out from it (a TCP hole punch must leave from
     * the port the other side was told). Linux lets only sockets of the same user share a port. The port is first
     * taken without sharing, for a moment, so that a port another program (or a second peer of this user) listens on
     * is still refused as in use, and port 0 still picks a port nobody holds.
     */
    public static SSLServerSocket listen(SSLContext ctx, InetAddress host, int port, boolean needClientAuth,
            int backlog, boolean sharedPort) throws IOException {
        if (sharedPort) {
            try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
                probe.bind(new InetSocketAddress(host, port), 1);
                port = probe.getLocalPort();
            }
        }
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket();
        try {
            if (sharedPort) {
                server.setReuseAddress(true);
                if (server.supportedOptions().contains(java.net.StandardSocketOptions.SO_REUSEPORT)) {
                    server.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
                }
            }
            server.bind(new InetSocketAddress(host, port), backlog);
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        restrict(server);
        server.setNeedClientAuth(needClientAuth);
        return server;
    }

    /**
     * Connects, then completes the TLS handshake before returning, so a refused certificate shows
     * up here as an {@link javax.net.ssl.SSLHandshakeException}. {@code connectTimeout} bounds the
     * TCP connect and, separately, the whole handshake.
     */
    public static SSLSocket connect(SSLContext ctx, String host, int port, Duration connectTimeout)
            throws IOException {
        return connect(ctx, host, port, null, connectTimeout);
    }

    /** {@link #connect(SSLContext, String, int, Duration)} from the local address {@code source} (null: any). */
    public static SSLSocket connect(SSLContext ctx, String host, int port, InetAddress source, Duration connectTimeout)
            throws IOException {
        Socket plain = new Socket();
        try {
            if (source != null) {
                plain.bind(new InetSocketAddress(source, 0));
            }
            plain.connect(new InetSocketAddress(host, port), timeoutMillis(connectTimeout));
            SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket(plain, host, port, true);
            restrict(socket);
            socket.setUseClientMode(true);
            handshake(socket, connectTimeout);
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /**
     * Runs the handshake now and gives it {@code timeout} as a whole, however slowly the other side's bytes
     * arrive: a per-read timeout alone would let a ClientHello dripped one byte at a time hold the socket for
     * ever. When the deadline passes the socket is closed and this throws {@link SocketTimeoutException}.
     * The socket's read timeout is left as it was.
     */
    public static void handshake(SSLSocket socket, Duration timeout) throws IOException {
        int millis = timeoutMillis(timeout);
        int previous = socket.getSoTimeout();
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> deadline = DEADLINES.schedule(() -> {
            expired.set(true);
            closeQuietly(socket);
        }, millis, TimeUnit.MILLISECONDS);
        try {
            socket.setSoTimeout(millis);
            socket.startHandshake();
            socket.setSoTimeout(previous);
        } catch (IOException e) {
            if (expired.get() || e instanceof SocketTimeoutException) {
                SocketTimeoutException timedOut = new SocketTimeoutException(
                        "TLS handshake not done within " + millis + " ms");
                timedOut.initCause(e);
                throw timedOut;
            }
            throw e;
        } finally {
            deadline.cancel(false);
        }
        if (expired.get()) {
            throw new SocketTimeoutException("TLS handshake not done within " + millis + " ms");
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the handshake it ends reports the failure
        }
    }

    public static void restrict(SSLSocket socket) {
        socket.setEnabledProtocols(PROTOCOLS.clone());
    }

    public static void restrict(SSLServerSocket socket) {
        socket.setEnabledProtocols(PROTOCOLS.clone());
    }

    public static void restrict(SSLEngine engine) {
        engine.setEnabledProtocols(PROTOCOLS.clone());
    }

    private static SSLContext context(KeyManager[] keyManagers, TrustManager[] trustManagers) {
        try {
            SSLContext context = SSLContext.getInstance(PROTOCOL, PROVIDER);
            context.init(keyManagers, trustManagers, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("SunJSSE cannot make a TLS 1.3 context", e);
        }
    }

    private static KeyManager[] keyManagers(Identity own) {
        Objects.requireNonNull(own, "own");
        try {
            // The password only satisfies the KeyStore API; the store never leaves memory.
            char[] password = new char[0];
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setKeyEntry(KEY_ALIAS, own.privateKey(), password, new Certificate[] {own.certificate()});
            KeyManagerFactory factory = KeyManagerFactory.getInstance("SunX509", PROVIDER);
            factory.init(store, password);
            return factory.getKeyManagers();
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot build a key manager for " + own, e);
        }
    }

    private static int timeoutMillis(Duration timeout) {
        long millis = timeout.toMillis();
        if (millis <= 0) {
            throw new IllegalArgumentException("timeout must be positive: " + timeout);
        }
        return (int) Math.min(millis, Integer.MAX_VALUE);
    }
}
