package dev.p2pchat.peer.contacts;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.security.Identity;
import java.security.PublicKey;
import org.junit.jupiter.api.Test;

class SafetyNumberTest {
    private final PublicKey alice = Identity.generate("a").certificate().getPublicKey();
    private final PublicKey bob = Identity.generate("b").certificate().getPublicKey();

    @Test
    void bothSidesComputeTheSameSixtyDigitsInTwelveGroupsOfFive() {
        String aliceSide = SafetyNumber.of("alice", alice, "bob", bob);
        String bobSide = SafetyNumber.of("Bob", bob, "alice", alice);

        assertThat(aliceSide).matches("\\d{5}( \\d{5}){11}").isEqualTo(bobSide);
    }

    @Test
    void anotherKeyForTheSameNameGivesAnotherNumber() {
        PublicKey mallory = Identity.generate("m").certificate().getPublicKey();

        assertThat(SafetyNumber.of("alice", alice, "bob", mallory))
                .isNotEqualTo(SafetyNumber.of("alice", alice, "bob", bob));
    }

    @Test
    void eachHalfIsThirtyDigitsThatDependOnTheName() {
        byte[] key = alice.getEncoded();

        assertThat(SafetyNumber.half("alice", key)).hasSize(30).containsOnlyDigits()
                .isNotEqualTo(SafetyNumber.half("alicia", key));
    }
}
