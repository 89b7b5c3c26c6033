package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A link, once open, carries requests both ways: carol takes no links (as a peer behind a NAT cannot), so bob
 * can reach her only over the link she opened to him.
 */
class LinkBothWaysIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    RunningPeer bob;
    RunningPeer carol;

    @BeforeEach
    void start() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"));
        bob = RunningPeer.loggedIn(registry, dir.resolve("bob"), "bob");
        carol = RunningPeer.loggedIn(registry, dir.resolve("carol"), "carol");
        carol.stopListeningAndAwaitRefusal();
    }

    @AfterEach
    void stop() {
        for (RunningPeer p : new RunningPeer[] {bob, carol}) {
            if (p != null) {
                p.close();
            }
        }
        registry.close();
    }

    @Test
    void theAcceptingSideSendsOnTheLinkItAcceptedWhenTheOpenerCannotBeDialled() throws PeerException {
        carol.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class, e -> e.from().equals("carol"));
        bob.peer.acceptChat("carol");
        carol.await(PeerEvent.ChatAccepted.class, e -> e.by().equals("bob"));

        String toCarol = bob.peer.sendDirect("carol", "over your own link");
        PeerEvent.DirectMessageReceived got = carol.await(PeerEvent.DirectMessageReceived.class);
        assertThat(got.id()).isEqualTo(toCarol);
        assertThat(got.from()).isEqualTo("bob");
        assertThat(got.text()).isEqualTo("over your own link");
        bob.await(PeerEvent.Delivered.class, e -> e.id().equals(toCarol) && e.to().equals("carol"));

        String toBob = carol.peer.sendDirect("bob", "and back");
        assertThat(bob.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("and back");
        carol.await(PeerEvent.Delivered.class, e -> e.id().equals(toBob));
        assertThat(carol.events(PeerEvent.DirectMessageReceived.class)).hasSize(1);
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).hasSize(1);
    }

    @Test
    void aChatRequestTravelsBackOnTheLinkTheOtherSideOpened() throws PeerException {
        // Carol opens a link to bob with a room message; bob's chat request then reaches her over it.
        bob.peer.createRoom("lobby", null, 10, "the lobby");
        bob.peer.joinRoom("lobby", null);
        carol.peer.joinRoom("lobby", null);
        await().atMost(RunningPeer.WAIT).until(() -> bob.peer.roomMembers().size() == 2
                && carol.peer.roomMembers().size() == 2);
        String fromCarol = carol.peer.sendToRoom("hello from behind the NAT");
        assertThat(bob.await(PeerEvent.RoomMessageReceived.class).id()).isEqualTo(fromCarol);
        carol.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(fromCarol) && r.delivered() == 1);

        String fromBob = bob.peer.sendToRoom("hello back");
        assertThat(carol.await(PeerEvent.RoomMessageReceived.class).id()).isEqualTo(fromBob);
        bob.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(fromBob) && r.delivered() == 1);

        bob.peer.requestChat("carol");
        carol.await(PeerEvent.ChatRequested.class, e -> e.from().equals("bob"));
        carol.peer.acceptChat("bob");
        bob.await(PeerEvent.ChatAccepted.class, e -> e.by().equals("carol"));
        String toCarol = bob.peer.sendDirect("carol", "one to one");
        bob.await(PeerEvent.Delivered.class, e -> e.id().equals(toCarol));
        assertThat(carol.events(PeerEvent.DirectMessageReceived.class)).extracting(PeerEvent.DirectMessageReceived::text)
                .isEqualTo(List.of("one to one"));
    }
}
