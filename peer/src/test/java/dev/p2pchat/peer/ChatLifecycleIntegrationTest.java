package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How one-to-one chats begin and end: bounded requests that expire, and partners told when a chat ends. */
class ChatLifecycleIntegrationTest {
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

    private static void openChat(RunningPeer asker, RunningPeer asked) throws PeerException {
        String askerName = asker.peer.username();
        asker.peer.requestChat(asked.peer.username());
        asked.await(PeerEvent.ChatRequested.class, e -> e.from().equals(askerName));
        asked.peer.acceptChat(askerName);
        asker.await(PeerEvent.ChatAccepted.class, e -> e.by().equals(asked.peer.username()));
    }

    // ---------------------------------------------------------------- defect 9: the other side is told

    @Test
    void closingAChatTellsThePartnerWhoStopsListingIt() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);

        bob.peer.closeChat("alice");

        PeerEvent.ChatClosed closed = alice.await(PeerEvent.ChatClosed.class);
        assertThat(closed.with()).isEqualTo("bob");
        assertThat(closed.reason()).isEqualTo("bob closed the chat");
        assertThat(alice.peer.openChats()).doesNotContain("bob");
    }

    @Test
    void loggingOutTellsThePartnerItWasALogout() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);

        bob.peer.logout();

        PeerEvent.ChatClosed closed = alice.await(PeerEvent.ChatClosed.class);
        assertThat(closed.reason()).isEqualTo("bob logged out");
        assertThat(alice.peer.openChats()).isEmpty();
    }

    @Test
    void messageToAPartnerTheRegistryKnowsIsOfflineGoesToItsMailboxAtOnceNotAfterTheWindow() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        bob.peer.crash();
        // Nobody told alice; the registry notices when bob's keep-alives stop.
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 1);

        String id = alice.peer.sendDirect("bob", "are you there?");

        // The delivery window is 20 s in these tests: stored well before it proves the registry was asked.
        PeerEvent.StoredForLater stored = alice.await(PeerEvent.StoredForLater.class, f -> f.id().equals(id));
        assertThat(stored.to()).isEqualTo("bob");
        assertThat(alice.events(PeerEvent.DeliveryFailed.class)).isEmpty();
    }

    @Test
    void partnerInTheSameRoomWhoTimesOutEndsTheChatAtTheRegistrysWord() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        alice.peer.joinRoom("lobby", null);
        bob.peer.joinRoom("lobby", null);
        openChat(alice, bob);

        bob.peer.crash();

        PeerEvent.ChatClosed closed = alice.await(PeerEvent.ChatClosed.class);
        assertThat(closed.reason()).isEqualTo("bob went offline (timed out)");
        assertThat(alice.peer.openChats()).isEmpty();
    }

    // ---------------------------------------------------------------- defect 7: bounded chat requests

    @Test
    void askingTheSameUserAgainWhileARequestIsPendingSendsNoSecondOne() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class);
        alice.peer.requestChat("bob");

        alice.await(PeerEvent.Notice.class, n -> n.text().contains("still waiting for an answer"));
        bob.peer.acceptChat("alice");
        alice.await(PeerEvent.ChatAccepted.class);
        assertThat(bob.events(PeerEvent.ChatRequested.class)).hasSize(1);
    }

    @Test
    void whenBothAskEachOtherTheChatSimplyOpens() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class);

        bob.peer.requestChat("alice");

        alice.await(PeerEvent.ChatAccepted.class, a -> a.by().equals("bob"));
        assertThat(alice.peer.openChats()).containsExactly("bob");
        assertThat(bob.peer.openChats()).containsExactly("alice");
        assertThat(bob.peer.pendingChatRequests()).isEmpty();
    }

    @Test
    void unansweredRequestExpiresAndTheAskerIsTold() throws Exception {
        RunningPeer alice = user("alice");
        List<PeerEvent> bobEvents = new CopyOnWriteArrayList<>();
        Peer bob = Peer.start(RunningPeer.config(registry, dir.resolve("bob")), bobEvents::add,
                Duration.ofMillis(300));
        running.add(bob);
        bob.register("bob", "bob-pw".toCharArray());
        bob.login("bob", "bob-pw".toCharArray());

        alice.peer.requestChat("bob");

        PeerEvent.ChatRequestFailed failed = alice.await(PeerEvent.ChatRequestFailed.class);
        assertThat(failed.reason()).contains("expired");
        assertThat(bob.pendingChatRequests()).isEmpty();
        await().atMost(RunningPeer.WAIT).until(() -> bobEvents.stream().anyMatch(
                e -> e instanceof PeerEvent.Notice n && n.text().contains("expired")));
    }

    @Test
    void aSecondRequestFromTheSameAskerWhileOneIsPendingIsRefused() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class);

        PeerReply second = askAsAlice(alice, bob);

        assertThat(second).isInstanceOfSatisfying(ErrorReply.class,
                e -> assertThat(e.status()).isEqualTo(Status.WRONG_STATE));
        assertThat(bob.peer.pendingChatRequests()).containsExactly("alice");
        assertThat(bob.events(PeerEvent.ChatRequested.class)).hasSize(1);
    }

    /** A CHAT_REQUEST written by hand with alice's real certificate, as a peer that ignores the rules would. */
    private static PeerReply askAsAlice(RunningPeer alice, RunningPeer bob) throws Exception {
        Identity identity = Identity.loadOrCreate(alice.dataDir.resolve("identity"), "p2pchat-peer");
        try (SSLSocket socket = Tls.connect(Tls.mutual(identity, PinnedCertificateTrust.expecting(
                bob.peer.fingerprint())), "127.0.0.1", bob.peer.port(), Duration.ofSeconds(3))) {
            FrameWriter.write(new PeerRequest.ChatRequest("alice", "bob").toFrame().withId("again-1"),
                    socket.getOutputStream());
            Frame answer = new FrameReader(socket.getInputStream()).read();
            return (PeerReply) Messages.decode(answer);
        }
    }
}
