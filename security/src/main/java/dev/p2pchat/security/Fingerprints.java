package dev.p2pchat.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.Certificate;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;

/**
 * SHA-256 fingerprints of certificates: the only way p2pchat decides whom it is talking to.
 * A fingerprint is always 64 lowercase hex characters.
 */
public final class Fingerprints {

    private static final HexFormat HEX = HexFormat.of();

    private Fingerprints() {
    }

    public static String sha256Hex(X509Certificate certificate) {
        try {
            return sha256Hex(certificate.getEncoded());
        } catch (CertificateEncodingException e) {
            // A certificate object that exists was decoded from DER; re-encoding it cannot fail.
            throw new IllegalStateException("certificate cannot be DER-encoded", e);
        }
    }

    public static String sha256Hex(byte[] bytes) {
        return HEX.formatHex(sha256(bytes));
    }

    /** True for exactly 64 lowercase hex characters; the canonical form written everywhere. */
    public static boolean isValid(String fingerprint) {
        if (fingerprint == null || fingerprint.length() != 64) {
            return false;
        }
        for (int i = 0; i < fingerprint.length(); i++) {
            char c = fingerprint.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
                return false;
            }
        }
        return true;
    }

    /**
     * Case-insensitive comparison whose time does not depend on where the strings differ, so a
     * peer probing with near-miss fingerprints learns nothing. Null never matches.
     */
    public static boolean matches(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(
                a.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8),
                b.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Fingerprint of the certificate the other side of a finished handshake presented. Prefer this
     * over trust-manager callbacks: a resumed TLS session does not run the trust manager again,
     * but it still carries the peer's certificate.
     */
    public static String peerFingerprint(SSLSession session) throws SSLPeerUnverifiedException {
        Certificate[] chain = session.getPeerCertificates();
        if (chain.length == 0 || !(chain[0] instanceof X509Certificate leaf)) {
            throw new SSLPeerUnverifiedException("peer presented no X.509 certificate");
        }
        return sha256Hex(leaf);
    }

    static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
    }
}
