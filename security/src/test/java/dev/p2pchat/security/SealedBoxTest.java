package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class SealedBoxTest {
    private static final Identity ALICE = Identity.generate("alice");
    private static final Identity BOB = Identity.generate("bob");
    private static final Identity MALLORY = Identity.generate("mallory");
    private static final byte[] TEXT = "meet me at noon".getBytes(StandardCharsets.UTF_8);
    private static final byte[] AAD = SealedBox.aad("alice", "bob", "m-1");

    @Test
    void recipientOpensWhatTheSenderSealed() throws Exception {
        byte[] box = SealedBox.seal(ALICE, BOB.certificate(), AAD, TEXT);

        assertThat(SealedBox.open(BOB, ALICE.certificate(), AAD, box)).isEqualTo(TEXT);
        assertThat(new String(box, StandardCharsets.ISO_8859_1)).doesNotContain("noon");
    }

    @Test
    void boxFromAnotherSenderDoesNotOpenAsAlices() {
        byte[] box = SealedBox.seal(MALLORY, BOB.certificate(), AAD, TEXT);

        assertThatThrownBy(() -> SealedBox.open(BOB, ALICE.certificate(), AAD, box))
                .isInstanceOf(SealedBoxException.class);
    }

    @Test
    void onlyTheRecipientOpens() {
        byte[] box = SealedBox.seal(ALICE, BOB.certificate(), AAD, TEXT);

        assertThatThrownBy(() -> SealedBox.open(MALLORY, ALICE.certificate(), AAD, box))
                .isInstanceOf(SealedBoxException.class);
    }

    @Test
    void tamperedBoxDoesNotOpen() {
        byte[] box = SealedBox.seal(ALICE, BOB.certificate(), AAD, TEXT);
        for (int at : new int[] {0, 10, 70, box.length - 1}) {
            byte[] tampered = box.clone();
            tampered[at] ^= 1;
            assertThatThrownBy(() -> SealedBox.open(BOB, ALICE.certificate(), AAD, tampered))
                    .isInstanceOf(SealedBoxException.class);
        }
        assertThatThrownBy(() -> SealedBox.open(BOB, ALICE.certificate(), AAD, new byte[5]))
                .isInstanceOf(SealedBoxException.class);
    }

    @Test
    void boxDoesNotOpenUnderAnotherMessageIdOrNames() {
        byte[] box = SealedBox.seal(ALICE, BOB.certificate(), AAD, TEXT);

        for (byte[] other : new byte[][] {SealedBox.aad("alice", "bob", "m-2"), SealedBox.aad("alice", "carol", "m-1"),
                SealedBox.aad("mallory", "bob", "m-1")}) {
            assertThatThrownBy(() -> SealedBox.open(BOB, ALICE.certificate(), other, box))
                    .isInstanceOf(SealedBoxException.class);
        }
    }

    @Test
    void namesInTheAssociatedDataIgnoreCaseLikeAccounts() throws Exception {
        byte[] box = SealedBox.seal(ALICE, BOB.certificate(), SealedBox.aad("Alice", "BOB", "m-1"), TEXT);

        assertThat(SealedBox.open(BOB, ALICE.certificate(), AAD, box)).isEqualTo(TEXT);
        assertThat(SealedBox.aad("ab", "c", "x")).isNotEqualTo(SealedBox.aad("a", "bc", "x"));
    }

    @Test
    void generatedIdentitiesCanBeSealedTo() {
        assertThat(SealedBox.canSealTo(BOB.certificate())).isTrue();
    }
}
