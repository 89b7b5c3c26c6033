package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class PasswordDigestTest {

    @Test
    void digestIsLowercaseHexSha256OfPassword() {
        assertThat(PasswordDigest.sha256Hex("password".toCharArray()))
                .isEqualTo("5e884898da28047151d0e56f8dc6292773603d0d6aabbdd62a11ef721d1542d8");
    }

    @Test
    void nonAsciiPasswordsAreDigestedAsUtf8() {
        String password = "pässwörd-密码-🔑";

        assertThat(PasswordDigest.sha256Hex(password.toCharArray()))
                .isEqualTo(Fingerprints.sha256Hex(password.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void callersPasswordArrayIsLeftIntact() {
        char[] password = "secret".toCharArray();

        PasswordDigest.sha256Hex(password);

        assertThat(password).containsExactly('s', 'e', 'c', 'r', 'e', 't');
    }

    @Test
    void emptyPasswordHasDigestToo() {
        assertThat(PasswordDigest.sha256Hex(new char[0]))
                .isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }
}
