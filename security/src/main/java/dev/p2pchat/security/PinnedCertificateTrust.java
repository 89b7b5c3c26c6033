package dev.p2pchat.security;

import java.net.Socket;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Trust decisions by certificate fingerprint instead of by certificate authority. No chain is
 * built, no hostname is checked and validity dates are ignored: the fingerprint pin replaces all
 * of that. TLS itself still proves that the peer holds the certificate's private key.
 *
 * <p>Extending {@link X509ExtendedTrustManager} keeps SunJSSE from wrapping these in its own
 * hostname and algorithm checks.
 */
public final class PinnedCertificateTrust extends X509ExtendedTrustManager {

    /** What to do with the leaf certificate the peer presented; throws to refuse it. */
    @FunctionalInterface
    private interface Policy {
        void check(X509Certificate leaf, boolean peerIsServer) throws CertificateException;
    }

    private static final X509Certificate[] NO_ISSUERS = new X509Certificate[0];

    private final Policy policy;

    private PinnedCertificateTrust(Policy policy) {
        this.policy = policy;
    }

    /** Accepts exactly the certificate whose SHA-256 fingerprint is {@code fingerprintHex} (any case). */
    public static X509ExtendedTrustManager expecting(String fingerprintHex) {
        String pin = Objects.requireNonNull(fingerprintHex, "fingerprintHex").toLowerCase(Locale.ROOT);
        if (!Fingerprints.isValid(pin)) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint (64 hex characters): " + fingerprintHex);
        }
        return new PinnedCertificateTrust((leaf, peerIsServer) -> {
            String actual = Fingerprints.sha256Hex(leaf);
            if (!Fingerprints.matches(pin, actual)) {
                throw new CertificateException("certificate fingerprint mismatch: expected SHA-256 " + pin
                        + " but the " + (peerIsServer ? "server" : "client") + " presented " + actual);
            }
        });
    }

    /**
     * Trust on first use: accepts any certificate and hands its fingerprint to
     * {@code onFingerprint} during the handshake. The caller must check the fingerprint (e.g. with
     * {@link KnownRegistries#checkOrPin}) before sending anything over the connection. The callback
     * does not run for a resumed session; {@link Fingerprints#peerFingerprint} always works.
     */
    public static X509ExtendedTrustManager recording(Consumer<String> onFingerprint) {
        Objects.requireNonNull(onFingerprint, "onFingerprint");
        return new PinnedCertificateTrust((leaf, peerIsServer) -> onFingerprint.accept(Fingerprints.sha256Hex(leaf)));
    }

    /**
     * For a peer's listening side: the client must present a certificate, whichever it is; the
     * application then compares its fingerprint with the registry's listing for the claimed user.
     * Refuses every server certificate, so it can never silently disable checks on outgoing links.
     */
    public static X509ExtendedTrustManager anyClientCertificate() {
        return new PinnedCertificateTrust((leaf, peerIsServer) -> {
            if (peerIsServer) {
                throw new CertificateException("anyClientCertificate() trust only checks clients;"
                        + " use expecting(fingerprint) to connect to a server");
            }
        });
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, false);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, false);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, false);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
            throws CertificateException {
        check(chain, true);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
            throws CertificateException {
        check(chain, true);
    }

    /** Empty, so a server asks for any client certificate rather than one from a named CA. */
    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return NO_ISSUERS;
    }

    private void check(X509Certificate[] chain, boolean peerIsServer) throws CertificateException {
        if (chain == null || chain.length == 0 || chain[0] == null) {
            throw new CertificateException("the " + (peerIsServer ? "server" : "client") + " presented no certificate");
        }
        policy.check(chain[0], peerIsServer);
    }
}
