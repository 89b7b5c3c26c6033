package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defect 15: only the members of a password room learn who is in it. */
class PasswordRoomPrivacyTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;
    RegistryTestClient alice;
    RegistryTestClient bob;
    RegistryTestClient eve;

    @BeforeEach
    void start() {
        registry = RunningRegistry.start(dataDir);
        alice = registry.client();
        alice.registerAndLogin("alice");
        bob = registry.client();
        bob.registerAndLogin("bob");
        eve = registry.client();
        eve.registerAndLogin("eve");
        assertThat(alice.createRoom("secret", "s3cret", 10, "").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.join("secret", "s3cret").status()).isEqualTo(Status.SUCCESS);
        assertThat(bob.join("secret", "s3cret").status()).isEqualTo(Status.SUCCESS);
    }

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aNonMemberCannotListAPasswordRoomsMembers() {
        RegistryReply.PeerList answer = eve.discover("secret");
        RegistryReply.PeerList noSuchRoom = eve.discover("no-such-room");

        assertThat(answer.peers()).isEmpty();
        assertThat(answer.status()).isEqualTo(Status.FAILURE);
        assertThat(answer.reason()).isEqualTo(noSuchRoom.reason().replace("no-such-room", "secret"))
                .as("the same answer as for a room that does not exist, so membership cannot be probed");
    }

    @Test
    void aMemberListsAPasswordRoomsMembers() {
        RegistryReply.PeerList answer = bob.discover("secret");

        assertThat(answer.status()).isEqualTo(Status.SUCCESS);
        assertThat(answer.peers()).extracting(PeerInfo::username).containsExactly("alice", "bob");
    }

    @Test
    void searchShowsAPasswordRoomOnlyToItsMembers() {
        assertThat(eve.search("alice").peer().room()).isNull();
        assertThat(bob.search("alice").peer().room()).isEqualTo("secret");
    }

    @Test
    void theListOfOnlinePeersShowsAPasswordRoomOnlyToItsMembers() {
        assertThat(eve.discover(null).peers()).filteredOn(p -> p.username().equals("alice"))
                .extracting(PeerInfo::room).containsOnlyNulls();
        assertThat(bob.discover(null).peers()).filteredOn(p -> p.username().equals("alice"))
                .extracting(PeerInfo::room).containsExactly("secret");
    }

    @Test
    void anOpenRoomsMembersStayVisibleToEveryone() {
        RegistryTestClient carol = registry.client();
        carol.registerAndLogin("carol");
        carol.createRoom("lobby", null, 10, "");
        carol.join("lobby", null);

        assertThat(eve.discover("lobby").peers()).extracting(PeerInfo::username).containsExactly("carol");
        assertThat(eve.search("carol").peer().room()).isEqualTo("lobby");
    }
}
