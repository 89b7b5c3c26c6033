package dev.p2pchat.relay;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * One-time rendezvous tokens for a relayed link: the registry issues one to both peers, the relay checks it without
 * asking the registry. A token binds the two users and an expiry under HMAC-SHA256 with a secret the registry and
 * its relays share (JDK {@link Mac}; nothing hand-made): a peer can neither make one up nor change whom it names.
 * Text form: {@code base64url(payload) "." base64url(mac)}, payload {@code v1 LF userA LF userB LF expiry LF nonce}.
 */
public final class RendezvousTokens {
    private static final String VERSION = "v1";
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64_DECODE = Base64.getUrlDecoder();
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;
    private final Clock clock;

    /** What a verified token says. */
    public record Rendezvous(String userA, String userB, Instant expires) {
    }

    /** A token that does not verify, with why (for the peer, in the FORBIDDEN answer). */
    public static final class InvalidToken extends Exception {
        InvalidToken(String reason) {
            super(reason, null, false, false);
        }
    }

    /** @param secret at least 32 bytes shared by the registry and its relays */
    public RendezvousTokens(byte[] secret, Clock clock) {
        if (secret.length < 32) {
            throw new IllegalArgumentException("a rendezvous secret needs at least 32 bytes");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** A new random secret, for a relay that runs inside its registry. */
    public static byte[] newSecret() {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return secret;
    }

    /**
     * The secret in {@code file}, made (32 random bytes, readable by its owner only) when there is none: the
     * registry keeps it in its data directory and an operator copies it to each relay host ({@code --secret-file}).
     */
    public static byte[] loadOrCreateSecret(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] secret = Files.readAllBytes(file);
            if (secret.length < 32) {
                throw new IOException(file + " holds " + secret.length + " bytes; a rendezvous secret needs 32");
            }
            return secret;
        }
        return createSecret(file);
    }

    /** Only where the file does not exist yet: written under a temporary name with mode 0600, then renamed. */
    private static byte[] createSecret(Path file) throws IOException {
        byte[] secret = newSecret();
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path temp = posix ? Files.createTempFile(dir, ".relay-secret", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")))
                : Files.createTempFile(dir, ".relay-secret", ".tmp");
        try {
            Files.write(temp, secret);
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
        return secret;
    }

    /** A token for a link between {@code userA} and {@code userB}, valid for {@code ttl}. */
    public String issue(String userA, String userB, Duration ttl) {
        byte[] nonce = new byte[8];
        RANDOM.nextBytes(nonce);
        String payload = String.join("\n", VERSION, userA, userB,
                Long.toString(clock.instant().plus(ttl).toEpochMilli()), HexFormat.of().formatHex(nonce));
        byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
        return B64.encodeToString(bytes) + "." + B64.encodeToString(mac(bytes));
    }

    /** What {@code token} says, if this secret made it and it has not expired. */
    public Rendezvous verify(String token) throws InvalidToken {
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            throw new InvalidToken("not a rendezvous token");
        }
        byte[] payload;
        byte[] tag;
        try {
            payload = B64_DECODE.decode(token.substring(0, dot));
            tag = B64_DECODE.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            throw new InvalidToken("not a rendezvous token");
        }
        if (!MessageDigest.isEqual(tag, mac(payload))) {
            throw new InvalidToken("the token was not issued by this relay's registry");
        }
        String[] fields = new String(payload, StandardCharsets.UTF_8).split("\n", -1);
        if (fields.length != 5 || !fields[0].equals(VERSION)) {
            throw new InvalidToken("unknown token version");
        }
        Instant expires;
        try {
            expires = Instant.ofEpochMilli(Long.parseLong(fields[3]));
        } catch (NumberFormatException e) {
            throw new InvalidToken("not a rendezvous token");
        }
        if (!clock.instant().isBefore(expires)) {
            throw new InvalidToken("the token has expired");
        }
        return new Rendezvous(fields[1], fields[2], expires);
    }

    private byte[] mac(byte[] payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return Arrays.copyOf(mac.doFinal(payload), 16);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
