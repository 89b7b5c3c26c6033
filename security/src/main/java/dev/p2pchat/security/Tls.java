package dev.p2pchat.security;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Objects;
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

    private Tls() {
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
        SSLServerSocket server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(port, backlog, host);
        restrict(server);
        server.setNeedClientAuth(needClientAuth);
        return server;
    }

    /**
     * Connects, then completes the TLS handshake before returning, so a refused certificate shows
     * up here as an {@link javax.net.ssl.SSLHandshakeException}. {@code connectTimeout} bounds the
     * TCP connect and, separately, the handshake.
     */
    public static SSLSocket connect(SSLContext ctx, String host, int port, Duration connectTimeout)
            throws IOException {
        Socket plain = new Socket();
        try {
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
     * Runs the handshake now, giving up after {@code timeout}, then restores the socket's previous
     * read timeout. Servers call this on accepted sockets so a silent client cannot hold a thread.
     */
    public static void handshake(SSLSocket socket, Duration timeout) throws IOException {
        int previous = socket.getSoTimeout();
        socket.setSoTimeout(timeoutMillis(timeout));
        socket.startHandshake();
        socket.setSoTimeout(previous);
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
