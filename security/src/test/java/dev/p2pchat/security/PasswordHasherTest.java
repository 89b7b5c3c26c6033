package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class PasswordHasherTest {

    private static final String SECRET = PasswordDigest.sha256Hex("correct horse".toCharArray());

    private final PasswordHasher hasher = new PasswordHasher(Argon2Params.FAST_FOR_TESTS, new SecureRandom());

    @Test
    void hashIsPhcStringWithParametersSaltAndHash() {
        assertThat(hasher.hash(SECRET))
                .matches("\\$argon2id\\$v=19\\$m=1024,t=1,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
    }

    @Test
    void verifyAcceptsSecretThatWasHashed() {
        assertThat(hasher.verify(SECRET, hasher.hash(SECRET))).isTrue();
    }

    @Test
    void verifyRejectsWrongSecret() {
        String stored = hasher.hash(SECRET);

        assertThat(hasher.verify(PasswordDigest.sha256Hex("wrong horse".toCharArray()), stored)).isFalse();
    }

    @Test
    void sameSecretHashesDifferentlyEachTime() {
        assertThat(hasher.hash(SECRET)).isNotEqualTo(hasher.hash(SECRET));
    }

    @Test
    void verifyUsesParametersStoredInHash() {
        String storedWithOldParams = hasher.hash(SECRET);
        PasswordHasher upgraded = new PasswordHasher(new Argon2Params(2048, 2, 1), new SecureRandom());

        assertThat(upgraded.verify(SECRET, storedWithOldParams)).isTrue();
    }

    @Test
    void verifyMatchesArgon2ReferenceImplementation() {
        // Vectors from the Argon2 reference implementation's tests (phc-winner-argon2, src/test.c).
        assertThat(hasher.verify("password",
                "$argon2id$v=19$m=256,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")).isTrue();
        assertThat(hasher.verify("password",
                "$argon2id$v=19$m=256,t=2,p=2$c29tZXNhbHQ$bQk8UB/VmZZF4Oo79iDXuL5/0ttZwg2f/5U52iv1cDc")).isTrue();
    }

    @Test
    void needsRehashWhenStoredParametersAreWeaker() {
        String stored = hasher.hash(SECRET);

        assertThat(new PasswordHasher(new Argon2Params(2048, 1, 1), new SecureRandom()).needsRehash(stored)).isTrue();
        assertThat(new PasswordHasher(new Argon2Params(1024, 2, 1), new SecureRandom()).needsRehash(stored)).isTrue();
    }

    @Test
    void noRehashForCurrentOrStrongerParameters() {
        String stored = new PasswordHasher(new Argon2Params(2048, 2, 1), new SecureRandom()).hash(SECRET);

        assertThat(hasher.needsRehash(stored)).isFalse();
        assertThat(hasher.needsRehash(hasher.hash(SECRET))).isFalse();
    }

    @Test
    void malformedHashNeedsRehash() {
        assertThat(hasher.needsRehash("plaintext")).isTrue();
    }

    @Test
    void hashesOutsideParameterBoundsAreRejected() {
        // Would allocate 4 GiB if taken at face value.
        assertThat(hasher.verify("password",
                "$argon2id$v=19$m=4194304,t=2,p=1$c29tZXNhbHQ$nf65EOgLrQMR/uIPnA4rEsF5h7TKyQwu9U1bMCHGi/4")).isFalse();
    }

    @Test
    void otherArgon2VariantsAreRejected() {
        assertThat(hasher.verify("password",
                "$argon2i$v=19$m=256,t=2,p=2$c29tZXNhbHQ$T/XOJ2mh1/TIpJHfCdQan76Q5esCFVoT5MAeIM1Oq2E")).isFalse();
    }

    @Property(tries = 500)
    void malformedEncodedHashIsRejectedNotThrown(@ForAll String secret, @ForAll String encoded) {
        assertThat(hasher.verify(secret, encoded)).isFalse();
        hasher.needsRehash(encoded);
    }

    @Property(tries = 500)
    void nearlyWellFormedHashIsRejectedNotThrown(@ForAll String tail) {
        assertThat(hasher.verify(SECRET, "$argon2id$v=19$m=1024,t=1,p=1$" + tail)).isFalse();
    }

    @Property(tries = 50)
    void anySecretVerifiesAgainstItsOwnHash(@ForAll String secret) {
        assertThat(hasher.verify(secret, hasher.hash(secret))).isTrue();
    }
}
