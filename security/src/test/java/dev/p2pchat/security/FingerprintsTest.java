package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.CharRange;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

class FingerprintsTest {

    private static final String SHA256_OF_ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";

    @Test
    void sha256HexIsLowercaseHexOfDigest() {
        assertThat(Fingerprints.sha256Hex("abc".getBytes(StandardCharsets.US_ASCII))).isEqualTo(SHA256_OF_ABC);
    }

    @Test
    void isValidAcceptsOnlySixtyFourLowercaseHexCharacters() {
        assertThat(Fingerprints.isValid(SHA256_OF_ABC)).isTrue();
        assertThat(Fingerprints.isValid(SHA256_OF_ABC.toUpperCase(Locale.ROOT))).isFalse();
        assertThat(Fingerprints.isValid(SHA256_OF_ABC.substring(1))).isFalse();
        assertThat(Fingerprints.isValid(SHA256_OF_ABC + "0")).isFalse();
        assertThat(Fingerprints.isValid(SHA256_OF_ABC.replace('a', 'g'))).isFalse();
        assertThat(Fingerprints.isValid(null)).isFalse();
    }

    @Test
    void matchesIgnoresCase() {
        assertThat(Fingerprints.matches(SHA256_OF_ABC, SHA256_OF_ABC.toUpperCase(Locale.ROOT))).isTrue();
    }

    @Test
    void matchesRejectsDifferentOrMissingFingerprints() {
        assertThat(Fingerprints.matches(SHA256_OF_ABC, SHA256_OF_ABC.replace('a', 'b'))).isFalse();
        assertThat(Fingerprints.matches(SHA256_OF_ABC, SHA256_OF_ABC.substring(2))).isFalse();
        assertThat(Fingerprints.matches(null, SHA256_OF_ABC)).isFalse();
        assertThat(Fingerprints.matches(null, null)).isFalse();
    }

    @Property
    void matchesAgreesWithCaseInsensitiveEquality(
            @ForAll @StringLength(max = 8) @CharRange(from = '0', to = 'z') String a,
            @ForAll @StringLength(max = 8) @CharRange(from = '0', to = 'z') String b) {
        assertThat(Fingerprints.matches(a, b)).isEqualTo(a.equalsIgnoreCase(b));
        assertThat(Fingerprints.matches(a, a.toUpperCase(Locale.ROOT))).isTrue();
    }
}
