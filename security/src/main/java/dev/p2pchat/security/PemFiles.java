package dev.p2pchat.security;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.CertificateEncodingException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.util.io.pem.PemWriter;

/** Reads and writes the PEM files an {@link Identity} lives in. */
final class PemFiles {

    private PemFiles() {
    }

    /** The first certificate in the file; a chain's further certificates are irrelevant to pinning. */
    static X509Certificate readCertificate(Path file) throws IOException {
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                if (object instanceof X509CertificateHolder holder) {
                    return toJdkCertificate(holder.getEncoded(), file);
                }
            }
        }
        throw new IOException(file + " contains no PEM \"CERTIFICATE\" block");
    }

    /** Skips blocks that are not keys, such as the "EC PARAMETERS" that {@code openssl ecparam} writes first. */
    static PrivateKey readPrivateKey(Path file) throws IOException {
        JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
                PEMParser parser = new PEMParser(reader)) {
            for (Object object = parser.readObject(); object != null; object = parser.readObject()) {
                switch (object) {
                    case PrivateKeyInfo info -> {
                        return converter.getPrivateKey(info);
                    }
                    case PEMKeyPair pair -> {
                        // Not getKeyPair(): the public half of an "EC PRIVATE KEY" is optional.
                        return converter.getPrivateKey(pair.getPrivateKeyInfo());
                    }
                    case PKCS8EncryptedPrivateKeyInfo ignored -> throw encrypted(file);
                    case PEMEncryptedKeyPair ignored -> throw encrypted(file);
                    default -> {
                        // not a key; keep looking
                    }
                }
            }
        }
        throw new IOException(file + " contains no PEM \"PRIVATE KEY\", \"EC PRIVATE KEY\" or \"RSA PRIVATE KEY\" block");
    }

    /** PKCS#8 "PRIVATE KEY", the form every current tool reads. */
    static byte[] privateKeyPem(PrivateKey key) throws IOException {
        return pem(new PemObject("PRIVATE KEY", key.getEncoded()));
    }

    static byte[] certificatePem(X509Certificate certificate) throws IOException {
        try {
            return pem(new PemObject("CERTIFICATE", certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IOException("certificate cannot be DER-encoded", e);
        }
    }

    private static byte[] pem(PemObject object) throws IOException {
        StringWriter out = new StringWriter();
        try (PemWriter writer = new PemWriter(out)) {
            writer.writeObject(object);
        }
        return out.toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static X509Certificate toJdkCertificate(byte[] der, Path file) throws IOException {
        try {
            // The JDK's own parser, so JSSE gets the certificate class it expects.
            return (X509Certificate) CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(der));
        } catch (CertificateException e) {
            throw new IOException(file + " holds a certificate the JDK cannot parse", e);
        }
    }

    private static IOException encrypted(Path file) {
        return new IOException(file + " holds an encrypted private key; p2pchat needs it unencrypted"
                + " (openssl pkcs8 -topk8 -nocrypt -in " + file + ")");
    }
}
