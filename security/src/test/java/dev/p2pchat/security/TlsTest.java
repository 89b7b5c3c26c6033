package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.X509ExtendedTrustManager;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TlsTest {

    // Key generation is the slow part; these identities are read-only, so share them.
    private static final Identity REGISTRY = Identity.generate("registry");
    private static final Identity ALICE = Identity.generate("alice");
    private static final Identity BOB = Identity.generate("bob");

    private LoopbackTlsServer server;

    @AfterEach
    void stopServer() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void pinnedTrustAcceptsExpectedCertificate() throws Exception {
        server = LoopbackTlsServer.start(Tls.server(REGISTRY), false);

        try (SSLSocket socket = connect(Tls.client(PinnedCertificateTrust.expecting(REGISTRY.fingerprint())))) {
            assertThat(socket.getInputStream().read()).isEqualTo(LoopbackTlsServer.GREETING);
            assertThat(Fingerprints.peerFingerprint(socket.getSession())).isEqualTo(REGISTRY.fingerprint());
        }
    }

    @Test
    void pinnedTrustRejectsOtherCertificate() throws Exception {
        server = LoopbackTlsServer.start(Tls.server(REGISTRY), false);
        SSLContext client = Tls.client(PinnedCertificateTrust.expecting(ALICE.fingerprint()));

        assertThatThrownBy(() -> connect(client))
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("expected SHA-256 " + ALICE.fingerprint())
                .hasMessageContaining("presented " + REGISTRY.fingerprint());
    }

    @Test
    void handshakeNegotiatesTls13() throws Exception {
        server = LoopbackTlsServer.start(Tls.server(REGISTRY), false);

        try (SSLSocket socket = connect(Tls.client(PinnedCertificateTrust.expecting(REGISTRY.fingerprint())))) {
            assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
            assertThat(socket.getEnabledProtocols()).containsExactly("TLSv1.3");
        }
        assertThat(server.serverSocket().getEnabledProtocols()).containsExactly("TLSv1.3");
    }

    @Test
    void serverRefusesTls12Client() throws Exception {
        server = LoopbackTlsServer.start(Tls.server(REGISTRY), false);
        SSLContext legacy = SSLContext.getInstance("TLSv1.2");
        legacy.init(null, new X509ExtendedTrustManager[] {PinnedCertificateTrust.expecting(REGISTRY.fingerprint())}, null);

        try (SSLSocket socket = (SSLSocket) legacy.getSocketFactory()
                .createSocket(InetAddress.getLoopbackAddress(), server.port())) {
            socket.setEnabledProtocols(new String[] {"TLSv1.2"});
            assertThatThrownBy(socket::startHandshake).isInstanceOf(SSLException.class);
        }
        assertThat(server.handshake()).failsWithin(LoopbackTlsServer.TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void recordingTrustReportsServerFingerprint() throws Exception {
        server = LoopbackTlsServer.start(Tls.server(REGISTRY), false);
        AtomicReference<String> seen = new AtomicReference<>();

        try (SSLSocket socket = connect(Tls.client(PinnedCertificateTrust.recording(seen::set)))) {
            assertThat(socket.getInputStream().read()).isEqualTo(LoopbackTlsServer.GREETING);
        }
        assertThat(seen).hasValue(REGISTRY.fingerprint());
    }

    @Test
    void mutualTlsExposesClientCertificateToServer() throws Exception {
        server = LoopbackTlsServer.start(Tls.mutual(BOB, PinnedCertificateTrust.anyClientCertificate()), true);
        SSLContext alice = Tls.mutual(ALICE, PinnedCertificateTrust.expecting(BOB.fingerprint()));

        try (SSLSocket socket = connect(alice)) {
            assertThat(socket.getInputStream().read()).isEqualTo(LoopbackTlsServer.GREETING);
            assertThat(Fingerprints.peerFingerprint(socket.getSession())).isEqualTo(BOB.fingerprint());
        }
        SSLSession serverView = server.handshake().get(5, TimeUnit.SECONDS);
        assertThat(Fingerprints.peerFingerprint(serverView)).isEqualTo(ALICE.fingerprint());
    }

    @Test
    void peerServerRefusesClientWithoutCertificate() throws Exception {
        server = LoopbackTlsServer.start(Tls.mutual(BOB, PinnedCertificateTrust.anyClientCertificate()), true);
        SSLContext anonymous = Tls.client(PinnedCertificateTrust.expecting(BOB.fingerprint()));

        // In TLS 1.3 the client finishes its half first, so it may only learn of the refusal on read.
        try (SSLSocket socket = connect(anonymous)) {
            assertThatThrownBy(() -> socket.getInputStream().read()).isInstanceOf(SSLException.class);
        } catch (SSLException refusedDuringHandshake) {
            // also acceptable
        }
        assertThat(server.handshake()).failsWithin(LoopbackTlsServer.TIMEOUT)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(SSLHandshakeException.class);
    }

    @Test
    void anyClientCertificateNeverTrustsServers() {
        X509ExtendedTrustManager trust = PinnedCertificateTrust.anyClientCertificate();
        X509Certificate[] chain = {REGISTRY.certificate()};

        assertThatThrownBy(() -> trust.checkServerTrusted(chain, "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class);
    }

    @Test
    void trustRejectsEmptyChain() {
        X509ExtendedTrustManager trust = PinnedCertificateTrust.anyClientCertificate();

        assertThatThrownBy(() -> trust.checkClientTrusted(new X509Certificate[0], "ECDHE_ECDSA"))
                .isInstanceOf(CertificateException.class)
                .hasMessageContaining("no certificate");
    }

    @Test
    void pinMustBeAFingerprint() {
        assertThatThrownBy(() -> PinnedCertificateTrust.expecting("not-a-fingerprint"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void pinIsCaseInsensitive() throws Exception {
        server = LoopbackTlsServer.start(Tls.server(REGISTRY), false);
        SSLContext client = Tls.client(PinnedCertificateTrust.expecting(REGISTRY.fingerprint().toUpperCase()));

        try (SSLSocket socket = connect(client)) {
            assertThat(socket.getInputStream().read()).isEqualTo(LoopbackTlsServer.GREETING);
        }
    }

    @Test
    void connectGivesUpOnSilentServer() throws Exception {
        try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            SSLContext client = Tls.client(PinnedCertificateTrust.expecting(REGISTRY.fingerprint()));

            assertThatThrownBy(() -> Tls.connect(client, "127.0.0.1", silent.getLocalPort(), Duration.ofMillis(200)))
                    .isInstanceOf(SocketTimeoutException.class);
        }
    }

    private SSLSocket connect(SSLContext client) throws IOException {
        return Tls.connect(client, "127.0.0.1", server.port(), LoopbackTlsServer.TIMEOUT);
    }
}
