package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class RoomMessageSignatureTest {
    private static final Identity ALICE = Identity.generate("alice");
    private static final Identity MALLORY = Identity.generate("mallory");
    private static final Instant AT = Instant.ofEpochMilli(1_767_268_800_000L);

    @Test
    void signatureVerifiesWithTheAuthorsCertificateWhateverTheNamesCase() {
        String signature = RoomMessageSignature.sign(ALICE, "m1", "alice", "lobby", AT, "hello, everyone");

        assertThat(RoomMessageSignature.verify(ALICE.certificate(), signature, "m1", "Alice", "LOBBY", AT,
                "hello, everyone")).isTrue();
    }

    @Test
    void anyChangedFieldOrAnotherKeyFailsVerification() {
        String signature = RoomMessageSignature.sign(ALICE, "m1", "alice", "lobby", AT, "hello, everyone");

        assertThat(RoomMessageSignature.verify(ALICE.certificate(), signature, "m1", "alice", "lobby", AT,
                "hello, everyone!")).isFalse();
        assertThat(RoomMessageSignature.verify(ALICE.certificate(), signature, "m2", "alice", "lobby", AT,
                "hello, everyone")).isFalse();
        assertThat(RoomMessageSignature.verify(ALICE.certificate(), signature, "m1", "bob", "lobby", AT,
                "hello, everyone")).isFalse();
        assertThat(RoomMessageSignature.verify(ALICE.certificate(), signature, "m1", "alice", "other", AT,
                "hello, everyone")).isFalse();
        assertThat(RoomMessageSignature.verify(ALICE.certificate(), signature, "m1", "alice", "lobby",
                AT.plusMillis(1), "hello, everyone")).isFalse();
        assertThat(RoomMessageSignature.verify(MALLORY.certificate(), signature, "m1", "alice", "lobby", AT,
                "hello, everyone")).isFalse();
    }

    @Test
    void malformedOrMissingSignatureIsFalseNotAnException() {
        assertThat(RoomMessageSignature.verify(ALICE.certificate(), "not base64!", "m1", "alice", "lobby", AT, "x"))
                .isFalse();
        assertThat(RoomMessageSignature.verify(ALICE.certificate(), "AAAA", "m1", "alice", "lobby", AT, "x")).isFalse();
        assertThat(RoomMessageSignature.verify(ALICE.certificate(), null, "m1", "alice", "lobby", AT, "x")).isFalse();
        assertThat(RoomMessageSignature.verify(null, "AAAA", "m1", "alice", "lobby", AT, "x")).isFalse();
    }
}
