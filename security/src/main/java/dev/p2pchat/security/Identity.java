package dev.p2pchat.security;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private key and the certificate that presents it: who this registry or peer is on the wire.
 * Others recognise it by {@link #fingerprint()}, never by names or certificate authorities.
 */
public record Identity(PrivateKey privateKey, X509Certificate certificate) {

    static final String CERT_FILE = "cert.pem";
    static final String KEY_FILE = "key.pem";

    private static final Logger LOG = LoggerFactory.getLogger(Identity.class);

    public Identity {
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(certificate, "certificate");
    }

    /**
     * Loads {@code dir/cert.pem} and {@code dir/key.pem}, or, when either is missing, generates a
     * fresh self-signed identity and stores it there (key readable by the owner only).
     */
    public static Identity loadOrCreate(Path dir, String commonName) throws IOException {
        Path cert = dir.resolve(CERT_FILE);
        Path key = dir.resolve(KEY_FILE);
        boolean hasCert = Files.exists(cert);
        boolean hasKey = Files.exists(key);
        if (hasCert && hasKey) {
            return load(cert, key);
        }
        if (hasCert || hasKey) {
            LOG.warn("Only one of {} and {} exists in {}; generating a new identity, its fingerprint will change",
                    CERT_FILE, KEY_FILE, dir);
        }
        Identity identity = generate(commonName);
        // Key first: a crash between the two writes leaves no cert.pem, so the next start
        // regenerates instead of pairing a new certificate with a stale key.
        AtomicFile.write(key, PemFiles.privateKeyPem(identity.privateKey()), true);
        AtomicFile.write(cert, PemFiles.certificatePem(identity.certificate()), false);
        LOG.info("Generated identity {} in {}", identity.fingerprint(), dir);
        return identity;
    }

    /**
     * Loads a user-supplied certificate (the first one, if the file holds a chain) and its private
     * key (PKCS#8 "PRIVATE KEY", or OpenSSL's "EC PRIVATE KEY" / "RSA PRIVATE KEY").
     *
     * @throws IOException if a file is unreadable or malformed, or the key does not belong to the certificate
     */
    public static Identity load(Path certPem, Path keyPem) throws IOException {
        X509Certificate certificate = PemFiles.readCertificate(certPem);
        PrivateKey privateKey = PemFiles.readPrivateKey(keyPem);
        if (!KeyMatch.belongsTo(privateKey, certificate)) {
            throw new IOException("The private key in " + keyPem + " does not belong to the certificate in " + certPem);
        }
        return new Identity(privateKey, certificate);
    }

    /** A fresh in-memory self-signed identity (EC P-256, valid ten years), not stored anywhere. */
    public static Identity generate(String commonName) {
        return SelfSignedCertificate.generate(commonName);
    }

    /** Lowercase hex SHA-256 of the DER certificate: what peers pin and the registry lists. */
    public String fingerprint() {
        return Fingerprints.sha256Hex(certificate);
    }

    /** Never prints the key. */
    @Override
    public String toString() {
        return "Identity[" + certificate.getSubjectX500Principal().getName() + ", sha256=" + fingerprint() + "]";
    }
}
