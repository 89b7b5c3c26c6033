package dev.p2pchat.security;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Issues and checks the registry's session tokens, which let a client RESUME its session after
 * the registry restarts. A token is self-contained (no server-side table), bound to one user and
 * dated; whoever holds the secret file can mint tokens for anyone, so it is owner-readable only.
 *
 * <p>Token layout, url-safe base64 without padding (76 characters):
 * {@code version(1) | expiry epoch seconds(8) | nonce(16) | HMAC-SHA256(32)}, the MAC covering
 * the version, the UTF-8 username (length-prefixed), the expiry and the nonce. The username is
 * not in the token: the client names itself and the MAC must agree. Expiry has one-second precision.
 */
public final class TokenSigner {

    public static final int SECRET_BYTES = 32;
    public static final int MAX_TOKEN_LENGTH = 200;

    private static final byte VERSION = 1;
    private static final int NONCE_BYTES = 16;
    private static final int MAC_BYTES = 32;
    private static final int PAYLOAD_BYTES = 1 + Long.BYTES + NONCE_BYTES;
    private static final int TOKEN_BYTES = PAYLOAD_BYTES + MAC_BYTES;
    private static final String MAC_ALGORITHM = "HmacSHA256";
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    private static final Logger LOG = LoggerFactory.getLogger(TokenSigner.class);

    private final SecretKeySpec key;
    private final SecureRandom random = new SecureRandom();

    public TokenSigner(byte[] secret) {
        Objects.requireNonNull(secret, "secret");
        if (secret.length != SECRET_BYTES) {
            throw new IllegalArgumentException("token secret must be " + SECRET_BYTES + " bytes, got " + secret.length);
        }
        this.key = new SecretKeySpec(secret, MAC_ALGORITHM);
    }

    /**
     * Reads the 32-byte secret from {@code file}, creating it with random content (owner-only
     * permissions) when absent. Keeping the secret across restarts is what keeps tokens valid.
     */
    public static TokenSigner loadOrCreate(Path file) throws IOException {
        if (Files.exists(file)) {
            byte[] secret = Files.readAllBytes(file);
            try {
                if (secret.length != SECRET_BYTES) {
                    throw new IOException(file + " must hold exactly " + SECRET_BYTES + " bytes, found "
                            + secret.length + "; delete it to start over (all issued tokens become invalid)");
                }
                warnIfReadableByOthers(file);
                return new TokenSigner(secret);
            } finally {
                Arrays.fill(secret, (byte) 0);
            }
        }
        byte[] secret = new byte[SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        try {
            AtomicFile.write(file, secret, true);
            return new TokenSigner(secret);
        } finally {
            Arrays.fill(secret, (byte) 0);
        }
    }

    public String issue(String username, Instant expiresAt) {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(expiresAt, "expiresAt");
        ByteBuffer token = ByteBuffer.allocate(TOKEN_BYTES);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        token.put(VERSION).putLong(expiresAt.getEpochSecond()).put(nonce);
        token.put(mac(username, token.array()));
        return ENCODER.encodeToString(token.array());
    }

    /**
     * The token's expiry if it was issued by this signer for {@code username} and expires after
     * {@code now}; empty for anything else, including garbage. Never throws.
     */
    public Optional<Instant> verify(String token, String username, Instant now) {
        if (token == null || username == null || now == null || token.length() > MAX_TOKEN_LENGTH) {
            return Optional.empty();
        }
        byte[] bytes;
        try {
            bytes = DECODER.decode(token);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Re-encoding must give the same text, or one token would have several spellings.
        if (bytes.length != TOKEN_BYTES || bytes[0] != VERSION || !ENCODER.encodeToString(bytes).equals(token)) {
            return Optional.empty();
        }
        byte[] presentedMac = Arrays.copyOfRange(bytes, PAYLOAD_BYTES, TOKEN_BYTES);
        if (!MessageDigest.isEqual(presentedMac, mac(username, bytes))) {
            return Optional.empty();
        }
        Instant expiresAt = Instant.ofEpochSecond(ByteBuffer.wrap(bytes, 1, Long.BYTES).getLong());
        return now.isBefore(expiresAt) ? Optional.of(expiresAt) : Optional.empty();
    }

    /** MAC over the username and the first {@link #PAYLOAD_BYTES} of {@code token}. */
    private byte[] mac(String username, byte[] token) {
        byte[] name = username.getBytes(StandardCharsets.UTF_8);
        try {
            Mac mac = Mac.getInstance(MAC_ALGORITHM);
            mac.init(key);
            // Length prefix, so no (username, payload) pair can be re-split into another.
            mac.update(ByteBuffer.allocate(Integer.BYTES).putInt(name.length).array());
            mac.update(name);
            mac.update(token, 0, PAYLOAD_BYTES);
            return mac.doFinal();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK ships " + MAC_ALGORITHM, e);
        }
    }

    private static void warnIfReadableByOthers(Path file) {
        if (!FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
            return;
        }
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
            if (!AtomicFile.OWNER_ONLY.containsAll(permissions)) {
                LOG.warn("{} is readable by other users, who could forge session tokens; chmod 600 it", file);
            }
        } catch (IOException e) {
            LOG.debug("cannot read permissions of {}", file, e);
        }
    }
}
