package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A room's backlog, with a real registry and real peers: a member who joins gets what was said recently from a
 * present member, signed by each author and verified before it is shown; what does not verify is dropped and counted.
 */
class RoomBacklogIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    final List<AutoCloseable> running = new ArrayList<>();

    @BeforeEach
    void start() {
        registry = TestRegistry.start(dir.resolve("registry"));
    }

    @AfterEach
    void stop() throws Exception {
        for (AutoCloseable c : running.reversed()) {
            c.close();
        }
        registry.close();
    }

    private RunningPeer user(String name) throws PeerException {
        RunningPeer p = RunningPeer.loggedIn(registry, dir.resolve(name), name);
        running.add(p);
        return p;
    }

    /** {@code author} says {@code text} in the lobby, and every one of {@code others} has it (and so keeps it). */
    private static String say(RunningPeer author, String text, RunningPeer... others) throws PeerException {
        String id = author.peer.sendToRoom("lobby", text);
        author.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(id));
        for (RunningPeer other : others) {
            other.await(PeerEvent.RoomMessageReceived.class, m -> m.id().equals(id));
        }
        return id;
    }

    private static List<String> backlogTexts(RunningPeer p) {
        return p.events(PeerEvent.RoomMessageReceived.class, PeerEvent.RoomMessageReceived::backlog).stream()
                .map(PeerEvent.RoomMessageReceived::text).toList();
    }

    @Test
    void joinerGetsTheRecentBacklogVerifiedAndMarkedExactlyOnce() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        alice.peer.joinRoom("lobby", null);
        bob.peer.joinRoom("lobby", null);
        await().atMost(RunningPeer.WAIT).until(() -> alice.peer.roomMembers("lobby").size() == 2);
        say(alice, "one", bob);
        say(bob, "two", alice);
        say(alice, "three", bob);
        RunningPeer carol = user("carol");

        carol.peer.joinRoom("lobby", null);

        PeerEvent.RoomBacklogReceived got = carol.await(PeerEvent.RoomBacklogReceived.class);
        assertThat(got.shown()).isEqualTo(3);
        assertThat(got.dropped()).isZero();
        assertThat(backlogTexts(carol)).containsExactly("one", "two", "three");
        assertThat(carol.events(PeerEvent.RoomMessageReceived.class, m -> m.text().equals("two")).getFirst().from())
                .isEqualTo("bob");
        assertThat(carol.peer.history("#lobby", 10)).extracting(h -> h.text()).containsExactly("one", "two", "three");

        // Back again: the backlog is asked for again, and nothing in it is shown twice.
        carol.peer.leaveRoom("lobby");
        carol.clearEvents();
        carol.peer.joinRoom("lobby", null);
        PeerEvent.RoomBacklogReceived again = carol.await(PeerEvent.RoomBacklogReceived.class);
        assertThat(again.shown()).isZero();
        assertThat(again.dropped()).isZero();
        assertThat(carol.events(PeerEvent.RoomMessageReceived.class)).isEmpty();
    }

    @Test
    void tamperedBacklogItemIsDroppedAndCountedAndTheRestShown() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        alice.peer.joinRoom("lobby", null);
        bob.peer.joinRoom("lobby", null);
        await().atMost(RunningPeer.WAIT).until(() -> alice.peer.roomMembers("lobby").size() == 2);
        say(alice, "genuine", bob);
        say(alice, "meet at noon", bob);
        alice.peer.logout(); // only bob is left to serve the backlog; alice's key still comes from the registry
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 1);
        // Bob relays alice's words altered: his history is his to change.
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + bob.dataDir.resolve(Peer.HISTORY_FILE));
             PreparedStatement s = db.prepareStatement("UPDATE messages SET text = ? WHERE text = ?")) {
            s.setString(1, "meet at midnight");
            s.setString(2, "meet at noon");
            assertThat(s.executeUpdate()).isEqualTo(1);
        }
        RunningPeer carol = user("carol");

        carol.peer.joinRoom("lobby", null);

        PeerEvent.RoomBacklogReceived got = carol.await(PeerEvent.RoomBacklogReceived.class);
        assertThat(got.from()).isEqualTo("bob");
        assertThat(got.shown()).isEqualTo(1);
        assertThat(got.dropped()).isEqualTo(1);
        assertThat(backlogTexts(carol)).containsExactly("genuine");
        assertThat(carol.peer.history("#lobby", 10)).extracting(h -> h.text()).containsExactly("genuine");
    }

    @Test
    void memberWithoutHistoryServesNothingSoTheJoinerAsksAnother() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer forgetful = RunningPeer.start(registry, dir.resolve("bob"), c -> c.withHistory(false));
        running.add(forgetful);
        forgetful.peer.register("bob", "bob-pw".toCharArray());
        forgetful.peer.login("bob", "bob-pw".toCharArray());
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        forgetful.peer.joinRoom("lobby", null);
        alice.peer.joinRoom("lobby", null);
        await().atMost(RunningPeer.WAIT).until(() -> alice.peer.roomMembers("lobby").size() == 2);
        say(alice, "kept by alice only", forgetful);
        RunningPeer carol = user("carol");

        carol.peer.joinRoom("lobby", null);

        PeerEvent.RoomBacklogReceived got = carol.await(PeerEvent.RoomBacklogReceived.class);
        assertThat(got.from()).isEqualTo("alice");
        assertThat(backlogTexts(carol)).containsExactly("kept by alice only");
        assertThat(carol.events(PeerEvent.RoomBacklogReceived.class)).hasSize(1);
    }
}
