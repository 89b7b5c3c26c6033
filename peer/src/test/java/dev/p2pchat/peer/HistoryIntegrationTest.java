package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.groups.Tuple.tuple;

import dev.p2pchat.peer.history.HistoryLine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The chat history on the peer, with a real registry and real peers: kept across restarts, searched, forgotten. */
class HistoryIntegrationTest {
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

    private RunningPeer again(String name) throws PeerException {
        RunningPeer p = RunningPeer.start(registry, dir.resolve(name));
        running.add(p);
        p.peer.login(name, (name + "-pw").toCharArray());
        return p;
    }

    /** Alice and bob talk privately and in #lobby; alice's peer stops afterwards. */
    private RunningPeer conversation() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        alice.peer.joinRoom("lobby", null);
        bob.peer.joinRoom("lobby", null);
        alice.await(PeerEvent.MemberJoined.class, j -> j.user().equals("bob"));
        bob.peer.requestChat("alice");
        alice.await(PeerEvent.ChatRequested.class, r -> r.from().equals("bob"));
        alice.peer.acceptChat("bob");
        bob.await(PeerEvent.ChatAccepted.class, a -> a.by().equals("alice"));

        String mine = alice.peer.sendDirect("bob", "see you at the station");
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(mine));
        bob.peer.sendDirect("alice", "Grüße aus München");
        alice.await(PeerEvent.DirectMessageReceived.class, m -> m.text().equals("Grüße aus München"));
        String toRoom = alice.peer.sendToRoom("привет всем");
        alice.await(PeerEvent.RoomDeliveryReport.class, r -> r.id().equals(toRoom));
        alice.peer.close();
        return alice;
    }

    @Test
    void conversationsSurviveARestartAndTheirLastLinesAreShownAtLogin() throws Exception {
        conversation();

        RunningPeer alice = again("alice");

        alice.await(PeerEvent.HistoryShown.class, h -> h.conversation().equals("#lobby"));
        List<PeerEvent.HistoryShown> shown = alice.events(PeerEvent.HistoryShown.class);
        assertThat(shown).extracting(PeerEvent.HistoryShown::conversation).containsExactly("@bob", "#lobby");
        assertThat(shown.get(0).lines()).extracting(HistoryLine::sender, HistoryLine::text, HistoryLine::state)
                .containsExactly(tuple("alice", "see you at the station", HistoryLine.State.DELIVERED),
                        tuple("bob", "Grüße aus München", HistoryLine.State.RECEIVED));
        HistoryLine roomLine = alice.peer.history("#lobby", 10).getFirst();
        assertThat(roomLine.state()).isEqualTo(HistoryLine.State.DELIVERED);
        assertThat(roomLine.deliveredTo()).containsExactly("bob");
    }

    @Test
    void searchFindsWordsOfAnEarlierConversationIncludingNonAsciiText() throws Exception {
        conversation();
        RunningPeer alice = again("alice");

        assertThat(alice.peer.searchHistory("münchen", 10)).extracting(HistoryLine::conversation, HistoryLine::sender)
                .containsExactly(tuple("@bob", "bob"));
        assertThat(alice.peer.searchHistory("ПРИВЕТ", 10)).extracting(HistoryLine::conversation)
                .containsExactly("#lobby");
        assertThat(alice.peer.searchHistory("station", 10)).extracting(HistoryLine::text)
                .containsExactly("see you at the station");
    }

    @Test
    void forgetDeletesOneConversationAndTheFileIsPrivate() throws Exception {
        conversation();
        RunningPeer alice = again("alice");

        assertThat(alice.peer.forgetHistory("@bob")).isEqualTo(2);

        assertThat(alice.peer.history("@bob", 10)).isEmpty();
        assertThat(alice.peer.searchHistory("münchen", 10)).isEmpty();
        assertThat(alice.peer.history("#lobby", 10)).hasSize(1);
        Path file = dir.resolve("alice").resolve(Peer.HISTORY_FILE);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void withoutHistoryNothingIsWritten() throws Exception {
        RunningPeer alice = RunningPeer.start(registry, dir.resolve("alice"), c -> c.withHistory(false));
        running.add(alice);
        alice.peer.register("alice", "alice-pw".toCharArray());
        alice.peer.login("alice", "alice-pw".toCharArray());

        assertThat(dir.resolve("alice").resolve(Peer.HISTORY_FILE)).doesNotExist();
        assertThatThrownBy(() -> alice.peer.history("@bob", 10)).hasMessageContaining("--no-history");
    }
}
