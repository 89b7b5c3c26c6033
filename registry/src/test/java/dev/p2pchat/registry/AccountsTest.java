package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryReply.Auth;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.store.Account;
import dev.p2pchat.registry.store.SqliteRegistryStore;
import dev.p2pchat.security.Argon2Params;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountsTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;

    @BeforeEach
    void start() {
        registry = RunningRegistry.start(dataDir);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void helloIsAnsweredWithTheUdpPort() {
        RegistryReply.HelloBack hello = registry.client()
                .call(new RegistryRequest.HelloP2p(), RegistryReply.HelloBack.class);

        assertThat(hello.status()).isEqualTo(Status.SUCCESS);
        assertThat(hello.udpPort()).isEqualTo(registry.udpPort());
    }

    @Test
    void udpPortDefaultsToTheTcpPortNumber() {
        assertThat(registry.udpPort()).isEqualTo(registry.tcpPort());
    }

    @Test
    void registerCreatesAnAccount() {
        RegistryTestClient client = registry.client();

        assertThat(client.register("alice", "secret").status()).isEqualTo(Status.SUCCESS);
        assertThat(client.login("alice", "secret").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void registerRefusesATakenNameIgnoringCase() {
        RegistryTestClient client = registry.client();
        client.register("alice", "secret");

        RegistryReply.RegisterResult again = client.register("ALICE", "other");

        assertThat(again.status()).isEqualTo(Status.EXIST);
        assertThat(again.reason()).contains("taken");
    }

    @Test
    void registerRefusesAnInvalidUsernameWithTheReason() {
        RegistryReply.RegisterResult result = registry.client().register("a b", "secret");

        assertThat(result.status()).isEqualTo(Status.FAILURE);
        assertThat(result.reason()).contains("username");
    }

    @Test
    void registerStoresAnArgon2HashNeverTheDigest() {
        registry.client().register("alice", "secret");
        registry.close();

        try (SqliteRegistryStore store = SqliteRegistryStore.open(dataDir)) {
            Account account = store.findAccount("alice").orElseThrow();
            assertThat(account.passwordHash()).startsWith("$argon2id$")
                    .doesNotContain(RegistryTestClient.digest("secret"));
        }
    }

    @Test
    void loginAnswersWithTokenAndKeepAliveSettings() {
        RegistryTestClient client = registry.client();
        client.register("alice", "secret");

        Auth auth = client.login("alice", "secret");

        assertThat(auth.status()).isEqualTo(Status.SUCCESS);
        assertThat(auth.token()).isNotBlank();
        assertThat(auth.tokenExpires()).isAfter(Instant.now().plus(Duration.ofHours(23)));
        assertThat(auth.udpPort()).isEqualTo(registry.udpPort());
        assertThat(auth.keepaliveTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(auth.keepaliveInterval()).isEqualTo(Duration.ofSeconds(10));
    }

    @Test
    void loginRefusesAWrongPassword() {
        RegistryTestClient client = registry.client();
        client.register("alice", "secret");

        Auth auth = client.login("alice", "wrong");

        assertThat(auth.status()).isEqualTo(Status.FAILURE);
        assertThat(auth.token()).isNull();
    }

    @Test
    void loginGivesTheSameAnswerForAnUnknownUserAsForAWrongPassword() {
        RegistryTestClient client = registry.client();
        client.register("alice", "secret");

        Auth wrongPassword = client.login("alice", "wrong");
        Auth unknownUser = client.login("nobody", "wrong");

        assertThat(unknownUser.status()).isEqualTo(wrongPassword.status());
        assertThat(unknownUser.reason()).isEqualTo(wrongPassword.reason());
    }

    @Test
    void usernamesAreCaseInsensitiveAndKeepTheirRegisteredSpelling() {
        RegistryTestClient alice = registry.client();
        alice.register("Alice", "secret");

        assertThat(alice.login("aLiCe", "secret").status()).isEqualTo(Status.SUCCESS);
        RegistryTestClient bob = registry.client();
        bob.registerAndLogin("bob");

        RegistryReply.SearchUserResponse found = bob.search("ALICE");
        assertThat(found.status()).isEqualTo(Status.SUCCESS);
        assertThat(found.peer().username()).isEqualTo("Alice");
    }

    @Test
    void sameUserCannotBeLoggedInOnTwoConnections() {
        RegistryTestClient first = registry.client();
        first.registerAndLogin("alice");

        Auth second = registry.client().login("ALICE", "pw-alice");

        assertThat(second.status()).isEqualTo(Status.ONLINE);
        assertThat(second.token()).isNull();
    }

    @Test
    void loginTwiceOnOneConnectionIsWrongState() {
        RegistryTestClient client = registry.client();
        client.registerAndLogin("alice");

        client.callExpectingError(new RegistryRequest.Login("alice", RegistryTestClient.digest("pw-alice"),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT), Status.WRONG_STATE);
        assertThat(client.search("alice").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void requestsOtherThanHelloRegisterLoginResumeNeedLogin() {
        RegistryTestClient client = registry.client();

        client.callExpectingError(new RegistryRequest.SearchUser("alice"), Status.NOT_LOGGED_IN);
        client.callExpectingError(new RegistryRequest.ShowRoomsList(RegistryRequest.ListType.PARTIAL),
                Status.NOT_LOGGED_IN);
        client.callExpectingError(new RegistryRequest.Logout(), Status.NOT_LOGGED_IN);
        assertThat(client.register("alice", "pw").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void loginRehashesAPasswordHashedWithWeakerParameters() {
        registry.client().register("alice", "secret");
        registry.close();
        Argon2Params stronger = new Argon2Params(2_048, 2, 1);
        registry = RunningRegistry.start(dataDir, b -> b.argon2(stronger));

        assertThat(registry.client().login("alice", "secret").status()).isEqualTo(Status.SUCCESS);
        registry.close();

        try (SqliteRegistryStore store = SqliteRegistryStore.open(dataDir)) {
            assertThat(store.findAccount("alice").orElseThrow().passwordHash()).contains("m=2048,t=2");
        }
    }

    @Test
    void accountsAndRoomsSurviveARestart() {
        RegistryTestClient client = registry.client();
        client.registerAndLogin("alice");
        client.createRoom("lobby", null, 10, "chat");

        registry = registry.restart();

        RegistryTestClient again = registry.client();
        assertThat(again.login("alice", "pw-alice").status()).isEqualTo(Status.SUCCESS);
        assertThat(again.rooms(RegistryRequest.ListType.PARTIAL).rooms())
                .extracting(r -> r.name()).containsExactly("lobby");
    }
}
