package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.registry.net.TlsEngine;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/** Each TLS engine the registry can run serves the same protocol to the same (JDK) clients. */
class TlsEngineChoiceTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    @ParameterizedTest
    @EnumSource(TlsEngine.Choice.class)
    void everyEngineLogsUsersInAndPushesBetweenThem(TlsEngine.Choice choice) {
        registry = RunningRegistry.start(dataDir, b -> b.tlsEngine(choice));
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");
        RegistryTestClient bob = registry.client();
        bob.registerAndLogin("bob");

        registry.server().close();

        assertThat(alice.awaitPush(RegistryPush.Shutdown.class).reason()).contains("shutting down");
        assertThat(bob.awaitClosed(RegistryTestClient.WAIT)).isTrue();
    }

    @Test
    void anUnknownEngineIsNamedWithTheChoices() {
        assertThatThrownBy(() -> TlsEngine.Choice.parse("openssl")).hasMessage("--tls-engine is auto, boringssl or jdk, not openssl");
        assertThat(TlsEngine.Choice.parse("BoringSSL")).isEqualTo(TlsEngine.Choice.BORINGSSL);
    }
}
