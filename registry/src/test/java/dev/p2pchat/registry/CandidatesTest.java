package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The candidates a peer announces at LOGIN / RESUME travel with its observed address wherever it is listed. */
class CandidatesTest {
    static final List<Candidate> BOBS = List.of(new Candidate("192.168.1.20", RegistryTestClient.PEER_PORT),
            new Candidate("fd00::20", RegistryTestClient.PEER_PORT));

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
        assertThat(bob.register("bob", "pw-bob").status()).isEqualTo(Status.SUCCESS);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    private RegistryReply.Auth bobLogsInWith(List<Candidate> candidates) {
        return bob.call(new RegistryRequest.Login("bob", RegistryTestClient.digest("pw-bob"),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT, candidates), RegistryReply.Auth.class);
    }

    @Test
    void searchAndDiscoverListTheAnnouncedCandidatesBesideTheObservedAddress() {
        assertThat(bobLogsInWith(BOBS).status()).isEqualTo(Status.SUCCESS);

        PeerInfo found = alice.search("bob").peer();
        assertThat(found.ip()).isEqualTo(bob.localIp());
        assertThat(found.port()).isEqualTo(RegistryTestClient.PEER_PORT);
        assertThat(found.candidates()).isEqualTo(BOBS);
        assertThat(found.dialOrder()).containsExactly(new Candidate(bob.localIp(), RegistryTestClient.PEER_PORT),
                BOBS.get(0), BOBS.get(1));

        assertThat(alice.discover(null).peers()).singleElement()
                .satisfies(p -> assertThat(p.candidates()).isEqualTo(BOBS));
    }

    @Test
    void roomMembersLearnTheCandidatesOfANewcomer() {
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);
        bobLogsInWith(BOBS);
        bob.join("lobby", null);

        RegistryPush.RoomMemberJoined joined = alice.awaitPush(RegistryPush.RoomMemberJoined.class);
        assertThat(joined.member().candidates()).isEqualTo(BOBS);
        assertThat(alice.discover("lobby").peers()).filteredOn(p -> p.username().equals("bob")).singleElement()
                .satisfies(p -> assertThat(p.candidates()).isEqualTo(BOBS));
    }

    @Test
    void resumeAnnouncesTheCandidatesAnew() {
        RegistryReply.Auth login = bobLogsInWith(BOBS);
        bob.close();
        List<Candidate> moved = List.of(new Candidate("10.1.2.3", RegistryTestClient.PEER_PORT));
        RegistryTestClient again = registry.client();
        RegistryReply.Auth resumed = again.call(new RegistryRequest.Resume("bob", login.token(),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT, null, moved), RegistryReply.Auth.class);
        assertThat(resumed.status()).isEqualTo(Status.SUCCESS);

        assertThat(alice.search("bob").peer().candidates()).isEqualTo(moved);
    }

    @Test
    void aPeerThatAnnouncesNothingIsListedAtItsObservedAddressOnly() {
        bobLogsInWith(List.of());
        assertThat(alice.search("bob").peer().candidates()).isEmpty();
        assertThat(alice.discover(null).toFrame().header("columns")).doesNotContain("candidates");
    }
}
