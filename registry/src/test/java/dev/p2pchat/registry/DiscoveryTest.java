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

class DiscoveryTest {
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

    @Test
    void searchFindsAnOnlineUserWithWhereToReachIt() {
        alice.createRoom("lobby", null, 10, "");
        bob.join("lobby", null);

        RegistryReply.SearchUserResponse found = alice.search("bob");

        assertThat(found.status()).isEqualTo(Status.SUCCESS);
        assertThat(found.peer()).isEqualTo(new PeerInfo("bob", "lobby", bob.localIp(), RegistryTestClient.PEER_PORT,
                RegistryTestClient.PEER_FINGERPRINT));
    }

    @Test
    void searchReportsARegisteredUserWhoIsOffline() {
        alice.register("carol", "pw");

        assertThat(alice.search("carol").status()).isEqualTo(Status.NOT_ONLINE);
    }

    @Test
    void searchReportsAnUnknownUser() {
        assertThat(alice.search("nobody").status()).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void theRecordedIpIsTheObservedOneNotAClaim() {
        // The client claims nothing about its IP; the registry must use the TLS connection's remote address.
        assertThat(alice.search("bob").peer().ip()).isEqualTo("127.0.0.1");
    }

    @Test
    void discoverWithoutARoomListsEveryOtherOnlinePeer() {
        RegistryTestClient carol = registry.client();
        carol.registerAndLogin("carol");

        RegistryReply.PeerList list = alice.discover(null);

        assertThat(list.status()).isEqualTo(Status.SUCCESS);
        assertThat(list.peers()).extracting(PeerInfo::username).containsExactly("bob", "carol");
    }

    @Test
    void discoverARoomListsAllItsMembersIncludingTheCaller() {
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);
        bob.join("lobby", null);
        RegistryTestClient carol = registry.client();
        carol.registerAndLogin("carol");

        RegistryReply.PeerList list = carol.discover("LOBBY");

        assertThat(list.status()).isEqualTo(Status.SUCCESS);
        assertThat(list.roomName()).isEqualTo("lobby");
        assertThat(list.peers()).extracting(PeerInfo::username).containsExactly("alice", "bob");
        assertThat(list.peers()).allSatisfy(p -> assertThat(p.room()).isEqualTo("lobby"));
    }

    @Test
    void discoverAnEmptyRoomIsAnEmptyList() {
        alice.createRoom("lobby", null, 10, "");

        RegistryReply.PeerList list = alice.discover("lobby");

        assertThat(list.status()).isEqualTo(Status.SUCCESS);
        assertThat(list.peers()).isEmpty();
    }

    @Test
    void discoverAnUnknownRoomFails() {
        RegistryReply.PeerList list = alice.discover("nowhere");

        assertThat(list.status()).isEqualTo(Status.FAILURE);
        assertThat(list.reason()).contains("no room");
    }
}
