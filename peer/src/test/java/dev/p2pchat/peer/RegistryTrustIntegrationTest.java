package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry is recognised by its certificate: pinned in the configuration or trusted on first use. */
class RegistryTrustIntegrationTest {
    @TempDir
    Path dir;

    @Test
    void firstUsePinsTheRegistryAndAnotherCertificateLaterIsRefusedLoudly() throws Exception {
        int tcp;
        int udp;
        try (TestRegistry original = TestRegistry.start(dir.resolve("registry"));
             RunningPeer alice = RunningPeer.start(original, dir.resolve("alice"), c -> withoutPin(c))) {
            tcp = original.port();
            udp = original.udpPort();
            assertThat(Files.readString(dir.resolve("alice").resolve("known_registries")))
                    .contains("127.0.0.1:" + tcp + " " + original.fingerprint());
        }
        try (TestRegistry impostor = TestRegistry.startOn(dir.resolve("impostor"), tcp, udp)) {
            assertThatThrownBy(() -> RunningPeer.start(impostor, dir.resolve("alice"), c -> withoutPin(c)))
                    .isInstanceOf(PeerException.class)
                    .hasMessageContaining("PRESENTED A DIFFERENT CERTIFICATE")
                    .hasMessageContaining("known_registries");
        }
    }

    @Test
    void impostorIsRefusedOnceLoudlyAndThePinnedRegistryIsReconnectedWhenBack() throws Exception {
        TestRegistry original = TestRegistry.start(dir.resolve("registry"));
        try (RunningPeer alice = RunningPeer.loggedIn(original, dir.resolve("alice"), "alice")) {
            int tcp = original.port();
            int udp = original.udpPort();
            original.close();
            try (TestRegistry impostor = TestRegistry.startOn(dir.resolve("impostor"), tcp, udp)) {
                PeerEvent.ConnectionChanged offline = alice.await(PeerEvent.ConnectionChanged.class,
                        c -> c.state() == ConnectionState.OFFLINE);
                assertThat(offline.detail()).contains("DIFFERENT CERTIFICATE");
                assertThat(alice.peer.state()).isEqualTo(ConnectionState.OFFLINE);
                assertThatThrownBy(() -> alice.peer.rooms(false)).isInstanceOf(PeerException.class)
                        .hasMessageContaining("certificate changed");
                // Several more refused attempts (backoff tops out at 400 ms here) are not announced again.
                await().atMost(RunningPeer.WAIT).until(() -> impostor.connectionCount() == 0);
                await().pollDelay(Duration.ofSeconds(1)).atMost(RunningPeer.WAIT).until(() -> true);
                assertThat(impostor.onlineCount()).isZero();
            }
            assertThat(alice.events(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.OFFLINE))
                    .hasSize(1);
            original = TestRegistry.startOn(dir.resolve("registry"), tcp, udp);
            alice.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);
            assertThat(alice.peer.state()).isEqualTo(ConnectionState.CONNECTED);
            TestRegistry back = original;
            await().atMost(RunningPeer.WAIT).until(() -> back.onlineCount() == 1);
            assertThat(alice.peer.rooms(false)).isNotNull();
        } finally {
            original.close();
        }
    }

    @Test
    void wrongConfiguredFingerprintIsRefused() throws Exception {
        try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"))) {
            assertThatThrownBy(() -> RunningPeer.start(registry, dir.resolve("alice"),
                    c -> new PeerConfig(c.registryHost(), c.registryPort(), "ab".repeat(32), c.listenHost(), 0,
                            c.dataDir(), c.requestTimeout(), c.deliveryWindow())))
                    .isInstanceOf(PeerException.class).hasMessageContaining("DIFFERENT CERTIFICATE THAN CONFIGURED");
        }
    }

    @Test
    void idleConnectionDroppedBeforeLoginIsReopenedQuietlyOnDemand() throws Exception {
        try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"),
                b -> b.unauthenticatedTimeout(Duration.ofMillis(300)));
             RunningPeer alice = RunningPeer.start(registry, dir.resolve("alice"))) {
            await().atMost(RunningPeer.WAIT).until(() -> registry.connectionCount() == 0);
            alice.peer.register("alice", "pw".toCharArray());
            alice.peer.login("alice", "pw".toCharArray());
            assertThat(alice.peer.username()).isEqualTo("alice");
            assertThat(alice.events(PeerEvent.ConnectionChanged.class)).as("no reconnect noise while logged out")
                    .extracting(PeerEvent.ConnectionChanged::state).containsExactly(ConnectionState.CONNECTED);
        }
    }

    @Test
    void connectionClosedForStayingLoggedOutTooLongIsReopenedQuietlyOnDemand() throws Exception {
        try (TestRegistry registry = TestRegistry.start(dir.resolve("registry"),
                b -> b.unauthenticatedLifetime(Duration.ofMillis(500)));
             RunningPeer alice = RunningPeer.start(registry, dir.resolve("alice"))) {
            await().atMost(RunningPeer.WAIT).until(() -> registry.connectionCount() == 0);
            alice.peer.register("alice", "pw".toCharArray());
            alice.peer.login("alice", "pw".toCharArray());

            await().during(Duration.ofSeconds(1)).atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 1);
            assertThat(alice.peer.username()).isEqualTo("alice");
            assertThat(alice.events(PeerEvent.ConnectionChanged.class)).as("no reconnect noise while logged out")
                    .extracting(PeerEvent.ConnectionChanged::state).containsExactly(ConnectionState.CONNECTED);
        }
    }

    private static PeerConfig withoutPin(PeerConfig c) {
        return new PeerConfig(c.registryHost(), c.registryPort(), null, c.listenHost(), 0, c.dataDir(),
                c.requestTimeout(), c.deliveryWindow(), c.retryBase(), c.retryMax(), 0);
    }
}
