package dev.p2pchat.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KnownRegistriesTest {

    private static final String FIRST = "a".repeat(64);
    private static final String SECOND = "b".repeat(64);

    @TempDir
    Path dataDir;

    @Test
    void unknownRegistryHasNoPin() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);

        assertThat(known.pinned("chat.example.org:7000")).isEmpty();
        assertThat(dataDir.resolve(KnownRegistries.FILE_NAME)).doesNotExist();
    }

    @Test
    void knownRegistriesPersistsPins() throws Exception {
        KnownRegistries.open(dataDir).pin("chat.example.org:7000", FIRST);
        KnownRegistries.open(dataDir).pin("127.0.0.1:7001", SECOND);

        KnownRegistries reopened = KnownRegistries.open(dataDir);

        assertThat(reopened.pinned("chat.example.org:7000")).hasValue(FIRST);
        assertThat(reopened.pinned("127.0.0.1:7001")).hasValue(SECOND);
        assertThat(Files.readAllLines(dataDir.resolve("known_registries")))
                .contains("chat.example.org:7000 " + FIRST, "127.0.0.1:7001 " + SECOND);
    }

    @Test
    void pinReplacesPreviousPinForSameAddress() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);
        known.pin("chat.example.org:7000", FIRST);

        known.pin("chat.example.org:7000", SECOND);

        assertThat(known.pinned("chat.example.org:7000")).hasValue(SECOND);
        assertThat(Files.readString(dataDir.resolve("known_registries"))).doesNotContain(FIRST);
    }

    @Test
    void pinsAreStoredLowercaseAndLookedUpCaseInsensitively() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);

        known.pin("Chat.Example.ORG:7000", FIRST.toUpperCase());

        assertThat(known.pinned("chat.example.org:7000")).hasValue(FIRST);
    }

    @Test
    void firstUsePinsPresentedFingerprint() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);

        assertThat(known.checkOrPin("chat.example.org:7000", FIRST))
                .isEqualTo(KnownRegistries.PinCheck.PINNED_ON_FIRST_USE);
        assertThat(KnownRegistries.open(dataDir).pinned("chat.example.org:7000")).hasValue(FIRST);
    }

    @Test
    void laterUseWithSameCertificateIsAccepted() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);
        known.pin("chat.example.org:7000", FIRST);

        assertThat(known.checkOrPin("chat.example.org:7000", FIRST)).isEqualTo(KnownRegistries.PinCheck.MATCHES_PIN);
    }

    @Test
    void changedCertificateRaisesLoudMismatch() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);
        known.pin("chat.example.org:7000", FIRST);

        assertThatThrownBy(() -> known.checkOrPin("chat.example.org:7000", SECOND))
                .isInstanceOfSatisfying(FingerprintMismatchException.class, e -> {
                    assertThat(e.hostPort()).isEqualTo("chat.example.org:7000");
                    assertThat(e.pinnedFingerprint()).isEqualTo(FIRST);
                    assertThat(e.presentedFingerprint()).isEqualTo(SECOND);
                })
                .hasMessageContaining("chat.example.org:7000")
                .hasMessageContaining(FIRST)
                .hasMessageContaining(SECOND)
                .hasMessageContaining("delete the line")
                .hasMessageContaining(dataDir.resolve("known_registries").toString());
        assertThat(known.pinned("chat.example.org:7000")).as("pin unchanged").hasValue(FIRST);
    }

    @Test
    void pinsWrittenByAnotherProcessAreSeen() throws Exception {
        KnownRegistries mine = KnownRegistries.open(dataDir);
        KnownRegistries.open(dataDir).pin("other.example.org:7000", SECOND);

        mine.pin("chat.example.org:7000", FIRST);

        assertThat(KnownRegistries.open(dataDir).pinned("other.example.org:7000")).hasValue(SECOND);
    }

    @Test
    void malformedLineIsRefusedWithItsLineNumber() throws Exception {
        Files.writeString(dataDir.resolve("known_registries"),
                "# comment\n\nchat.example.org:7000 " + FIRST + "\nchat.example.org " + SECOND + "\n");

        assertThatThrownBy(() -> KnownRegistries.open(dataDir))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("known_registries:4");
    }

    @Test
    void invalidFingerprintIsNotPinned() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);

        assertThatThrownBy(() -> known.pin("chat.example.org:7000", "abc"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> known.pin("no-port", FIRST)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostPortBracketsIpv6Literals() {
        assertThat(KnownRegistries.hostPort("::1", 7000)).isEqualTo("[::1]:7000");
        assertThat(KnownRegistries.hostPort("Chat.Example.org", 7000)).isEqualTo("chat.example.org:7000");
    }

    @Test
    void ipv6AddressesCanBePinned() throws Exception {
        KnownRegistries known = KnownRegistries.open(dataDir);

        known.pin(KnownRegistries.hostPort("::1", 7000), FIRST);

        assertThat(KnownRegistries.open(dataDir).pinned("[::1]:7000")).hasValue(FIRST);
    }
}
