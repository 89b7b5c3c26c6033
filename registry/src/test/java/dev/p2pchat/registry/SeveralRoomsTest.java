package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A session in several rooms at once: alice in #alpha (with bob) and #beta (with carol). */
class SeveralRoomsTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;
    RegistryTestClient alice;
    RegistryTestClient bob;
    RegistryTestClient carol;
    RegistryReply.Auth aliceLogin;

    void start(int maxRoomsPerSession) {
        registry = RunningRegistry.start(dataDir, b -> b.maxRoomsPerSession(maxRoomsPerSession));
        alice = registry.client();
        aliceLogin = alice.registerAndLogin("alice");
        bob = registry.client();
        bob.registerAndLogin("bob");
        carol = registry.client();
        carol.registerAndLogin("carol");
        alice.createRoom("alpha", null, 10, "");
        alice.createRoom("beta", null, 10, "");
        assertThat(bob.join("alpha", null).status()).isEqualTo(Status.SUCCESS);
        assertThat(carol.join("beta", null).status()).isEqualTo(Status.SUCCESS);
    }

    void aliceJoinsBoth() {
        assertThat(alice.join("alpha", null).status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.join("beta", null).status()).isEqualTo(Status.SUCCESS);
    }

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    /** The pushes a client got so far: a request answered first proves every earlier push has arrived. */
    static List<Message> pushesSoFar(RegistryTestClient client) {
        client.search("alice");
        return client.drainPushes().stream().map(RegistryTestClient::decode).toList();
    }

    @Test
    void joiningASecondRoomKeepsTheFirstAndEachRoomHearsOnlyOfItself() {
        start(10);
        aliceJoinsBoth();

        assertThat(pushesSoFar(bob)).singleElement().isInstanceOfSatisfying(RegistryPush.RoomMemberJoined.class,
                j -> assertThat(j.roomName() + ":" + j.member().username()).isEqualTo("alpha:alice"));
        assertThat(pushesSoFar(carol)).singleElement().isInstanceOfSatisfying(RegistryPush.RoomMemberJoined.class,
                j -> assertThat(j.roomName() + ":" + j.member().username()).isEqualTo("beta:alice"));
        assertThat(bob.discover("alpha").peers()).extracting(PeerInfo::username).containsExactly("alice", "bob");
        assertThat(carol.discover("beta").peers()).extracting(PeerInfo::username).containsExactly("alice", "carol");
        RegistryReply.SearchUserResponse found = bob.search("alice");
        assertThat(found.allRooms()).containsExactly("alpha", "beta");
        assertThat(found.peer().room()).as("the one-room field keeps the first joined").isEqualTo("alpha");
    }

    @Test
    void exitingOneRoomKeepsTheOther() {
        start(10);
        aliceJoinsBoth();
        pushesSoFar(bob);
        pushesSoFar(carol);

        RegistryReply.RoomExitResponse exit = alice.exit("ALPHA");

        assertThat(exit.status()).isEqualTo(Status.SUCCESS);
        assertThat(exit.roomName()).isEqualTo("alpha");
        assertThat(pushesSoFar(bob)).containsExactly(new RegistryPush.RoomMemberLeft("alpha", "alice"));
        assertThat(pushesSoFar(carol)).isEmpty();
        assertThat(carol.discover("beta").peers()).extracting(PeerInfo::username).contains("alice");
        assertThat(bob.search("alice").allRooms()).containsExactly("beta");
    }

    @Test
    void exitWithoutARoomNameInSeveralRoomsAsksForTheNameAndLeavesNone() {
        start(10);
        aliceJoinsBoth();

        RegistryReply.RoomExitResponse exit = alice.exit(null);

        assertThat(exit.status()).isEqualTo(Status.WRONG_STATE);
        assertThat(exit.reason()).contains("name the room").contains("alpha").contains("beta");
        assertThat(bob.search("alice").allRooms()).containsExactly("alpha", "beta");
        alice.exit("alpha");
        assertThat(alice.exit(null).roomName()).as("in one room the name may be left out again").isEqualTo("beta");
    }

    @Test
    void aJoinBeyondTheCapIsRefusedWithTooManyRooms() {
        start(2);
        aliceJoinsBoth();
        alice.createRoom("gamma", null, 10, "");

        RegistryReply.Join join = alice.join("gamma", null);

        assertThat(join.status()).isEqualTo(Status.TOO_MANY_ROOMS);
        assertThat(join.status().code()).isEqualTo(409);
        assertThat(join.reason()).contains("2 rooms").contains("leave one first");
        alice.exit("alpha");
        assertThat(alice.join("gamma", null).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void logoutTellsEachRoom() {
        start(10);
        aliceJoinsBoth();
        pushesSoFar(bob);
        pushesSoFar(carol);

        alice.logout();

        assertThat(pushesSoFar(bob)).containsExactly(new RegistryPush.UserLogout("alice", "alpha", null));
        assertThat(pushesSoFar(carol)).containsExactly(new RegistryPush.UserLogout("alice", "beta", null));
    }

    @Test
    void resumeAfterARegistryRestartRestoresEveryRoom() {
        start(10);
        aliceJoinsBoth();

        registry = registry.restart();

        RegistryTestClient again = registry.client();
        RegistryReply.Auth resumed = again.resumeRooms("alice", aliceLogin.token(), List.of("alpha", "beta"));
        assertThat(resumed.status()).isEqualTo(Status.SUCCESS);
        assertThat(resumed.restoredRoom()).isEqualTo("alpha");
        assertThat(resumed.allRestoredRooms()).containsExactly("alpha", "beta");
        assertThat(again.search("alice").allRooms()).containsExactly("alpha", "beta");
    }

    @Test
    void searchShowsAPasswordRoomOnlyToItsMembers() {
        start(10);
        alice.createRoom("vault", "pw", 10, "");
        assertThat(bob.join("vault", "pw").status()).isEqualTo(Status.SUCCESS);
        alice.join("vault", "pw");
        alice.join("alpha", null);

        assertThat(bob.search("alice").allRooms()).containsExactly("vault", "alpha");
        RegistryReply.SearchUserResponse byCarol = carol.search("alice");
        assertThat(byCarol.allRooms()).containsExactly("alpha");
        assertThat(byCarol.peer().room()).isEqualTo("alpha");
        assertThat(carol.discover(null).peers()).filteredOn(p -> p.username().equals("alice"))
                .extracting(PeerInfo::room).containsExactly("alpha");
    }
}
