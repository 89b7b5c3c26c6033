package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.ConnectBackResult;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CONNECT_BACK: the registry pushes DIAL_BACK, naming the asker and how to reach it, to the user asked. */
class ConnectBackTest {
    static final List<Candidate> ALICES = List.of(new Candidate("192.168.1.20", RegistryTestClient.PEER_PORT));

    @TempDir
    Path dataDir;
    RunningRegistry registry;
    RegistryTestClient alice;
    RegistryTestClient bob;

    @BeforeEach
    void start() {
        registry = RunningRegistry.start(dataDir);
        alice = registry.client();
        alice.register("alice", "pw-alice");
        alice.call(new RegistryRequest.Login("alice", RegistryTestClient.digest("pw-alice"),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT, ALICES),
                dev.p2pchat.protocol.RegistryReply.Auth.class);
        bob = registry.client();
        bob.registerAndLogin("bob");
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private ConnectBackResult askFor(RegistryTestClient asker, String username) {
        return asker.call(new RegistryRequest.ConnectBack(username), ConnectBackResult.class);
    }

    @Test
    void theUserAskedIsToldToDialTheAskerAtItsObservedAddressAndCandidatesWithItsFingerprint() {
        ConnectBackResult result = askFor(alice, "BOB");
        assertThat(result.status()).isEqualTo(Status.SUCCESS);

        RegistryPush.DialBack push = bob.awaitPush(RegistryPush.DialBack.class);
        assertThat(push.asker().username()).isEqualTo("alice");
        assertThat(push.asker().ip()).isEqualTo(alice.localIp());
        assertThat(push.asker().port()).isEqualTo(RegistryTestClient.PEER_PORT);
        assertThat(push.asker().fingerprint()).isEqualTo(RegistryTestClient.PEER_FINGERPRINT);
        assertThat(push.asker().candidates()).isEqualTo(ALICES);
        assertThat(push.asker().room()).isNull();
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
        ConnectBackResult refused = askFor(alice, "bob");
        assertThat(refused.status()).isEqualTo(Status.RATE_LIMITED);
        assertThat(refused.reason()).contains("try again in");
        // Another session is not held back by alice's.
        assertThat(askFor(bob, "alice").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void notLoggedInCallersAreRefused() {
        RegistryTestClient stranger = registry.client();
        stranger.callExpectingError(new RegistryRequest.ConnectBack("bob"), Status.NOT_LOGGED_IN);
    }
}
