package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.PeerInfo;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Alice in #alpha (with bob) and #beta (with carol) at once, real registry and real peers. */
class SeveralRoomsIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    RunningPeer alice;
    RunningPeer bob;
    RunningPeer carol;

    @BeforeEach
    void start() throws PeerException {
        registry = TestRegistry.start(dir.resolve("registry"));
        alice = RunningPeer.loggedIn(registry, dir.resolve("alice"), "alice");
        bob = RunningPeer.loggedIn(registry, dir.resolve("bob"), "bob");
        carol = RunningPeer.loggedIn(registry, dir.resolve("carol"), "carol");
        alice.peer.createRoom("alpha", null, 10, "");
        alice.peer.createRoom("beta", null, 10, "");
        bob.peer.joinRoom("alpha", null);
        carol.peer.joinRoom("beta", null);
        alice.peer.joinRoom("alpha", null);
        alice.peer.joinRoom("beta", null);
        await().atMost(RunningPeer.WAIT).until(() -> bob.peer.roomMembers("alpha").size() == 2
                && carol.peer.roomMembers("beta").size() == 2);
    }

    @AfterEach
    void stop() {
        for (RunningPeer p : new RunningPeer[] {alice, bob, carol}) {
            if (p != null) {
                p.close();
            }
        }
        registry.close();
    }

    @Test
    void joiningASecondRoomKeepsTheFirstWithItsMembers() {
        assertThat(alice.peer.joinedRooms()).containsExactly("alpha", "beta");
        assertThat(alice.peer.roomMembers("alpha")).extracting(PeerInfo::username)
                .containsExactlyInAnyOrder("alice", "bob");
        assertThat(alice.peer.roomMembers("beta")).extracting(PeerInfo::username)
                .containsExactlyInAnyOrder("alice", "carol");
    }

    @Test
    void aRoomMessageGoesToThatRoomsMembersOnlyAndNamesTheRoom() throws PeerException {
        String toAlpha = alice.peer.sendToRoom("alpha", "hi alpha");
        String toBeta = alice.peer.sendToRoom("beta", "hi beta");

        assertThat(alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(toAlpha)).delivered())
                .isEqualTo(1);
        assertThat(alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(toBeta)).delivered())
                .isEqualTo(1);
        PeerEvent.RoomMessageReceived atBob = bob.await(PeerEvent.RoomMessageReceived.class);
        PeerEvent.RoomMessageReceived atCarol = carol.await(PeerEvent.RoomMessageReceived.class);
        assertThat(atBob.room() + ":" + atBob.text()).isEqualTo("alpha:hi alpha");
        assertThat(atCarol.room() + ":" + atCarol.text()).isEqualTo("beta:hi beta");
        assertThat(bob.events(PeerEvent.RoomMessageReceived.class)).hasSize(1);
        assertThat(carol.events(PeerEvent.RoomMessageReceived.class)).hasSize(1);
    }

    @Test
    void messagesFromEachRoomArriveNamedForTheirRoom() throws PeerException {
        bob.peer.sendToRoom("from bob");
        carol.peer.sendToRoom("from carol");

        PeerEvent.RoomMessageReceived fromBob = alice.await(PeerEvent.RoomMessageReceived.class,
                m -> m.from().equals("bob"));
        PeerEvent.RoomMessageReceived fromCarol = alice.await(PeerEvent.RoomMessageReceived.class,
                m -> m.from().equals("carol"));
        assertThat(fromBob.room()).isEqualTo("alpha");
        assertThat(fromCarol.room()).isEqualTo("beta");
    }

    @Test
    void aMessageOrALeaveWithoutARoomNameIsRefusedWhenInSeveral() {
        assertThatThrownBy(() -> alice.peer.sendToRoom("which?")).hasMessageContaining("2 rooms");
        assertThatThrownBy(() -> alice.peer.leaveRoom()).hasMessageContaining("say which");
        assertThat(alice.peer.joinedRooms()).containsExactly("alpha", "beta");
    }

    @Test
    void leavingOneRoomKeepsTheOther() throws PeerException {
        alice.peer.leaveRoom("alpha");

        bob.await(PeerEvent.MemberLeft.class, e -> e.user().equals("alice") && e.room().equals("alpha"));
        assertThat(alice.peer.joinedRooms()).containsExactly("beta");
        String id = alice.peer.sendToRoom("still in beta");
        assertThat(alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id)).delivered()).isEqualTo(1);
        assertThat(carol.events(PeerEvent.MemberLeft.class)).isEmpty();
    }

    @Test
    void afterARegistryRestartEveryRoomIsRejoined() throws PeerException {
        registry.restart();

        for (RunningPeer p : List.of(alice, bob, carol)) {
            p.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);
        }
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 3);
        assertThat(alice.peer.joinedRooms()).containsExactly("alpha", "beta");
        await().atMost(RunningPeer.WAIT).until(() -> bob.peer.rooms(false).stream()
                .filter(r -> r.name().equals("alpha") || r.name().equals("beta"))
                .allMatch(r -> r.members() == 2));
        String id = alice.peer.sendToRoom("beta", "back in beta");
        assertThat(alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id)).delivered()).isEqualTo(1);
    }
}
