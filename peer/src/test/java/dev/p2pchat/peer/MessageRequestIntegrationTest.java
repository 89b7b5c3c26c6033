package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Message requests, with a real registry and real peers: a message to someone offline with no open chat waits
 * sealed in their mailbox as a request, shown only once they accept it, and deleted unread if they reject it.
 */
class MessageRequestIntegrationTest {
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

    /** Bob has an account (and a key at the registry) but is logged out. */
    private RunningPeer awayBob() throws PeerException {
        RunningPeer bob = user("bob");
        bob.peer.logout();
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 1);
        bob.clearEvents();
        return bob;
    }

    private static void login(RunningPeer p, String name) throws PeerException {
        p.peer.login(name, (name + "-pw").toCharArray());
    }

    @Test
    void acceptedMessageRequestShowsTheMessageOpensTheChatAndConfirmsIt() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = awayBob();

        String id = alice.peer.sendMessageRequest("bob", "hello stranger").orElseThrow();
        alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id));
        login(bob, "bob");

        PeerEvent.MessageRequested requested = bob.await(PeerEvent.MessageRequested.class);
        assertThat(requested.from()).isEqualTo("alice");
        assertThat(requested.waiting()).isEqualTo(1);
        assertThat(bob.peer.pendingChatRequests()).containsExactly("alice");
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).isEmpty();

        bob.peer.acceptChat("alice");

        PeerEvent.DirectMessageReceived shown = bob.await(PeerEvent.DirectMessageReceived.class);
        assertThat(shown.text()).isEqualTo("hello stranger");
        assertThat(shown.whileAway()).isTrue();
        assertThat(bob.peer.openChats()).containsExactly("alice");
        assertThat(bob.peer.pendingChatRequests()).isEmpty();
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(id) && d.to().equals("bob"));
        alice.await(PeerEvent.ChatAccepted.class, a -> a.by().equals("bob"));

        String reply = bob.peer.sendDirect("alice", "hi, who is this?");
        alice.await(PeerEvent.DirectMessageReceived.class, m -> m.id().equals(reply));
        bob.await(PeerEvent.Delivered.class, d -> d.id().equals(reply));
    }

    @Test
    void rejectedMessageRequestIsDeletedUnreadAndNeverShown() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = awayBob();
        String id = alice.peer.sendMessageRequest("bob", "buy cheap watches").orElseThrow();
        alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id));
        login(bob, "bob");
        bob.await(PeerEvent.MessageRequested.class);

        bob.peer.rejectChat("alice");

        assertThat(bob.peer.pendingChatRequests()).isEmpty();
        assertThat(bob.peer.openChats()).isEmpty();
        // Gone at the registry too: at the next login only what alice sends afterwards is waiting.
        bob.peer.logout();
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 1);
        String later = alice.peer.sendMessageRequest("bob", "second try").orElseThrow();
        alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(later));
        bob.clearEvents();
        login(bob, "bob");
        assertThat(bob.await(PeerEvent.MessageRequested.class).waiting()).isEqualTo(1);
        bob.peer.acceptChat("alice");
        bob.await(PeerEvent.DirectMessageReceived.class);
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(later));

        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).extracting(PeerEvent.DirectMessageReceived::text)
                .containsExactly("second try");
        assertThat(bob.peer.history("@alice", 10)).extracting(h -> h.text()).containsExactly("second try");
        assertThat(alice.events(PeerEvent.Delivered.class, d -> d.id().equals(id))).isEmpty();
    }

    @Test
    void messageRequestToSomeoneOnlineSendsNothingSinceAChatRequestAsksThem() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");

        Optional<String> sent = alice.peer.sendMessageRequest("bob", "are you there?");

        assertThat(sent).isEmpty();
        assertThat(alice.peer.pendingDeliveries()).isZero();
        assertThat(bob.events(PeerEvent.MessageRequested.class)).isEmpty();
    }
}
