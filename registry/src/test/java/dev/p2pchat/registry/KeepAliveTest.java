package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.Status;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeepAliveTest {
    static final Duration TIMEOUT = Duration.ofMillis(600);
    static final Duration INTERVAL = Duration.ofMillis(150);

    @TempDir
    Path dataDir;
    RunningRegistry registry;

    @BeforeEach
    void start() {
        registry = RunningRegistry.start(dataDir, RunningRegistry.keepAliveTimeout(TIMEOUT));
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void loginAnnouncesTheTimeoutAndAThirdOfItAsInterval() {
        RegistryReply.Auth auth = registry.client().registerAndLogin("alice");

        assertThat(auth.keepaliveTimeout()).isEqualTo(TIMEOUT);
        assertThat(auth.keepaliveInterval()).isEqualTo(Duration.ofMillis(200));
    }

    @Test
    void keepAlivesKeepASessionOnlinePastTheTimeout() {
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").keepaliveToken();

        await().during(TIMEOUT.multipliedBy(3)).atMost(TIMEOUT.multipliedBy(5)).pollInterval(INTERVAL)
                .until(() -> alice.keepAlive("alice", token).status().equals(Status.SUCCESS));

        RegistryTestClient bob = registry.client();
        bob.registerAndLogin("bob");
        assertThat(bob.search("alice").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.isClosed()).isFalse();
    }

    @Test
    void requestsOverTcpAlsoKeepASessionOnline() {
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");

        await().during(TIMEOUT.multipliedBy(3)).atMost(TIMEOUT.multipliedBy(5)).pollInterval(INTERVAL)
                .until(() -> alice.search("alice").status().equals(Status.SUCCESS));
    }

    @Test
    void aSilentSessionTimesOut() {
        RegistryTestClient alice = registry.client();
        String aliceToken = alice.registerAndLogin("alice").keepaliveToken();
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);
        RegistryTestClient bob = registry.client();
        String bobToken = bob.registerAndLogin("bob").keepaliveToken();
        bob.join("lobby", null);
        assertThat(bob.keepAlive("bob", bobToken).status()).isEqualTo(Status.SUCCESS);
        alice.awaitPush(RegistryPush.RoomMemberJoined.class);

        // alice keeps alive, bob falls silent
        List<Frame> seenByAlice = new ArrayList<>();
        await().atMost(TIMEOUT.multipliedBy(5)).pollInterval(INTERVAL).until(() -> {
            alice.keepAlive("alice", aliceToken);
            seenByAlice.addAll(alice.drainPushes());
            return !seenByAlice.isEmpty();
        });

        Message push = RegistryTestClient.decode(seenByAlice.getFirst());
        assertThat(push).isEqualTo(new RegistryPush.UserLogout("bob", "lobby", "timeout"));
        Frame timeout = bob.awaitDatagram(RegistryTestClient.WAIT);
        assertThat(RegistryTestClient.decode(timeout)).isEqualTo(new RegistryPush.Timeout("bob"));
        assertThat(bob.awaitClosed(RegistryTestClient.WAIT)).as("bob's TCP connection is closed").isTrue();
        assertThat(alice.search("bob").status()).isEqualTo(Status.NOT_ONLINE);
        assertThat(alice.keepAlive("bob", bobToken).status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void keepAliveWithAForgedTokenIsRejected() {
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").keepaliveToken();
        String forged = (token.charAt(0) == 'A' ? "B" : "A") + token.substring(1);

        RegistryReply.KeepAliveResponse response = alice.keepAlive("alice", forged);

        assertThat(response.status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void keepAliveWithAnotherUsersTokenIsRejected() {
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").keepaliveToken();
        registry.client().registerAndLogin("bob");

        assertThat(alice.keepAlive("bob", token).status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void keepAliveForAUserWhoIsNotOnlineIsRejected() {
        RegistryTestClient client = registry.client();

        assertThat(client.keepAlive("nobody", "token").status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void authHandsOutAKeepAliveTokenThatIsNotTheSessionToken() {
        RegistryReply.Auth auth = registry.client().registerAndLogin("alice");

        assertThat(auth.keepaliveToken()).isNotBlank().isNotEqualTo(auth.token());
    }

    @Test
    void keepAliveWithTheKeepAliveTokenKeepsTheSession() {
        RegistryTestClient alice = registry.client();
        RegistryReply.Auth auth = alice.registerAndLogin("alice");

        assertThat(alice.keepAlive("alice", auth.keepaliveToken()).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void keepAliveWithTheResumeTokenIsRejected() {
        RegistryTestClient alice = registry.client();
        RegistryReply.Auth auth = alice.registerAndLogin("alice");

        assertThat(alice.keepAlive("alice", auth.token()).status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void resumeWithTheKeepAliveTokenIsRejected() {
        RegistryTestClient alice = registry.client();
        RegistryReply.Auth auth = alice.registerAndLogin("alice");
        alice.close();

        RegistryReply.Auth resumed = registry.client().resume("alice", auth.keepaliveToken(), null);

        assertThat(resumed.status()).isEqualTo(Status.FAILURE);
    }

    @Test
    void afterResumeOnlyTheNewKeepAliveTokenIsAccepted() {
        RegistryTestClient alice = registry.client();
        RegistryReply.Auth login = alice.registerAndLogin("alice");
        alice.close();

        RegistryTestClient again = registry.client();
        RegistryReply.Auth resumed = again.resume("alice", login.token(), null);

        assertThat(resumed.status()).isEqualTo(Status.SUCCESS);
        assertThat(resumed.keepaliveToken()).isNotBlank().isNotEqualTo(login.keepaliveToken());
        assertThat(again.keepAlive("alice", login.keepaliveToken()).status()).isEqualTo(Status.FAILURE);
        assertThat(again.keepAlive("alice", resumed.keepaliveToken()).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void malformedDatagramsAreDroppedWithoutAnswer() {
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").keepaliveToken();

        alice.sendDatagram("garbage\n\n".getBytes(StandardCharsets.UTF_8));
        alice.sendDatagram("KEEP_ALIVE\n\n".getBytes(StandardCharsets.UTF_8));
        alice.sendDatagram("KEEP_ALIVE_RESPONSE SUCCESS 200\n\n".getBytes(StandardCharsets.UTF_8));

        RegistryReply.KeepAliveResponse response = alice.keepAlive("alice", token);
        assertThat(response.status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.awaitDatagram(Duration.ofMillis(100))).isNull();
    }

    @Test
    void keepAliveAnswerNamesTheAddressTheDatagramCameFrom() {
        RegistryTestClient alice = registry.client();
        String token = alice.registerAndLogin("alice").keepaliveToken();

        RegistryReply.KeepAliveResponse response = alice.keepAlive("alice", token);

        assertThat(response.status()).isEqualTo(Status.SUCCESS);
        assertThat(response.observed()).isEqualTo(new dev.p2pchat.protocol.Candidate("127.0.0.1",
                alice.udpLocalPort()));
    }

    @Test
    void refusedKeepAliveNamesNoAddress() {
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");

        RegistryReply.KeepAliveResponse response = alice.keepAlive("alice", "not-the-token");

        assertThat(response.status()).isEqualTo(Status.FAILURE);
        assertThat(response.observed()).isNull();
    }
}
