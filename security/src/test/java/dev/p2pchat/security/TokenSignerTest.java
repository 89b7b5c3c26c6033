package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenSignerTest {

    private static final Instant NOW = Instant.parse("2025-01-01T12:00:00Z");
    private static final Instant EXPIRY = NOW.plus(Duration.ofHours(1));

    private final TokenSigner signer = new TokenSigner(randomSecret());

    @TempDir
    Path dir;

    @Test
    void tokenVerifiesForItsUserBeforeExpiry() {
        String token = signer.issue("alice", EXPIRY);

        assertThat(signer.verify(token, "alice", NOW)).hasValue(EXPIRY);
    }

    @Test
    void tokenForOtherUserIsRejected() {
        String token = signer.issue("alice", EXPIRY);

        assertThat(signer.verify(token, "bob", NOW)).isEmpty();
    }

    @Test
    void expiredTokenIsRejected() {
        String token = signer.issue("alice", EXPIRY);

        assertThat(signer.verify(token, "alice", EXPIRY)).isEmpty();
        assertThat(signer.verify(token, "alice", EXPIRY.plusSeconds(1))).isEmpty();
    }

    @Test
    void tokenFromAnotherSecretIsRejected() {
        String token = new TokenSigner(randomSecret()).issue("alice", EXPIRY);

        assertThat(signer.verify(token, "alice", NOW)).isEmpty();
    }

    @Test
    void tokenIsShortAndUrlSafe() {
        String token = signer.issue("a-rather-long-username-" + "x".repeat(100), EXPIRY);

        assertThat(token).hasSizeLessThanOrEqualTo(200).matches("[A-Za-z0-9_.-]+");
    }

    @Test
    void tokensForSameUserAndExpiryDiffer() {
        assertThat(signer.issue("alice", EXPIRY)).isNotEqualTo(signer.issue("alice", EXPIRY));
    }

    @Test
    void expiryIsKeptToTheSecond() {
        Instant precise = EXPIRY.plusMillis(789);

        assertThat(signer.verify(signer.issue("alice", precise), "alice", NOW)).hasValue(EXPIRY);
    }

    @Property(tries = 200)
    void tamperedTokenIsRejected(@ForAll("positions") int position, @ForAll("base64url") char replacement) {
        String token = signer.issue("alice", EXPIRY);
        int at = position % token.length();
        assumeTrue(token.charAt(at) != replacement);

        String tampered = token.substring(0, at) + replacement + token.substring(at + 1);

        assertThat(signer.verify(tampered, "alice", NOW)).isEmpty();
    }

    @Property(tries = 500)
    void garbageIsRejectedNotThrown(@ForAll String token, @ForAll String username) {
        assertThat(signer.verify(token, username, NOW)).isEmpty();
    }

    @Test
    void nullsAreRejectedNotThrown() {
        assertThat(signer.verify(null, "alice", NOW)).isEmpty();
        assertThat(signer.verify(signer.issue("alice", EXPIRY), null, NOW)).isEmpty();
        assertThat(signer.verify(signer.issue("alice", EXPIRY), "alice", null)).isEmpty();
    }

    @Test
    void loadOrCreateKeepsSecretAcrossRestarts() throws Exception {
        Path file = dir.resolve("data/token.key");
        String token = TokenSigner.loadOrCreate(file).issue("alice", EXPIRY);

        TokenSigner restarted = TokenSigner.loadOrCreate(file);

        assertThat(restarted.verify(token, "alice", NOW)).hasValue(EXPIRY);
        assertThat(Files.size(file)).isEqualTo(TokenSigner.SECRET_BYTES);
    }

    @Test
    void secretFileIsReadableByOwnerOnly() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"));
        Path file = dir.resolve("token.key");

        TokenSigner.loadOrCreate(file);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void truncatedSecretFileIsRefused() throws Exception {
        Path file = dir.resolve("token.key");
        Files.write(file, new byte[5]);

        assertThatThrownBy(() -> TokenSigner.loadOrCreate(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("32 bytes");
    }

    @Test
    void secretMustBe32Bytes() {
        assertThatThrownBy(() -> new TokenSigner(new byte[16])).isInstanceOf(IllegalArgumentException.class);
    }

    @Provide
    Arbitrary<Integer> positions() {
        return Arbitraries.integers().between(0, 1000);
    }

    @Provide
    Arbitrary<Character> base64url() {
        return Arbitraries.chars().with("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".toCharArray());
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[TokenSigner.SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
