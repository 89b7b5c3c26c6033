package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.RegistryPush;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LifecycleTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void closeTellsEveryClientShutdownAndClosesTheConnections() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");
        RegistryTestClient anonymous = registry.client();

        registry.server().close();

        assertThat(alice.awaitPush(RegistryPush.Shutdown.class).reason()).contains("shutting down");
        assertThat(anonymous.awaitPush(RegistryPush.Shutdown.class)).isNotNull();
        assertThat(alice.awaitClosed(RegistryTestClient.WAIT)).isTrue();
        assertThat(anonymous.awaitClosed(RegistryTestClient.WAIT)).isTrue();
    }

    @Test
    void theCertificateFingerprintIsStableAcrossRestarts() {
        registry = RunningRegistry.start(dataDir);
        String before = registry.fingerprint();

        registry = registry.restart();

        assertThat(registry.fingerprint()).isEqualTo(before);
    }
}
