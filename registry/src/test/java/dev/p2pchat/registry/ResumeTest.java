package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.Auth;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ResumeTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void resumeAfterTheConnectionDroppedKeepsTheSessionAndItsRoom() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        Auth login = alice.registerAndLogin("alice");
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);
        RegistryTestClient bob = registry.client();
        bob.registerAndLogin("bob");

        alice.close();
        await().until(() -> registry.server().connectionCount() == 1);
        assertThat(bob.search("alice").peer().room()).as("still online while resumable").isEqualTo("lobby");

        Auth resumed = registry.client().resume("alice", login.token(), null);

        assertThat(resumed.status()).isEqualTo(Status.SUCCESS);
        assertThat(resumed.token()).isEqualTo(login.token());
        assertThat(resumed.restoredRoom()).isEqualTo("lobby");
        assertThat(bob.discover("lobby").peers()).extracting(p -> p.username()).containsExactly("alice");
    }

    @Test
    void resumeFailsOnceTheSessionHasExpired() {
        registry = RunningRegistry.start(dataDir, RunningRegistry.keepAliveTimeout(Duration.ofMillis(500)));
        RegistryTestClient alice = registry.client();
        Auth login = alice.registerAndLogin("alice");
        alice.close();
        RegistryTestClient bob = registry.client();
        bob.registerAndLogin("bob");

        await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(100))
                .until(() -> bob.search("alice").status().equals(Status.NOT_ONLINE));

        Auth resumed = registry.client().resume("alice", login.token(), null);
        assertThat(resumed.status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void resumeWorksAfterARegistryRestartAndRejoinsTheRoom() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        Auth login = alice.registerAndLogin("alice");
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);

        registry = registry.restart();

        RegistryTestClient again = registry.client();
        Auth resumed = again.resume("alice", login.token(), "lobby");
        assertThat(resumed.status()).isEqualTo(Status.SUCCESS);
        assertThat(resumed.restoredRoom()).isEqualTo("lobby");
        assertThat(again.search("alice").peer().room()).isEqualTo("lobby");
    }

    @Test
    void resumeAfterARestartDoesNotEnterAPasswordRoomOnTheClientsWord() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        Auth login = alice.registerAndLogin("alice");
        alice.createRoom("vault", "pw", 10, "");
        alice.join("vault", "pw");

        registry = registry.restart();

        RegistryTestClient again = registry.client();
        Auth resumed = again.resume("alice", login.token(), "vault");
        assertThat(resumed.status()).isEqualTo(Status.SUCCESS);
        assertThat(resumed.restoredRoom()).isNull();
        assertThat(again.join("vault", "pw").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void resumeWithAForgedTokenFails() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").token();
        String forged = (token.charAt(3) == 'x' ? "y" : "x");
        forged = token.substring(0, 3) + forged + token.substring(4);

        assertThat(registry.client().resume("alice", forged, null).status()).isEqualTo(Status.FAILURE);
        assertThat(registry.client().resume("bob", token, null).status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void resumeAfterLogoutFails() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").token();
        alice.logout();

        assertThat(registry.client().resume("alice", token, null).status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void resumeTakesOverTheSessionFromAnOldConnection() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient old = registry.client();
        String token = old.registerAndLogin("alice").token();

        RegistryTestClient fresh = registry.client();
        assertThat(fresh.resume("ALICE", token, null).status()).isEqualTo(Status.SUCCESS);

        assertThat(old.awaitClosed(RegistryTestClient.WAIT)).isTrue();
        assertThat(fresh.search("alice").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void resumeWhileLoggedInIsWrongState() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").token();

        alice.callExpectingError(new RegistryRequest.Resume("alice", token, 1000, RegistryTestClient.PEER_FINGERPRINT),
                Status.WRONG_STATE);
    }

    @Test
    void loginAfterADroppedConnectionReplacesTheLeftoverSession() {
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);
        RegistryTestClient bob = registry.client();
        bob.registerAndLogin("bob");
        bob.join("lobby", null);
        alice.close();
        await().until(() -> registry.server().connectionCount() == 1);

        assertThat(registry.client().login("alice", "pw-alice").status()).isEqualTo(Status.SUCCESS);

        assertThat(bob.awaitPush(RegistryPush.RoomMemberLeft.class).username()).isEqualTo("alice");
        assertThat(bob.search("alice").peer().room()).isNull();
    }
}
