package dev.p2pchat.registry;

import dev.p2pchat.transport.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 14: failed logins must not let anyone lock a real user out. Each test client connects from its own
 * loopback address (127.0.0.x), so the registry sees the attacker and the user apart; time is a {@link MutableClock}.
 */
class LoginLockoutTest {
    static final String ALICE_HOME = "127.0.0.2";
    static final String ATTACKER = "127.0.0.3";
    static final String NAT = "127.0.0.4";

    @TempDir
    Path dataDir;
    final MutableClock clock = new MutableClock();
    RunningRegistry registry;

    void start(UnaryOperator<RegistryConfig.Builder> customize) {
        registry = RunningRegistry.start(dataDir, clock, customize);
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private static Status loginStatus(RegistryTestClient client, String user, String password) {
        Frame answer = client.exchange(new RegistryRequest.Login(user, RegistryTestClient.digest(password),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT));
        return answer.status();
    }

    private static void fail(RegistryTestClient client, String user, int times) {
        for (int i = 0; i < times; i++) {
            loginStatus(client, user, "wrong" + i);
        }
    }

    @Test
    void aValidResumeTokenIsNeverRefusedForSomeoneElsesFailedLogins() {
        start(b -> b.maxFailedLoginsPerUser(5).maxFailedLoginsPerIp(5));
        RegistryTestClient alice = registry.clientFrom(ALICE_HOME);
        String token = alice.registerAndLogin("alice").token();
        RegistryTestClient attacker = registry.clientFrom(ALICE_HOME); // even from alice's own address
        fail(attacker, "alice", 10);
        assertThat(loginStatus(attacker, "alice", "pw-alice")).isEqualTo(Status.RATE_LIMITED);

        RegistryReply.Auth resumed = registry.clientFrom(ALICE_HOME).resume("alice", token, null);

        assertThat(resumed.status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void anAddressThatLoggedInBeforeIsNotBlockedByOthersFailuresForTheUser() {
        start(b -> b.maxFailedLoginsPerUser(5));
        RegistryTestClient alice = registry.clientFrom(ALICE_HOME);
        alice.registerAndLogin("alice");
        alice.logout();
        RegistryTestClient attacker = registry.clientFrom(ATTACKER);
        fail(attacker, "alice", 5);

        assertThat(loginStatus(attacker, "alice", "pw-alice")).isEqualTo(Status.RATE_LIMITED);
        assertThat(loginStatus(registry.clientFrom("127.0.0.5"), "alice", "pw-alice"))
                .as("an address alice never used is still held by the per-user limit")
                .isEqualTo(Status.RATE_LIMITED);
        assertThat(loginStatus(registry.clientFrom(ALICE_HOME), "alice", "pw-alice")).isEqualTo(Status.SUCCESS);
    }

    @Test
    void oneUsersFailuresDoNotLockOutOthersBehindTheSameAddress() {
        start(b -> b);
        RegistryTestClient bob = registry.clientFrom(NAT);
        assertThat(bob.register("bob", "pw-bob").status()).isEqualTo(Status.SUCCESS);
        RegistryTestClient neighbours = registry.clientFrom(NAT);
        for (int user = 0; user < 5; user++) {
            fail(neighbours, "neighbour" + user, 10); // each name adds at most 5 to the address's count
        }

        assertThat(loginStatus(bob, "bob", "pw-bob")).isEqualTo(Status.SUCCESS);
    }

    @Test
    void backOffGrowsPerUserAndAddressAndARefusedAttemptDoesNotExtendIt() {
        start(b -> b.maxFailedLoginsPerUser(5));
        RegistryTestClient alice = registry.clientFrom(ALICE_HOME);
        alice.registerAndLogin("alice");
        alice.logout();
        fail(alice, "alice", 5); // free; the 6th failure starts the back-off
        assertThat(loginStatus(alice, "alice", "wrong")).isEqualTo(Status.FAILURE);
        assertThat(loginStatus(alice, "alice", "pw-alice")).isEqualTo(Status.RATE_LIMITED);

        clock.advance(Duration.ofMillis(999));
        assertThat(loginStatus(alice, "alice", "pw-alice")).as("refusals change nothing")
                .isEqualTo(Status.RATE_LIMITED);
        clock.advance(Duration.ofMillis(1));
        assertThat(loginStatus(alice, "alice", "wrong")).isEqualTo(Status.FAILURE);
        clock.advance(Duration.ofMillis(1_999));
        assertThat(loginStatus(alice, "alice", "pw-alice")).as("the second back-off is twice as long")
                .isEqualTo(Status.RATE_LIMITED);
        clock.advance(Duration.ofMillis(1));
        assertThat(loginStatus(alice, "alice", "pw-alice")).isEqualTo(Status.SUCCESS);
    }

    @Test
    void theAddressLimitStillStopsOneAddressTryingManyNames() {
        start(b -> b.maxFailedLoginsPerIp(10));
        RegistryTestClient sprayer = registry.clientFrom(ATTACKER);
        for (int i = 0; i < 10; i++) {
            fail(sprayer, "user" + i, 1);
        }

        assertThat(loginStatus(sprayer, "user10", "pw")).isEqualTo(Status.RATE_LIMITED);
        assertThat(loginStatus(registry.clientFrom(NAT), "user10", "pw")).isEqualTo(Status.FAILURE);
    }
}
