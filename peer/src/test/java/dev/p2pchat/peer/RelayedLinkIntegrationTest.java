package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.p2pchat.peer.mesh.LinkRoute;
import dev.p2pchat.registry.RelaySettings;
import dev.p2pchat.registry.service.Relays;
import dev.p2pchat.relay.RelayLimits;
import dev.p2pchat.relay.RelayServer;
import dev.p2pchat.relay.RendezvousTokens;
import dev.p2pchat.security.Identity;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The last rung on loopback: bob and carol both stop listening (as behind symmetric NATs), so neither a direct dial
 * nor a dial-back joins them; they meet at a relay the registry names (RELAY_TOKEN, RELAY_OFFER), run their own
 * mutual TLS through it, and the link then carries the chat both ways like any other.
 */
class RelayedLinkIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    RelayServer externalRelay;
    RunningPeer bob;
    RunningPeer carol;

    @AfterEach
    void stop() {
        for (RunningPeer p : new RunningPeer[] {bob, carol}) {
            if (p != null) {
                p.close();
            }
        }
        if (registry != null) {
            registry.close();
        }
        if (externalRelay != null) {
            externalRelay.close();
        }
    }

    private void bobAndCarolUnreachable() throws Exception {
        bob = RunningPeer.loggedIn(registry, dir.resolve("bob"), "bob");
        carol = RunningPeer.loggedIn(registry, dir.resolve("carol"), "carol");
        bob.stopListeningAndAwaitRefusal();
        carol.stopListeningAndAwaitRefusal();
    }

    private void openChat() throws PeerException {
        bob.peer.requestChat("carol");
        carol.await(PeerEvent.ChatRequested.class, e -> e.from().equals("bob"));
        carol.peer.acceptChat("bob");
        bob.await(PeerEvent.ChatAccepted.class, e -> e.by().equals("carol"));
    }

    @Test
    void peersNeitherOfWhomCanBeDialledChatBothWaysThroughTheRegistrysRelay() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"));
        bobAndCarolUnreachable();
        openChat();

        String relay = "127.0.0.1:" + registry.relayPort();
        assertThat(bob.peer.linkRoute("carol")).hasValueSatisfying(route -> {
            assertThat(route.kind()).isEqualTo(LinkRoute.Kind.RELAYED);
            assertThat(route.describe("carol")).startsWith("relayed via " + relay + ": ");
        });
        assertThat(carol.peer.linkRoute("bob")).hasValueSatisfying(route -> {
            assertThat(route.kind()).isEqualTo(LinkRoute.Kind.RELAYED);
            assertThat(route.address()).isEqualTo(relay);
        });

        String toCarol = bob.peer.sendDirect("carol", "through the relay");
        assertThat(carol.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("through the relay");
        bob.await(PeerEvent.Delivered.class, e -> e.id().equals(toCarol));
        String toBob = carol.peer.sendDirect("bob", "and back on the same link");
        assertThat(bob.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("and back on the same link");
        carol.await(PeerEvent.Delivered.class, e -> e.id().equals(toBob));

        assertThat(carol.events(PeerEvent.DirectMessageReceived.class)).hasSize(1);
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).hasSize(1);
    }

    @Test
    void aRelayOnAnotherHostSharingTheRegistrysSecretCarriesOnlyCiphertext() throws Exception {
        Path secret = dir.resolve("relay.secret");
        Identity relayIdentity = Identity.generate("relay");
        externalRelay = RelayServer.start(InetAddress.getLoopbackAddress(), 0, relayIdentity,
                new RendezvousTokens(RendezvousTokens.loadOrCreateSecret(secret), Clock.systemUTC()),
                RelayLimits.DEFAULTS);
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        externalRelay.tap(chunk -> {
            synchronized (relayed) {
                relayed.writeBytes(chunk);
            }
        });
        Relays.Endpoint elsewhere = Relays.Endpoint.parse("127.0.0.1:" + externalRelay.port() + "@"
                + relayIdentity.fingerprint());
        registry = TestRegistry.start(dir.resolve("registry"), b -> b.relays(new RelaySettings(false, 0,
                List.of(elsewhere), secret, RelayLimits.DEFAULTS)));
        bobAndCarolUnreachable();
        openChat();

        String secretText = "the key is under the third flowerpot";
        String id = bob.peer.sendDirect("carol", secretText);
        assertThat(carol.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo(secretText);
        bob.await(PeerEvent.Delivered.class, e -> e.id().equals(id));
        assertThat(bob.peer.linkRoute("carol")).hasValueSatisfying(route ->
                assertThat(route.address()).isEqualTo("127.0.0.1:" + externalRelay.port()));

        String seen;
        synchronized (relayed) {
            seen = relayed.toString(StandardCharsets.ISO_8859_1);
        }
        assertThat(seen.length()).isGreaterThan(secretText.length());
        assertThat(seen).doesNotContain(secretText).doesNotContain("flowerpot").doesNotContain("DIRECT_MESSAGE")
                .doesNotContain("bob").doesNotContain("carol");
    }

    @Test
    void withoutARelayTheFailureSaysEveryRungThatWasTried() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"), b -> b.relays(TestRegistry.NO_RELAY));
        bobAndCarolUnreachable();

        assertThat(catchThrowable(() -> bob.peer.requestChat("carol")))
                .isInstanceOf(PeerException.class)
                .hasMessageContaining("did not within")
                .hasMessageContaining("no relay either: this registry has no relay");
    }
}
