package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.PunchResult;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PUNCH: the registry tells both sides where the other's NAT maps its listening port (the observed IP, the
 * announced port) and when to dial; the user asked hears it in PUNCH_NOW, a little later than the asker.
 */
class PunchTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;
    RegistryTestClient alice;
    RegistryTestClient bob;

    @BeforeEach
    void start() {
        registry = RunningRegistry.start(dataDir);
        alice = registry.client();
        alice.registerAndLogin("alice");
        bob = registry.client();
        bob.registerAndLogin("bob");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private PunchResult askFor(RegistryTestClient asker, String username) {
        return asker.call(new RegistryRequest.Punch(username), PunchResult.class);
    }

    @Test
    void bothSidesAreToldTheOthersObservedAddressAndTheAskedOneDialsAfterTheAsker() {
        PunchResult result = askFor(alice, "BOB");
        assertThat(result.status()).isEqualTo(Status.SUCCESS);
        assertThat(result.username()).isEqualTo("bob");
        assertThat(result.observed()).isEqualTo(new Candidate(bob.localIp(), RegistryTestClient.PEER_PORT));

        RegistryPush.PunchNow push = bob.awaitPush(RegistryPush.PunchNow.class);
        assertThat(push.username()).isEqualTo("alice");
        assertThat(push.fingerprint()).isEqualTo(RegistryTestClient.PEER_FINGERPRINT);
        assertThat(push.observed()).isEqualTo(new Candidate(alice.localIp(), RegistryTestClient.PEER_PORT));
        assertThat(push.delay()).isGreaterThan(result.delay());
    }

    @Test
    void offlineUnknownAndSelfAreRefusedWithTheirOwnCodes() {
        RegistryTestClient carol = registry.client();
        carol.register("carol", "pw-carol");
        assertThat(askFor(alice, "carol").status()).isEqualTo(Status.NOT_ONLINE);
        assertThat(askFor(alice, "nobody").status()).isEqualTo(Status.NOT_FOUND);
        assertThat(askFor(alice, "Alice").status()).isEqualTo(Status.WRONG_STATE);
    }

    @Test
    void aSessionMayAskOnlyTwentyTimesAMinute() {
        for (int i = 0; i < 20; i++) {
            assertThat(askFor(alice, "bob").status()).isEqualTo(Status.SUCCESS);
        }
        PunchResult refused = askFor(alice, "bob");
        assertThat(refused.status()).isEqualTo(Status.RATE_LIMITED);
        assertThat(refused.reason()).contains("try again in");
        assertThat(askFor(bob, "alice").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void notLoggedInCallersAreRefused() {
        RegistryTestClient stranger = registry.client();
        stranger.callExpectingError(new RegistryRequest.Punch("bob"), Status.NOT_LOGGED_IN);
    }
}
