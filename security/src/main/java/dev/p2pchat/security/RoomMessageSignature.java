package dev.p2pchat.security;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;

/**
 * Signs a room message with its author's identity key and checks such a signature against the author's
 * certificate, so that a member relaying the message later (a room's backlog) cannot alter or forge it. JDK
 * {@link Signature} only: SHA256withECDSA for the EC P-256 identities peers create, SHA256withRSA or Ed25519 for an
 * imported key of those kinds. What is signed is a context string and the message's id, author, room, timestamp (to
 * the millisecond, as on the wire) and text, each length-prefixed, so no field can be shifted into another.
 * Never signs or checks anything else, and never throws for a signature that does not verify: that is {@code false}.
 */
public final class RoomMessageSignature {
    private static final byte[] CONTEXT = "p2pchat room message v1".getBytes(StandardCharsets.US_ASCII);

    private RoomMessageSignature() {
    }

    /** The bytes signed for one room message; names in lower case, as the registry compares them. */
    public static byte[] signedBytes(String id, String sender, String room, Instant sentAt, String text) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        part(out, CONTEXT);
        part(out, id.getBytes(StandardCharsets.UTF_8));
        part(out, fold(sender).getBytes(StandardCharsets.UTF_8));
        part(out, fold(room).getBytes(StandardCharsets.UTF_8));
        part(out, Long.toString(sentAt.toEpochMilli()).getBytes(StandardCharsets.US_ASCII));
        part(out, text.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }

    /** The signature of {@code identity} over the message, in base64 (the {@code signature} header). */
    public static String sign(Identity identity, String id, String sender, String room, Instant sentAt, String text) {
        PrivateKey key = identity.privateKey();
        try {
            Signature signature = Signature.getInstance(algorithm(key.getAlgorithm()));
            signature.initSign(key);
            signature.update(signedBytes(id, sender, room, sentAt, text));
            return Base64.getEncoder().encodeToString(signature.sign());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign with a " + key.getAlgorithm() + " key: " + e.getMessage(), e);
        }
    }

    /** Whether {@code signature} (base64) is {@code author}'s over the message; false for anything malformed. */
    public static boolean verify(X509Certificate author, String signature, String id, String sender, String room,
                                 Instant sentAt, String text) {
        if (author == null || signature == null) {
            return false;
        }
        PublicKey key = author.getPublicKey();
        try {
            byte[] bytes = Base64.getDecoder().decode(signature);
            Signature check = Signature.getInstance(algorithm(key.getAlgorithm()));
            check.initVerify(key);
            check.update(signedBytes(id, sender, room, sentAt, text));
            return check.verify(bytes);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static String algorithm(String keyAlgorithm) throws GeneralSecurityException {
        return switch (keyAlgorithm) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            case "Ed25519", "EdDSA" -> "Ed25519";
            default -> throw new GeneralSecurityException("no signature for " + keyAlgorithm + " keys");
        };
    }

    private static void part(ByteArrayOutputStream out, byte[] bytes) {
        int n = bytes.length;
        out.write(n >>> 24);
        out.write(n >>> 16);
        out.write(n >>> 8);
        out.write(n);
        out.writeBytes(bytes);
    }

    private static String fold(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
