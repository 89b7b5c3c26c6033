package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.store.SqliteRegistryStore;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misbehaving clients get a clear answer, lose their connection only when framing is lost, and harm nobody else. */
class BadInputTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;
    /** A well-behaved user on its own connection: after every test it must still be served. */
    RegistryTestClient bystander;

    void start(UnaryOperator<RegistryConfig.Builder> customize) {
        registry = RunningRegistry.start(dataDir, customize);
        bystander = registry.client();
        bystander.registerAndLogin("bystander");
    }

    void start() {
        start(b -> b);
    }

    @AfterEach
    void othersAreStillServed() {
        if (bystander != null) {
            assertThat(bystander.search("bystander").status()).isEqualTo(Status.SUCCESS);
        }
        registry.close();
    }

    @Test
    void unknownCommandIsBadRequestAndTheConnectionStillWorks() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw("FROBNICATE\nid: x1\n\n");

        ErrorReply error = errorOf(client.awaitUnmatched(), Status.BAD_REQUEST);
        assertThat(error.reason()).contains("FROBNICATE");
        assertThat(client.register("alice", "pw").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void unknownCommandAnswerEchoesTheRequestId() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw("FROBNICATE\nid: x1\n\n");

        assertThat(client.awaitUnmatched().id()).isEqualTo("x1");
    }

    @Test
    void missingHeaderIsBadRequest() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw("REGISTER\nusername: alice\n\n");

        assertThat(errorOf(client.awaitUnmatched(), Status.BAD_REQUEST).reason()).contains("password");
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void headerBlockOver8KiBIsBadRequestAndClosesTheConnection() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw("HELLO_P2P\nfiller: " + "a".repeat(9 * 1024) + "\n\n");

        assertThat(errorOf(client.awaitUnmatched(), Status.BAD_REQUEST).reason()).contains("header block");
        assertThat(client.awaitClosed(RegistryTestClient.WAIT)).isTrue();
    }

    @Test
    void payloadOver64KiBIsBadRequestAndClosesTheConnection() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw("HELLO_P2P\ncontent-length: " + (64 * 1024 + 1) + "\n\n");

        assertThat(errorOf(client.awaitUnmatched(), Status.BAD_REQUEST).reason()).contains("payload");
        assertThat(client.awaitClosed(RegistryTestClient.WAIT)).isTrue();
    }

    @Test
    void invalidUtf8InHeadersIsBadRequestAndTheConnectionStillWorks() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw(bytes("REGISTER\nusername: ", new byte[] {(byte) 0xC3, (byte) 0x28}, "\ncontent-length: 3\n\nabc"));

        assertThat(errorOf(client.awaitUnmatched(), Status.BAD_REQUEST).reason()).contains("UTF-8");
        assertThat(client.call(new RegistryRequest.HelloP2p(), RegistryReply.HelloBack.class).status())
                .isEqualTo(Status.SUCCESS);
    }

    @Test
    void invalidUtf8InThePayloadIsBadRequestAndTheConnectionStillWorks() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw(bytes("HELLO_P2P\ncontent-length: 2\n\n", new byte[] {(byte) 0xFF, (byte) 0xFE}, ""));

        assertThat(errorOf(client.awaitUnmatched(), Status.BAD_REQUEST).reason()).contains("UTF-8");
        assertThat(client.call(new RegistryRequest.HelloP2p(), RegistryReply.HelloBack.class).status())
                .isEqualTo(Status.SUCCESS);
    }

    @Test
    void aResponseSentToTheRegistryIsBadRequest() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw("HELLO_BACK SUCCESS 200\nid: r1\n\n");

        Frame answer = client.awaitUnmatched();
        assertThat(answer.id()).isEqualTo("r1");
        errorOf(answer, Status.BAD_REQUEST);
        assertThat(client.isClosed()).isFalse();
    }

    @Test
    void aPeerMessageSentToTheRegistryIsBadRequest() {
        start();
        RegistryTestClient client = registry.client();

        client.sendRaw("USER_LOGOUT\nusername: bob\nid: p1\n\n");

        assertThat(errorOf(client.awaitUnmatched(), Status.BAD_REQUEST).reason()).contains("not a request");
    }

    @Test
    void keepAliveOverTcpIsBadRequestPointingAtUdp() {
        start();
        RegistryTestClient client = registry.client();

        ErrorReply error = client.callExpectingError(
                new RegistryRequest.KeepAlive("alice", "token", Duration.ofSeconds(1)), Status.BAD_REQUEST);

        assertThat(error.reason()).contains("UDP");
    }

    @Test
    void aCommandBeforeLoginIsNotLoggedIn() {
        start();
        RegistryTestClient client = registry.client();

        client.callExpectingError(new RegistryRequest.JoinChatRoom("lobby", null), Status.NOT_LOGGED_IN);
        client.callExpectingError(new RegistryRequest.DiscoverPeers(null), Status.NOT_LOGGED_IN);
    }

    @Test
    void aSlowClientIsClosedAfterTheUnauthenticatedReadTimeout() {
        start(b -> b.unauthenticatedTimeout(Duration.ofMillis(300)));
        RegistryTestClient slow = registry.client();

        slow.sendRaw("HELLO_P2P\nid: 1\n"); // half a frame, then silence

        assertThat(slow.awaitClosed(Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void aLoggedInClientHasNoReadTimeoutButRegainsItAfterLogout() {
        start(b -> b.unauthenticatedTimeout(Duration.ofMillis(300)));
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");

        await().during(Duration.ofMillis(900)).atMost(Duration.ofSeconds(2)).until(() -> !alice.isClosed());
        alice.logout();

        assertThat(alice.awaitClosed(Duration.ofSeconds(3))).isTrue();
    }

    @Test
    void aClientThatNeverLogsInIsClosedAfterTheUnauthenticatedLifetimeHoweverBusy() {
        Duration idle = Duration.ofMillis(300);
        Duration lifetime = Duration.ofMillis(1500);
        start(b -> b.unauthenticatedTimeout(idle).unauthenticatedLifetime(lifetime));
        RegistryTestClient stranger = registry.client();
        long started = System.nanoTime();

        await().atMost(Duration.ofSeconds(6)).pollInterval(Duration.ofMillis(100)).until(() -> {
            if (!stranger.isClosed()) {
                try {
                    stranger.sendRaw("HELLO_P2P\n\n");
                } catch (java.io.UncheckedIOException closedMeanwhile) {
                    // the registry closed it between the check and the write
                }
            }
            return stranger.isClosed();
        });

        Duration open = Duration.ofNanos(System.nanoTime() - started);
        assertThat(open).as("kept open by traffic past the idle timeout").isGreaterThan(idle.multipliedBy(3));
        Frame last;
        do {
            last = stranger.awaitUnmatched();
        } while (last.status().isSuccess());
        assertThat(errorOf(last, Status.WRONG_STATE).reason()).contains("not logged in");
    }

    @Test
    void loggingInBeforeTheUnauthenticatedLifetimeEndsKeepsTheConnection() {
        Duration lifetime = Duration.ofMillis(800);
        start(b -> b.unauthenticatedLifetime(lifetime));
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");

        await().during(lifetime.multipliedBy(2)).atMost(lifetime.multipliedBy(4)).until(() -> !alice.isClosed());
        assertThat(alice.search("alice").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void registrationFloodFromOneIpIsRateLimited() {
        start(b -> b.registrationLimit(3, Duration.ofMinutes(10))); // the bystander's account is the first
        RegistryTestClient flooder = registry.client();
        assertThat(flooder.register("bystander", "pw").status()).as("refusals do not count").isEqualTo(Status.EXIST);
        assertThat(flooder.register("bystander", "pw").status()).isEqualTo(Status.EXIST);
        assertThat(flooder.register("user1", "pw").status()).isEqualTo(Status.SUCCESS);
        assertThat(flooder.register("user2", "pw").status()).isEqualTo(Status.SUCCESS);

        ErrorReply refused = flooder.callExpectingError(
                new RegistryRequest.Register("user3", RegistryTestClient.digest("pw")), Status.RATE_LIMITED);

        assertThat(refused.reason()).contains("try again");
        assertThat(flooder.isClosed()).isFalse();
        assertThat(flooder.login("user1", "pw").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void failedLoginFloodForOneUserIsRateLimited() {
        start(b -> b.maxFailedLoginsPerUser(5));
        RegistryTestClient attacker = registry.client();
        attacker.register("alice", "right");
        for (int i = 0; i < 5; i++) {
            assertThat(attacker.login("alice", "wrong" + i).status()).isEqualTo(Status.FAILURE);
        }

        Frame answer = attacker.exchange(new RegistryRequest.Login("alice", RegistryTestClient.digest("right"),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT));

        assertThat(errorOf(answer, Status.RATE_LIMITED).reason()).contains("try again");
        assertThat(attacker.isClosed()).isFalse();
        assertThat(registry.client().registerAndLogin("carol").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void failedLoginFloodFromOneIpIsRateLimited() {
        start(b -> b.maxFailedLoginsPerIp(3).maxFailedLoginsPerUser(100));
        RegistryTestClient attacker = registry.client();
        for (int i = 0; i < 3; i++) {
            attacker.login("user" + i, "wrong");
        }

        Frame answer = attacker.exchange(new RegistryRequest.Login("someone", RegistryTestClient.digest("x"),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT));

        errorOf(answer, Status.RATE_LIMITED);
    }

    @Test
    void aRequestFloodIsRateLimitedWithoutDroppingTheConnection() {
        start(b -> b.requestRate(20, 20));
        RegistryTestClient flooder = registry.client();
        StringBuilder burst = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            burst.append("HELLO_P2P\nid: f").append(i).append("\n\n");
        }

        flooder.sendRaw(burst.toString());

        List<Status> statuses = new ArrayList<>();
        for (int i = 0; i < 60; i++) {
            statuses.add(flooder.awaitUnmatched().status());
        }
        assertThat(statuses).contains(Status.RATE_LIMITED, Status.SUCCESS);
        assertThat(flooder.isClosed()).isFalse();
        await().atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(100)).until(() -> flooder
                .exchange(new RegistryRequest.HelloP2p()).status().equals(Status.SUCCESS));
    }

    @Test
    void tooManyConnectionsAreRefusedWithFull() {
        start(b -> b.maxConnections(2));
        RegistryTestClient second = registry.client();

        RegistryTestClient third = registry.client();

        errorOf(third.awaitUnmatched(), Status.FULL);
        assertThat(third.awaitClosed(RegistryTestClient.WAIT)).isTrue();
        second.close();
        await().atMost(Duration.ofSeconds(3)).until(() -> registry.server().connectionCount() == 1);
        assertThat(registry.client().register("dave", "pw").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void clientsThatNeverFinishTheirHandshakeDoNotKeepOthersOut() throws Exception {
        start();
        // More silent TCP connections (no TLS ClientHello) than the acceptor lets be in their handshake at once.
        List<java.net.Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < dev.p2pchat.registry.net.Admission.forThisMachine().limit() + 8; i++) {
                silent.add(new java.net.Socket("127.0.0.1", registry.tcpPort()));
            }

            RegistryTestClient newcomer = registry.client();

            assertThat(newcomer.registerAndLogin("newcomer").status()).isEqualTo(Status.SUCCESS);
        } finally {
            for (java.net.Socket socket : silent) {
                socket.close();
            }
        }
    }

    @Test
    void anUnexpectedFailureIsServerErrorAndTheSessionKeepsWorking() {
        FailingStore[] store = new FailingStore[1];
        registry = RunningRegistry.startWithStore(dataDir, dir -> store[0] = new FailingStore(SqliteRegistryStore.open(dir)));
        bystander = registry.client();
        bystander.registerAndLogin("bystander");
        store[0].failNextFindAccount.set(true);

        bystander.callExpectingError(new RegistryRequest.SearchUser("nobody"), Status.SERVER_ERROR);

        assertThat(bystander.search("nobody").status()).isEqualTo(Status.NOT_FOUND);
    }

    private static ErrorReply errorOf(Frame frame, Status status) {
        Message message = RegistryTestClient.decode(frame);
        assertThat(message).isInstanceOf(ErrorReply.class);
        ErrorReply error = (ErrorReply) message;
        assertThat(error.status()).as(error.reason()).isEqualTo(status);
        return error;
    }

    private static byte[] bytes(String before, byte[] middle, String after) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes(before.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(middle);
        out.writeBytes(after.getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
