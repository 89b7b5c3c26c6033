package dev.p2pchat.security;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECParameterSpec;
import java.util.Arrays;
import java.util.Locale;
import org.bouncycastle.crypto.AsymmetricCipherKeyPair;
import org.bouncycastle.crypto.InvalidCipherTextException;
import org.bouncycastle.crypto.hpke.HPKE;
import org.bouncycastle.crypto.params.AsymmetricKeyParameter;
import org.bouncycastle.util.BigIntegers;

/**
 * Seals a message to someone's identity key so that only they can open it and they can tell who sealed it:
 * HPKE (RFC 9180) in auth mode, DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-128-GCM, all from Bouncy Castle.
 * What the registry's mailbox stores is such a box and nothing else.
 *
 * <p>A box is the 65-byte KEM encapsulation followed by the AEAD ciphertext (tag included). The associated data
 * binds the sender's and recipient's names and the message id ({@link #aad}), so a box cannot be replayed under
 * another id or passed off as coming from, or going to, someone else. Auth mode is not sender-forward-secret and
 * a recipient could forge boxes "from" a sender to itself (RFC 9180 section 9.1.1); neither matters for a mailbox
 * whose recipient is the only reader.
 *
 * <p>Identity keys are the EC P-256 keys of the peers' self-signed certificates ({@link Identity#generate}), which
 * is exactly the curve of this KEM: the same key pair serves TLS and sealing, and the certificate the registry
 * hands out is all a sender needs. An identity with another kind of key cannot seal or open.
 */
public final class SealedBox {
    private static final byte[] INFO = "p2pchat mailbox v1".getBytes(StandardCharsets.US_ASCII);
    private static final int COORDINATE_BYTES = 32;
    /** The order of P-256's base point (SEC 2, secp256r1): how a JDK EC key is recognised as a P-256 one. */
    private static final BigInteger P256_ORDER =
            new BigInteger("FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551", 16);

    private SealedBox() {
    }

    /** The associated data of a box: sender, recipient (names fold case, as accounts do) and message id. */
    public static byte[] aad(String sender, String recipient, String messageId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String part : new String[] {fold(sender), fold(recipient), messageId}) {
            byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
            // Length-prefixed, so ("ab", "c") and ("a", "bc") differ.
            out.write(bytes.length >>> 8);
            out.write(bytes.length);
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    /** Seals {@code plaintext} from {@code sender} to the holder of {@code recipient}'s key. */
    public static byte[] seal(Identity sender, X509Certificate recipient, byte[] aad, byte[] plaintext) {
        HPKE hpke = suite();
        AsymmetricKeyParameter to = publicKey(hpke, recipient.getPublicKey());
        AsymmetricCipherKeyPair from = keyPair(hpke, sender);
        try {
            byte[][] sealed = hpke.seal(to, INFO, aad, plaintext, null, null, from);
            byte[] ciphertext = sealed[0];
            byte[] enc = sealed[1];
            byte[] box = Arrays.copyOf(enc, enc.length + ciphertext.length);
            System.arraycopy(ciphertext, 0, box, enc.length, ciphertext.length);
            return box;
        } catch (InvalidCipherTextException e) {
            throw new IllegalStateException("sealing cannot fail for a valid key", e);
        }
    }

    /**
     * Opens a box sealed to {@code recipient} by the holder of {@code sender}'s key.
     *
     * @throws SealedBoxException if the box was not sealed by that sender to this recipient with this
     *                            associated data, or was changed on the way
     */
    public static byte[] open(Identity recipient, X509Certificate sender, byte[] aad, byte[] box)
            throws SealedBoxException {
        HPKE hpke = suite();
        int encSize = hpke.getEncSize();
        if (box.length < encSize + 16) {
            throw new SealedBoxException("sealed box too short");
        }
        AsymmetricKeyParameter from = publicKey(hpke, sender.getPublicKey());
        AsymmetricCipherKeyPair to = keyPair(hpke, recipient);
        byte[] enc = Arrays.copyOf(box, encSize);
        byte[] ciphertext = Arrays.copyOfRange(box, encSize, box.length);
        try {
            return hpke.open(enc, to, INFO, aad, ciphertext, null, null, from);
        } catch (InvalidCipherTextException | IllegalArgumentException | IllegalStateException e) {
            // A bad encapsulation (not a point on the curve) surfaces as an unchecked exception from the KEM.
            throw new SealedBoxException("cannot open the sealed box: wrong key, wrong sender or tampered");
        }
    }

    /** True when {@code certificate}'s key can be sealed to (an EC P-256 key). */
    public static boolean canSealTo(X509Certificate certificate) {
        return certificate.getPublicKey() instanceof ECPublicKey ec && isP256(ec.getParams());
    }

    private static HPKE suite() {
        return new HPKE(HPKE.mode_auth, HPKE.kem_P256_SHA256, HPKE.kdf_HKDF_SHA256, HPKE.aead_AES_GCM128);
    }

    /** Through the KEM's own (de)serialisation, so the key carries exactly the domain parameters the KEM uses. */
    private static AsymmetricKeyParameter publicKey(HPKE hpke, PublicKey key) {
        return hpke.deserializePublicKey(uncompressedPoint(key));
    }

    private static AsymmetricCipherKeyPair keyPair(HPKE hpke, Identity identity) {
        PrivateKey key = identity.privateKey();
        if (!(key instanceof ECPrivateKey ec) || !isP256(ec.getParams())) {
            throw new IllegalArgumentException("identity key is not EC P-256: " + key.getAlgorithm());
        }
        byte[] scalar = BigIntegers.asUnsignedByteArray(COORDINATE_BYTES, ec.getS());
        return hpke.deserializePrivateKey(scalar, uncompressedPoint(identity.certificate().getPublicKey()));
    }

    private static byte[] uncompressedPoint(PublicKey key) {
        if (!(key instanceof ECPublicKey ec) || !isP256(ec.getParams())) {
            throw new IllegalArgumentException("key is not EC P-256: " + key.getAlgorithm());
        }
        byte[] point = new byte[1 + 2 * COORDINATE_BYTES];
        point[0] = 0x04;
        BigIntegers.asUnsignedByteArray(ec.getW().getAffineX(), point, 1, COORDINATE_BYTES);
        BigIntegers.asUnsignedByteArray(ec.getW().getAffineY(), point, 1 + COORDINATE_BYTES, COORDINATE_BYTES);
        return point;
    }

    private static boolean isP256(ECParameterSpec params) {
        return params != null && params.getOrder().equals(P256_ORDER);
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
