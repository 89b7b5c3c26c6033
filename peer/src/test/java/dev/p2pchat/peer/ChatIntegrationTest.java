package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    RunningPeer alice;
    RunningPeer bob;

    @BeforeEach
    void start() throws PeerException {
        registry = TestRegistry.start(dir.resolve("registry"));
        alice = RunningPeer.loggedIn(registry, dir.resolve("alice"), "alice");
        bob = RunningPeer.loggedIn(registry, dir.resolve("bob"), "bob");
    }

    @AfterEach
    void stop() {
        if (alice != null) {
            alice.close();
        }
        if (bob != null) {
            bob.close();
        }
        registry.close();
    }

    @Test
    void registeredUserLogsInAndIsFoundOnline() throws PeerException {
        assertThat(alice.peer.username()).isEqualTo("alice");
        assertThat(alice.peer.state()).isEqualTo(ConnectionState.CONNECTED);
        assertThat(alice.peer.search("bob").port()).isEqualTo(bob.peer.port());
        assertThat(alice.peer.search("bob").fingerprint()).isEqualTo(bob.peer.fingerprint());
        assertThat(alice.peer.onlineUsers()).extracting(p -> p.username()).contains("bob");
    }

    @Test
    void loginWithWrongPasswordIsRefusedWithAClearMessage() throws PeerException {
        try (RunningPeer carol = RunningPeer.start(registry, dir.resolve("carol"))) {
            carol.peer.register("carol", "right".toCharArray());
            assertThatThrownBy(() -> carol.peer.login("carol", "wrong".toCharArray()))
                    .isInstanceOf(PeerException.class).hasMessageContaining("rong username or password");
            assertThatThrownBy(() -> carol.peer.register("carol", "x".toCharArray()))
                    .isInstanceOf(PeerException.class).hasMessage("The username 'carol' is already taken.");
        }
    }

    @Test
    void acceptedChatCarriesMessagesBothWaysWithReceipts() throws PeerException {
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class, e -> e.from().equals("alice"));
        bob.peer.acceptChat("alice");
        alice.await(PeerEvent.ChatAccepted.class, e -> e.by().equals("bob"));

        String toBob = alice.peer.sendDirect("bob", "hello bob");
        PeerEvent.DirectMessageReceived got = bob.await(PeerEvent.DirectMessageReceived.class);
        assertThat(got.id()).isEqualTo(toBob);
        assertThat(got.from()).isEqualTo("alice");
        assertThat(got.text()).isEqualTo("hello bob");
        alice.await(PeerEvent.Delivered.class, e -> e.id().equals(toBob) && e.to().equals("bob"));

        String toAlice = bob.peer.sendDirect("alice", "hi alice");
        assertThat(alice.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("hi alice");
        bob.await(PeerEvent.Delivered.class, e -> e.id().equals(toAlice));
        assertThat(alice.peer.openChats()).containsExactly("bob");
        assertThat(bob.peer.openChats()).containsExactly("alice");
    }

    @Test
    void rejectedChatIsReportedAndAllowsNoMessages() throws PeerException {
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class);
        bob.peer.rejectChat("alice");
        alice.await(PeerEvent.ChatRejected.class, e -> e.by().equals("bob"));
        assertThat(alice.peer.openChats()).isEmpty();
        assertThatThrownBy(() -> alice.peer.sendDirect("bob", "hi"))
                .isInstanceOf(PeerException.class).hasMessageContaining("no open chat with bob");
    }

    @Test
    void directMessageWithoutAcceptedChatIsRefusedByTheRecipient() throws PeerException {
        // Alice believes a chat is open (e.g. bob restarted and forgot it); bob has none.
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class);
        bob.peer.acceptChat("alice");
        alice.await(PeerEvent.ChatAccepted.class);
        bob.peer.closeChat("alice");

        // Bob's close notice travels on its own thread: when it reaches alice first, her peer already knows and
        // refuses locally; otherwise bob's peer refuses the message. Either way nothing is shown to bob.
        String id;
        try {
            id = alice.peer.sendDirect("bob", "anyone there?");
        } catch (PeerException closedAlready) {
            assertThat(closedAlready).hasMessageContaining("no open chat with bob");
            id = null;
        }
        if (id != null) {
            String sent = id;
            PeerEvent.DeliveryFailed failed = alice.await(PeerEvent.DeliveryFailed.class, e -> e.id().equals(sent));
            assertThat(failed.reason()).contains("no open chat");
        }
        alice.await(PeerEvent.ChatClosed.class, e -> e.with().equals("bob"));
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).isEmpty();
        assertThat(alice.peer.openChats()).isEmpty();
    }

    @Test
    void searchForUnknownOrOfflineUserSaysSo() throws PeerException {
        assertThatThrownBy(() -> alice.peer.search("nobody")).hasMessage("There is no user named 'nobody'.");
        bob.peer.logout();
        assertThatThrownBy(() -> alice.peer.search("bob")).hasMessage("bob is not online.");
        assertThatThrownBy(() -> alice.peer.requestChat("bob")).hasMessage("bob is not online.");
    }

    @Test
    void severalChatsAtOnce() throws PeerException {
        try (RunningPeer carol = RunningPeer.loggedIn(registry, dir.resolve("carol"), "carol")) {
            alice.peer.requestChat("bob");
            alice.peer.requestChat("carol");
            bob.await(PeerEvent.ChatRequested.class);
            carol.await(PeerEvent.ChatRequested.class);
            bob.peer.acceptChat("alice");
            carol.peer.acceptChat("alice");
            await().atMost(RunningPeer.WAIT).until(() -> alice.peer.openChats().size() == 2);
            alice.peer.sendDirect("bob", "to bob");
            alice.peer.sendDirect("carol", "to carol");
            assertThat(bob.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("to bob");
            assertThat(carol.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("to carol");
        }
    }

    @Test
    void closedPeerLogsOutAndRefusesFurtherCalls() throws PeerException {
        bob.close();
        assertThat(bob.peer.state()).isEqualTo(ConnectionState.OFFLINE);
        assertThat(bob.events(PeerEvent.ConnectionChanged.class)).last()
                .isEqualTo(new PeerEvent.ConnectionChanged(ConnectionState.OFFLINE, "closed"));
        assertThatThrownBy(() -> bob.peer.rooms(false)).hasMessage("This peer has been shut down.");
        assertThatThrownBy(() -> alice.peer.search("bob")).hasMessage("bob is not online.");
    }
}
