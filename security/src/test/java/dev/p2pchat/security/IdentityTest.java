package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.sec.SECObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdentityTest {

    @TempDir
    Path dir;

    @Test
    void loadOrCreateGeneratesAndStoresPemFiles() throws Exception {
        Identity identity = Identity.loadOrCreate(dir.resolve("nested/data"), "registry");

        assertThat(dir.resolve("nested/data/cert.pem")).content().startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(dir.resolve("nested/data/key.pem")).content().startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(identity.privateKey()).isInstanceOf(ECPrivateKey.class);
        try (var files = Files.list(dir.resolve("nested/data"))) {
            assertThat(files).as("no temp files left behind").hasSize(2);
        }
    }

    @Test
    void loadOrCreateReusesExistingIdentity() throws Exception {
        Identity first = Identity.loadOrCreate(dir, "registry");
        Identity second = Identity.loadOrCreate(dir, "registry");

        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(second.privateKey().getEncoded()).isEqualTo(first.privateKey().getEncoded());
    }

    @Test
    void keyFileIsReadableByOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));

        Identity.loadOrCreate(dir, "registry");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("key.pem"))))
                .isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("cert.pem"))))
                .isEqualTo("rw-r--r--");
    }

    @Test
    void generatedCertificateIsSelfSignedEcWithLocalNames() throws Exception {
        X509Certificate cert = Identity.generate("alice").certificate();

        assertThat(cert.getSubjectX500Principal().getName()).isEqualTo("CN=alice");
        assertThat(cert.getIssuerX500Principal()).isEqualTo(cert.getSubjectX500Principal());
        assertThat(cert.getVersion()).isEqualTo(3);
        assertThat(cert.getSigAlgName()).isEqualTo("SHA256withECDSA");
        assertThat(cert.getPublicKey().getAlgorithm()).isEqualTo("EC");
        cert.verify(cert.getPublicKey());
        assertThat(Duration.between(Instant.now(), cert.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(3649), Duration.ofDays(3651));
        assertThat(cert.getSubjectAlternativeNames()).containsExactlyInAnyOrder(
                List.of(2, "localhost"), List.of(7, "127.0.0.1"), List.of(7, "0:0:0:0:0:0:0:1"));
    }

    @Test
    void fingerprintIsSha256OfDerCertificate() throws Exception {
        Identity identity = Identity.generate("alice");

        assertThat(identity.fingerprint())
                .isEqualTo(Fingerprints.sha256Hex(identity.certificate().getEncoded()))
                .matches("[0-9a-f]{64}");
    }

    @Test
    void fingerprintChangesWhenCertificateChanges() throws Exception {
        Identity first = Identity.loadOrCreate(dir, "registry");
        Files.delete(dir.resolve("cert.pem"));

        Identity regenerated = Identity.loadOrCreate(dir, "registry");

        assertThat(regenerated.fingerprint()).isNotEqualTo(first.fingerprint());
    }

    @Test
    void loadAcceptsTraditionalEcPrivateKey() throws Exception {
        // What "openssl ecparam -genkey" writes: SEC 1 ECPrivateKey with the named curve, no public key.
        Identity original = Identity.generate("alice");
        ECPrivateKey key = (ECPrivateKey) original.privateKey();
        byte[] sec1 = new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(), SECObjectIdentifiers.secp256r1)
                .getEncoded();
        Path keyFile = writePem(dir.resolve("key.pem"), new PemObject("EC PRIVATE KEY", sec1));
        Path certFile = writePem(dir.resolve("cert.pem"), original.certificate());

        Identity loaded = Identity.load(certFile, keyFile);

        assertThat(loaded.fingerprint()).isEqualTo(original.fingerprint());
        assertThat(((ECPrivateKey) loaded.privateKey()).getS()).isEqualTo(key.getS());
    }

    @Test
    void loadAcceptsRsaPrivateKey() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keys = generator.generateKeyPair();
        X500Name name = new X500Name("CN=rsa-registry");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(
                new JcaX509v3CertificateBuilder(name, BigInteger.ONE, new Date(),
                        Date.from(Instant.now().plus(Duration.ofDays(1))), name, keys.getPublic())
                        .build(new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate())));
        Path cert = writePem(dir.resolve("cert.pem"), certificate);
        Path key = writePem(dir.resolve("key.pem"), keys.getPrivate());
        assertThat(key).content().contains("BEGIN RSA PRIVATE KEY");

        Identity loaded = Identity.load(cert, key);

        assertThat(loaded.privateKey().getAlgorithm()).isEqualTo("RSA");
        assertThat(loaded.certificate()).isEqualTo(certificate);
    }

    @Test
    void loadRejectsKeyOfAnotherCertificate() throws Exception {
        Identity.loadOrCreate(dir.resolve("a"), "alice");
        Identity.loadOrCreate(dir.resolve("b"), "bob");

        assertThatThrownBy(() -> Identity.load(dir.resolve("a/cert.pem"), dir.resolve("b/key.pem")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("does not belong");
    }

    @Test
    void loadRejectsFileWithoutCertificate() throws Exception {
        Identity.loadOrCreate(dir, "alice");

        assertThatThrownBy(() -> Identity.load(dir.resolve("key.pem"), dir.resolve("key.pem")))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("CERTIFICATE");
    }

    @Test
    void toStringDoesNotRevealPrivateKey() {
        Identity identity = Identity.generate("alice");

        assertThat(identity.toString()).contains("CN=alice", identity.fingerprint()).doesNotContain("PRIVATE");
    }

    @Test
    void blankCommonNameIsRefused() {
        assertThatThrownBy(() -> Identity.generate(" ")).isInstanceOf(IllegalArgumentException.class);
    }

    private static Path writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
        return file;
    }
}
