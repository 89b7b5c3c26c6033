package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest.ListType;
import dev.p2pchat.protocol.RoomSummary;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomsTest {
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
    void createRoomSucceedsWithoutJoiningIt() {
        RegistryReply.Creation created = alice.createRoom("lobby", null, 10, "general chat");

        assertThat(created.status()).isEqualTo(Status.SUCCESS);
        assertThat(created.roomName()).isEqualTo("lobby");
        assertThat(alice.search("alice").peer().room()).isNull();
        assertThat(alice.rooms(ListType.PARTIAL).rooms()).containsExactly(new RoomSummary("lobby", null, 0, 10, false));
    }

    @Test
    void createRoomRefusesATakenNameIgnoringCase() {
        alice.createRoom("lobby", null, 10, "");

        RegistryReply.Creation again = bob.createRoom("LOBBY", null, 5, "");

        assertThat(again.status()).isEqualTo(Status.EXIST);
    }

    @Test
    void createRoomRefusesAnInvalidNameSayingSo() {
        RegistryReply.Creation created = alice.createRoom("no spaces", null, 10, "");

        assertThat(created.status()).isEqualTo(Status.FAILURE);
        assertThat(created.reason()).contains("room name");
    }

    @Test
    void createRoomRefusesAnInvalidCapacitySayingSo() {
        RegistryReply.Creation created = alice.createRoom("lobby", null, 1, "");

        assertThat(created.status()).isEqualTo(Status.FAILURE);
        assertThat(created.reason()).contains("capacity");
    }

    @Test
    void createRoomRefusesATooLongDescriptionSayingSo() {
        RegistryReply.Creation created = alice.createRoom("lobby", null, 10, "x".repeat(201));

        assertThat(created.status()).isEqualTo(Status.FAILURE);
        assertThat(created.reason()).contains("description");
    }

    @Test
    void joinAnnouncesTheNewMemberToTheOthers() {
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);

        RegistryReply.Join join = bob.join("LOBBY", null);

        assertThat(join.status()).isEqualTo(Status.SUCCESS);
        assertThat(join.roomName()).isEqualTo("lobby");
        RegistryPush.RoomMemberJoined joined = alice.awaitPush(RegistryPush.RoomMemberJoined.class);
        assertThat(joined.roomName()).isEqualTo("lobby");
        assertThat(joined.member().username()).isEqualTo("bob");
        assertThat(joined.member().port()).isEqualTo(RegistryTestClient.PEER_PORT);
        assertThat(joined.member().fingerprint()).isEqualTo(RegistryTestClient.PEER_FINGERPRINT);
        assertThat(bob.drainPushes()).isEmpty();
    }

    @Test
    void joinRefusesAnUnknownRoom() {
        RegistryReply.Join join = alice.join("nowhere", null);

        assertThat(join.status()).isEqualTo(Status.FAILURE);
        assertThat(join.reason()).contains("no room");
    }

    @Test
    void joinRefusesWrongRoomPassword() {
        alice.createRoom("secret", "open-sesame", 10, "");

        RegistryReply.Join join = bob.join("secret", "guess");

        assertThat(join.status()).isEqualTo(Status.FAILURE);
        assertThat(join.reason()).contains("wrong password");
    }

    @Test
    void joinRefusesAMissingRoomPassword() {
        alice.createRoom("secret", "open-sesame", 10, "");

        RegistryReply.Join join = bob.join("secret", null);

        assertThat(join.status()).isEqualTo(Status.FAILURE);
        assertThat(join.reason()).contains("needs a password");
    }

    @Test
    void joinAcceptsTheRightRoomPassword() {
        alice.createRoom("secret", "open-sesame", 10, "");

        assertThat(bob.join("secret", "open-sesame").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void joinRefusesAFullRoom() {
        alice.createRoom("duo", null, 2, "");
        alice.join("duo", null);
        bob.join("duo", null);
        RegistryTestClient carol = registry.client();
        carol.registerAndLogin("carol");

        RegistryReply.Join join = carol.join("duo", null);

        assertThat(join.status()).isEqualTo(Status.FULL);
    }

    @Test
    void joinWhileInAnotherRoomKeepsThatRoom() {
        alice.createRoom("one", null, 10, "");
        alice.createRoom("two", null, 10, "");
        alice.join("one", null);

        RegistryReply.Join join = alice.join("two", null);

        assertThat(join.status()).isEqualTo(Status.SUCCESS);
        assertThat(bob.search("alice").allRooms()).containsExactly("one", "two");
    }

    @Test
    void joiningTheRoomYouAreInIsWrongState() {
        alice.createRoom("one", null, 10, "");
        alice.join("one", null);

        assertThat(alice.join("ONE", null).status()).isEqualTo(Status.WRONG_STATE);
    }

    @Test
    void exitAnnouncesTheDepartureToTheOthers() {
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);
        bob.join("lobby", null);
        alice.awaitPush(RegistryPush.RoomMemberJoined.class);

        RegistryReply.RoomExitResponse exit = bob.exit("lobby");

        assertThat(exit.status()).isEqualTo(Status.SUCCESS);
        RegistryPush.RoomMemberLeft left = alice.awaitPush(RegistryPush.RoomMemberLeft.class);
        assertThat(left.username()).isEqualTo("bob");
        assertThat(left.roomName()).isEqualTo("lobby");
        assertThat(bob.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void exitWithoutARoomNameLeavesTheCurrentRoom() {
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);

        RegistryReply.RoomExitResponse exit = alice.exit(null);

        assertThat(exit.status()).isEqualTo(Status.SUCCESS);
        assertThat(exit.roomName()).isEqualTo("lobby");
    }

    @Test
    void exitWhenNotInARoomFails() {
        RegistryReply.RoomExitResponse exit = alice.exit("lobby");

        assertThat(exit.status()).isEqualTo(Status.FAILURE);
        assertThat(exit.reason()).contains("not in a room");
    }

    @Test
    void exitNamingAnotherRoomFails() {
        alice.createRoom("one", null, 10, "");
        alice.join("one", null);

        RegistryReply.RoomExitResponse exit = alice.exit("two");

        assertThat(exit.status()).isEqualTo(Status.FAILURE);
        assertThat(alice.search("alice").peer().room()).isEqualTo("one");
    }

    @Test
    void roomsListIsNotFoundWhenThereAreNoRooms() {
        RegistryReply.RoomsList list = alice.rooms(ListType.PARTIAL);

        assertThat(list.status()).isEqualTo(Status.NOT_FOUND);
        assertThat(list.rooms()).isEmpty();
    }

    @Test
    void roomsListShowsLiveMemberCountsAndDetails() {
        alice.createRoom("beta", "pw", 5, "second room");
        alice.createRoom("alpha", null, 10, "first room");
        alice.join("beta", "pw");
        bob.join("beta", "pw");

        RegistryReply.RoomsList list = alice.rooms(ListType.DETAILED);

        assertThat(list.status()).isEqualTo(Status.FOUND);
        assertThat(list.rooms()).containsExactly(
                new RoomSummary("alpha", "first room", 0, 10, false),
                new RoomSummary("beta", "second room", 2, 5, true));
    }

    @Test
    void logoutTellsTheRoomAndKeepsTheConnectionUsable() {
        alice.createRoom("lobby", null, 10, "");
        alice.join("lobby", null);
        bob.join("lobby", null);
        alice.awaitPush(RegistryPush.RoomMemberJoined.class);

        assertThat(bob.logout().status()).isEqualTo(Status.SUCCESS);

        RegistryPush.UserLogout logout = alice.awaitPush(RegistryPush.UserLogout.class);
        assertThat(logout.username()).isEqualTo("bob");
        assertThat(logout.reason()).isNull();
        assertThat(alice.search("bob").status()).isEqualTo(Status.NOT_ONLINE);
        assertThat(alice.rooms(ListType.PARTIAL).rooms().getFirst().members()).isEqualTo(1);
        assertThat(bob.login("bob", "pw-bob").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void roomsListReflectsEachCreateJoinAndExitAtOnce() {
        assertThat(bob.rooms(ListType.DETAILED).status()).isEqualTo(Status.NOT_FOUND);
        alice.createRoom("lobby", null, 10, "general chat");
        assertThat(bob.rooms(ListType.DETAILED).rooms())
                .containsExactly(new RoomSummary("lobby", "general chat", 0, 10, false));

        alice.join("lobby", null);
        assertThat(bob.rooms(ListType.PARTIAL).rooms()).containsExactly(new RoomSummary("lobby", null, 1, 10, false));
        bob.createRoom("Attic", "secret", 3, "");
        assertThat(bob.rooms(ListType.DETAILED).rooms()).containsExactly(
                new RoomSummary("Attic", "", 0, 3, true), new RoomSummary("lobby", "general chat", 1, 10, false));

        alice.exit("lobby");
        assertThat(bob.rooms(ListType.PARTIAL).rooms()).containsExactly(
                new RoomSummary("Attic", null, 0, 3, false), new RoomSummary("lobby", null, 0, 10, false));
    }

    @Test
    void roomsCreatedBeforeARestartAreListedAndJoinableAfterIt() {
        alice.createRoom("lobby", null, 10, "general chat");

        registry = registry.restart();
        RegistryTestClient carol = registry.client();
        carol.registerAndLogin("carol");

        assertThat(carol.rooms(ListType.DETAILED).rooms())
                .containsExactly(new RoomSummary("lobby", "general chat", 0, 10, false));
        assertThat(carol.join("LOBBY", null).status()).isEqualTo(Status.SUCCESS);
        assertThat(carol.discover("lobby").peers()).extracting(p -> p.username() + "@" + p.room())
                .containsExactly("carol@lobby");
    }
}
