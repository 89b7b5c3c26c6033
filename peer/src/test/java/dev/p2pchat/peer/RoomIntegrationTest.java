package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.peer.outbox.Outbox;
import dev.p2pchat.peer.outbox.OutboxEntry;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RoomIntegrationTest {
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
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        for (RunningPeer p : List.of(alice, bob, carol)) {
            p.peer.joinRoom("lobby", null);
        }
        await().atMost(RunningPeer.WAIT).until(() -> alice.peer.roomMembers().size() == 3);
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
    void roomMessageReachesEveryOtherMemberExactlyOnceAndIsReported() throws PeerException {
        String id = alice.peer.sendToRoom("hello room");

        PeerEvent.RoomDeliveryReport report = alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id));
        assertThat(report.delivered()).isEqualTo(2);
        assertThat(report.members()).isEqualTo(2);
        assertThat(report.missing()).isEmpty();
        assertThat(alice.events(PeerEvent.Delivered.class, d -> d.id().equals(id)))
                .extracting(PeerEvent.Delivered::to).containsExactlyInAnyOrder("bob", "carol");
        for (RunningPeer receiver : List.of(bob, carol)) {
            PeerEvent.RoomMessageReceived got = receiver.await(PeerEvent.RoomMessageReceived.class);
            assertThat(got).extracting(PeerEvent.RoomMessageReceived::id, PeerEvent.RoomMessageReceived::room,
                    PeerEvent.RoomMessageReceived::from, PeerEvent.RoomMessageReceived::text)
                    .containsExactly(id, "lobby", "alice", "hello room");
            assertThat(receiver.events(PeerEvent.RoomMessageReceived.class)).hasSize(1);
        }
        assertThat(alice.events(PeerEvent.RoomMessageReceived.class)).isEmpty();
    }

    @Test
    void everyMemberCanSendAndTheMeshIsReused() throws PeerException {
        for (RunningPeer sender : List.of(alice, bob, carol)) {
            for (int i = 0; i < 3; i++) {
                String id = sender.peer.sendToRoom(sender.peer.username() + " #" + i);
                sender.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id) && r.delivered() == 2);
            }
        }
        for (RunningPeer receiver : List.of(alice, bob, carol)) {
            await().atMost(RunningPeer.WAIT).until(() -> receiver.events(PeerEvent.RoomMessageReceived.class).size() == 6);
        }
    }

    @Test
    void joiningAndLeavingAreReportedToTheOthers() throws PeerException {
        alice.peer.leaveRoom();
        assertThat(alice.peer.currentRoom()).isEmpty();
        PeerEvent.MemberLeft left = bob.await(PeerEvent.MemberLeft.class, e -> e.user().equals("alice"));
        assertThat(left.reason()).isEqualTo("left");
        assertThat(left.room()).isEqualTo("lobby");
        await().atMost(RunningPeer.WAIT).until(() -> bob.peer.roomMembers().size() == 2);

        alice.peer.joinRoom("lobby", null);
        bob.await(PeerEvent.MemberJoined.class, e -> e.user().equals("alice"));

        carol.peer.logout();
        PeerEvent.MemberLeft loggedOut = bob.await(PeerEvent.MemberLeft.class, e -> e.user().equals("carol"));
        assertThat(loggedOut.reason()).isEqualTo("logout");
        assertThat(bob.peer.roomMembers()).extracting(PeerInfo::username).containsExactlyInAnyOrder("alice", "bob");

        String id = bob.peer.sendToRoom("just us");
        PeerEvent.RoomDeliveryReport report = bob.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id));
        assertThat(report.members()).isEqualTo(1);
        assertThat(report.delivered()).isEqualTo(1);
    }

    @Test
    void roomRulesAreExplainedInPlainWords() throws PeerException {
        alice.peer.createRoom("duo", "secret".toCharArray(), 2, null);
        assertThatThrownBy(() -> alice.peer.createRoom("duo", null, 2, null)).hasMessage("Room 'duo' already exists.");
        alice.peer.leaveRoom();
        assertThatThrownBy(() -> alice.peer.joinRoom("duo", "wrong".toCharArray()))
                .hasMessage("Wrong password for room duo.");
        alice.peer.joinRoom("duo", "secret".toCharArray());
        bob.peer.leaveRoom();
        bob.peer.joinRoom("duo", "secret".toCharArray());
        carol.peer.leaveRoom();
        assertThatThrownBy(() -> carol.peer.joinRoom("duo", "secret".toCharArray()))
                .hasMessage("Room 'duo' is full.");
        assertThatThrownBy(() -> carol.peer.sendToRoom("hi")).hasMessageContaining("not in a room");
        assertThat(alice.peer.rooms(true)).extracting(r -> r.name()).contains("lobby", "duo");
    }

    @Test
    void sessionsStayAliveThroughKeepAlives() {
        await().during(TestRegistry.KEEPALIVE_TIMEOUT.plusMillis(500)).atMost(Duration.ofSeconds(10))
                .until(() -> registry.onlineCount() == 3);
        assertThat(bob.events(PeerEvent.MemberLeft.class)).isEmpty();
    }

    @Test
    void peersReconnectAfterRegistryRestartAndRoomMessagesFlowAgain() throws PeerException {
        registry.restart();

        for (RunningPeer p : List.of(alice, bob, carol)) {
            p.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTING);
            p.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);
        }
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 3);
        for (RunningPeer p : List.of(alice, bob, carol)) {
            assertThat(p.peer.state()).isEqualTo(ConnectionState.CONNECTED);
            assertThat(p.peer.currentRoom()).contains("lobby");
        }
        await().atMost(RunningPeer.WAIT).until(() -> alice.peer.roomMembers().size() == 3);

        String id = alice.peer.sendToRoom("still here?");
        PeerEvent.RoomDeliveryReport report = alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id));
        assertThat(report.delivered()).isEqualTo(2);
        // The registry agrees the room is whole again.
        assertThat(bob.peer.rooms(false)).filteredOn(r -> r.name().equals("lobby"))
                .singleElement().extracting(r -> r.members()).isEqualTo(3);
    }

    @Test
    void registryRestartIsNotTakenForMembersLeavingButWhoeverStaysAwayIsReportedGone() throws PeerException {
        registry.stop();
        carol.peer.close(); // gone while the registry was down: nobody will tell the others
        registry.restart();
        for (RunningPeer p : List.of(alice, bob)) {
            p.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);
        }
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 2);
        assertThat(alice.peer.roomMembers()).extracting(PeerInfo::username).contains("bob");
        assertThat(bob.peer.roomMembers()).extracting(PeerInfo::username).contains("alice");

        String id = alice.peer.sendToRoom("anyone?");
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(id) && d.to().equals("bob"));
        for (RunningPeer p : List.of(alice, bob)) {
            p.await(PeerEvent.MemberLeft.class, e -> e.user().equals("carol"));
        }
        assertThat(alice.events(PeerEvent.MemberLeft.class)).extracting(PeerEvent.MemberLeft::user).containsOnly("carol");
        assertThat(bob.events(PeerEvent.MemberLeft.class)).extracting(PeerEvent.MemberLeft::user).containsOnly("carol");
    }

    @Test
    void passwordRoomIsRejoinedAfterRegistryRestart() throws PeerException {
        alice.peer.leaveRoom();
        bob.peer.leaveRoom();
        alice.peer.createRoom("vault", "secret".toCharArray(), 5, null);
        alice.peer.joinRoom("vault", "secret".toCharArray());
        bob.peer.joinRoom("vault", "secret".toCharArray());

        registry.restart();
        alice.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);
        bob.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);

        String id = bob.peer.sendToRoom("in the vault");
        assertThat(bob.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id)).delivered()).isEqualTo(1);
        assertThat(alice.await(PeerEvent.RoomMessageReceived.class).room()).isEqualTo("vault");
    }

    @Test
    void droppedRegistryConnectionResumesTheSameSession() throws PeerException {
        bob.peer.dropRegistryConnection();
        bob.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);
        assertThat(bob.peer.currentRoom()).contains("lobby");
        assertThat(alice.events(PeerEvent.MemberLeft.class)).isEmpty();
        String id = bob.peer.sendToRoom("back");
        assertThat(bob.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id)).delivered()).isEqualTo(2);
    }

    @Test
    void peerTimedOutByTheRegistryLogsInAgainAndRejoins() throws PeerException {
        bob.peer.silenceKeepAlive();

        PeerEvent.MemberLeft left = alice.await(PeerEvent.MemberLeft.class, e -> e.user().equals("bob"));
        assertThat(left.reason()).isEqualTo("timeout");
        bob.await(PeerEvent.ConnectionChanged.class, c -> c.state() == ConnectionState.RECONNECTED);
        alice.await(PeerEvent.MemberJoined.class, e -> e.user().equals("bob"));
        assertThat(bob.peer.username()).isEqualTo("bob");
        assertThat(bob.peer.currentRoom()).contains("lobby");

        String id = bob.peer.sendToRoom("I am back");
        assertThat(bob.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id)).delivered()).isEqualTo(2);
    }

    @Test
    void roomMessageFromSomeoneOutsideTheRoomIsRefused() throws Exception {
        carol.peer.leaveRoom();
        bob.await(PeerEvent.MemberLeft.class, e -> e.user().equals("carol"));
        // Carol, with her genuine certificate, claims to write to the lobby she has left.
        Identity carolsIdentity = Identity.loadOrCreate(
                carol.dataDir.resolve("identity"), "p2pchat-peer");
        try (SSLSocket socket = Tls.connect(Tls.mutual(
                        carolsIdentity, PinnedCertificateTrust.expecting(bob.peer.fingerprint())),
                "127.0.0.1", bob.peer.port(), Duration.ofSeconds(3))) {
            FrameWriter.write(new PeerRequest.DirectBroadcast("sneaky-1",
                    "carol", "lobby", Instant.now(), "psst").toFrame(), socket.getOutputStream());
            Frame answer = new FrameReader(socket.getInputStream()).read();
            assertThat(Messages.decode(answer)).isInstanceOfSatisfying(
                    PeerReply.DirectBroadcastNotification.class, n -> {
                        assertThat(n.status().code()).isEqualTo(404);
                        assertThat(n.reason()).contains("not a member");
                    });
        }
        assertThat(bob.events(PeerEvent.RoomMessageReceived.class)).isEmpty();
    }

    @Test
    void roomMessagesLeftInTheOutboxGoOutAfterTheSenderRestartsAndRejoins() throws Exception {
        alice.close();
        bob.await(PeerEvent.MemberLeft.class, e -> e.user().equals("alice"));
        // What a crash right after sending leaves behind: one record with both members still unsettled.
        Instant sentAt = Instant.now();
        OutboxEntry toBob = new OutboxEntry(OutboxEntry.Kind.ROOM, "left-over-1", "alice", "bob", "lobby", sentAt,
                sentAt.plus(RunningPeer.WAIT), "sent just before the crash");
        new Outbox(dir.resolve("alice").resolve("outbox")).add(List.of(toBob, toBob.withRecipient("carol")));

        alice = RunningPeer.start(registry, dir.resolve("alice"));
        alice.peer.login("alice", "alice-pw".toCharArray());
        // Bob and Carol would refuse a copy now ("alice is not a member"): it must wait for the rejoin.
        await().during(Duration.ofMillis(500)).atMost(RunningPeer.WAIT)
                .until(() -> alice.events(PeerEvent.DeliveryFailed.class).isEmpty());
        assertThat(alice.peer.pendingDeliveries()).isEqualTo(2);
        alice.peer.joinRoom("lobby", null);

        for (RunningPeer member : List.of(bob, carol)) {
            PeerEvent.RoomMessageReceived got = member.await(PeerEvent.RoomMessageReceived.class,
                    m -> m.id().equals("left-over-1"));
            assertThat(got.text()).isEqualTo("sent just before the crash");
        }
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals("left-over-1") && d.to().equals("carol"));
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals("left-over-1") && d.to().equals("bob"));
        assertThat(alice.events(PeerEvent.DeliveryFailed.class)).isEmpty();
    }
}
