package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.RelayTokenResult;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.RelayRequest;
import dev.p2pchat.protocol.RelayTicket;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.service.Relays;
import dev.p2pchat.relay.RelayLimits;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * RELAY_TOKEN: the registry hands out one of its relays with a one-time token, pushes the same ticket to the user
 * asked (RELAY_OFFER), and the token opens a pipe at the registry's own relay.
 */
class RelayTokenTest {
    static final String ELSEWHERE = "203.0.113.9:7443@" + "ab".repeat(32);

    @TempDir
    Path dataDir;
    RunningRegistry registry;
    RegistryTestClient alice;
    RegistryTestClient bob;

    private void start(RelaySettings relays) {
        registry = RunningRegistry.start(dataDir, b -> b.relays(relays));
        alice = registry.client();
        alice.registerAndLogin("alice");
        bob = registry.client();
        bob.registerAndLogin("bob");
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private RelayTokenResult askFor(RegistryTestClient asker, String username) {
        return asker.call(new RegistryRequest.RelayToken(username), RelayTokenResult.class);
    }

    @Test
    void bothSidesGetTheSameTicketAndItsTokenOpensAPipeAtTheRegistrysOwnRelay() throws Exception {
        start(RelaySettings.DEFAULTS);
        RelayTokenResult result = askFor(alice, "BOB");
        assertThat(result.status()).isEqualTo(Status.SUCCESS);
        RelayTicket ticket = result.ticket();
        assertThat(ticket.host()).as("the registry's own relay is at the registry's host").isNull();
        assertThat(ticket.port()).isEqualTo(registry.server().relayPort()).isNotZero();
        assertThat(ticket.fingerprint()).isEqualTo(registry.fingerprint());

        RegistryPush.RelayOffer offer = bob.awaitPush(RegistryPush.RelayOffer.class);
        assertThat(offer.username()).isEqualTo("alice");
        assertThat(offer.fingerprint()).isEqualTo(RegistryTestClient.PEER_FINGERPRINT);
        assertThat(offer.ticket()).isEqualTo(ticket);

        try (SSLSocket a = join(ticket); SSLSocket b = join(offer.ticket())) {
            assertThat(answer(a).status()).isEqualTo(Status.SUCCESS);
            assertThat(answer(b).status()).isEqualTo(Status.SUCCESS);
            a.getOutputStream().write("ping".getBytes());
            a.getOutputStream().flush();
            assertThat(new String(b.getInputStream().readNBytes(4))).isEqualTo("ping");
        }
    }

    @Test
    void theSharedSecretIsKeptInTheDataDirectoryReadableByItsOwnerOnly() throws Exception {
        start(RelaySettings.DEFAULTS);
        Path secret = dataDir.resolve(RelaySettings.SECRET_FILE);
        assertThat(Files.size(secret)).isEqualTo(32);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(secret))).isEqualTo("rw-------");
    }

    @Test
    void relaysOnOtherHostsAreHandedOutInTurnWithTheRegistrysOwn() {
        start(new RelaySettings(true, 0, List.of(Relays.Endpoint.parse(ELSEWHERE)), null, RelayLimits.DEFAULTS));
        RelayTicket first = askFor(alice, "bob").ticket();
        RelayTicket second = askFor(alice, "bob").ticket();
        assertThat(first.host()).isNull();
        assertThat(second.host()).isEqualTo("203.0.113.9");
        assertThat(second.port()).isEqualTo(7443);
        assertThat(second.fingerprint()).isEqualTo("ab".repeat(32));
        assertThat(second.token()).isNotEqualTo(first.token());
    }

    @Test
    void aRegistryWithoutRelaysSaysSoWithFull() {
        start(new RelaySettings(false, 0, List.of(), null, RelayLimits.DEFAULTS));
        RelayTokenResult refused = askFor(alice, "bob");
        assertThat(refused.status()).isEqualTo(Status.FULL);
        assertThat(refused.reason()).isEqualTo("this registry has no relay");
        assertThat(registry.server().relayPort()).isZero();
    }

    @Test
    void offlineUnknownAndSelfAreRefusedWithTheirOwnCodes() {
        start(RelaySettings.DEFAULTS);
        RegistryTestClient carol = registry.client();
        carol.register("carol", "pw-carol");
        assertThat(askFor(alice, "carol").status()).isEqualTo(Status.NOT_ONLINE);
        assertThat(askFor(alice, "nobody").status()).isEqualTo(Status.NOT_FOUND);
        assertThat(askFor(alice, "Alice").status()).isEqualTo(Status.WRONG_STATE);
    }

    @Test
    void aSessionMayAskOnlyTwentyTimesAMinute() {
        start(RelaySettings.DEFAULTS);
        for (int i = 0; i < 20; i++) {
            assertThat(askFor(alice, "bob").status()).isEqualTo(Status.SUCCESS);
        }
        RelayTokenResult refused = askFor(alice, "bob");
        assertThat(refused.status()).isEqualTo(Status.RATE_LIMITED);
        assertThat(refused.reason()).contains("try again in");
    }

    @Test
    void aRelayFlagThatIsNotHostPortAndFingerprintIsRefusedSayingWhatItTakes() {
        assertThatThrownBy(() -> Relays.Endpoint.parse("relay.example.net:7071"))
                .hasMessageContaining("HOST:PORT@FINGERPRINT");
        assertThatThrownBy(() -> Relays.Endpoint.parse("relay.example.net:x@" + "ab".repeat(32)))
                .hasMessageContaining("port");
        assertThatThrownBy(() -> Relays.Endpoint.parse("relay.example.net:7071@abcd"))
                .hasMessageContaining("SHA-256");
        assertThat(Relays.Endpoint.parse("[2001:db8::7]:7071@" + "AB:".repeat(31) + "AB").host())
                .isEqualTo("2001:db8::7");
    }

    private SSLSocket join(RelayTicket ticket) throws Exception {
        SSLSocket socket = Tls.connect(Tls.client(PinnedCertificateTrust.expecting(ticket.fingerprint())),
                "127.0.0.1", ticket.port(), Duration.ofSeconds(10));
        socket.getOutputStream().write(FrameWriter.encode(new RelayRequest.Join(ticket.token()).toFrame()));
        socket.getOutputStream().flush();
        return socket;
    }

    /** The relay's one answer, read byte by byte up to its blank line so that nothing of the pipe is taken. */
    private static Frame answer(SSLSocket socket) throws Exception {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        int c;
        while ((c = in.read()) >= 0) {
            bytes.write(c);
            if (c == '\n' && previous == '\n') {
                break;
            }
            previous = c;
        }
        return new FrameReader(new ByteArrayInputStream(bytes.toByteArray())).read();
    }
}
