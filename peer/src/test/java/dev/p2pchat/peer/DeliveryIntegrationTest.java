package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Messages survive broken links, unreachable peers and restarts, and are never shown twice. */
class DeliveryIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    FlakyProxy network;
    RunningPeer alice;
    RunningPeer bob;

    @BeforeEach
    void start() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"));
        alice = RunningPeer.loggedIn(registry, dir.resolve("alice"), "alice");
        // The proxy cuts only the way from alice to bob; bob dialling back would go around the outage.
        alice.peer.askForNoDialBacks();
        bob = bobBehindProxy();
        openChat();
    }

    /** Bob's server is reached through {@link #network}, which the tests break and repair. */
    private RunningPeer bobBehindProxy() throws Exception {
        network = new FlakyProxy();
        RunningPeer behind = RunningPeer.start(registry, dir.resolve("bob"),
                c -> c.withAdvertisedPort(network.port()));
        network.forwardTo(behind.peer.port());
        behind.peer.register("bob", "bob-pw".toCharArray());
        behind.peer.login("bob", "bob-pw".toCharArray());
        return behind;
    }

    private void openChat() throws PeerException {
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class);
        bob.peer.acceptChat("alice");
        alice.await(PeerEvent.ChatAccepted.class);
    }

    @AfterEach
    void stop() throws Exception {
        for (RunningPeer p : new RunningPeer[] {alice, bob}) {
            if (p != null) {
                p.close();
            }
        }
        if (network != null) {
            network.close();
        }
        registry.close();
    }

    @Test
    void messagesQueuedWhileTheLinkIsDownArriveExactlyOnceAfterward() throws Exception {
        String before = alice.peer.sendDirect("bob", "before");
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(before));

        network.down();
        List<String> queued = List.of(alice.peer.sendDirect("bob", "one"), alice.peer.sendDirect("bob", "two"),
                alice.peer.sendDirect("bob", "three"));
        await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2))
                .until(() -> alice.events(PeerEvent.Delivered.class).size() == 1);
        assertThat(outboxFiles(alice)).hasSize(3);

        network.up();
        for (String id : queued) {
            alice.await(PeerEvent.Delivered.class, d -> d.id().equals(id));
        }
        await().atMost(RunningPeer.WAIT).until(() -> bob.events(PeerEvent.DirectMessageReceived.class).size() == 4);
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).extracting(PeerEvent.DirectMessageReceived::text)
                .containsExactlyInAnyOrder("before", "one", "two", "three");
        assertThat(alice.events(PeerEvent.DeliveryFailed.class)).isEmpty();
        await().atMost(RunningPeer.WAIT).until(() -> outboxFiles(alice).isEmpty());
    }

    @Test
    void messageWhoseReceiptWasLostIsRetriedButShownOnce() throws Exception {
        String first = alice.peer.sendDirect("bob", "first");
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(first));

        network.swallowReplies(true);
        String lost = alice.peer.sendDirect("bob", "receipt will be lost");
        bob.await(PeerEvent.DirectMessageReceived.class, m -> m.id().equals(lost));
        network.swallowReplies(false);

        // No receipt within the request timeout: alice drops the link, reconnects and sends again.
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(lost));
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class, m -> m.id().equals(lost))).hasSize(1);
        assertThat(alice.events(PeerEvent.Delivered.class, d -> d.id().equals(lost))).hasSize(1);
    }

    @Test
    void messagesToAPeerUnreachablePastTheWindowGoToItsMailboxAndOnlyThose() throws Exception {
        alice.close();
        alice = RunningPeer.start(registry, dir.resolve("alice"),
                c -> new PeerConfig(c.registryHost(), c.registryPort(), c.registryFingerprint(), c.listenHost(), 0,
                        c.dataDir(), c.requestTimeout(), Duration.ofMillis(1500), c.retryBase(), c.retryMax(), 0));
        alice.peer.login("alice", "alice-pw".toCharArray());
        // Alice's close told bob the chat ended (CHAT_CLOSED, cause logout): ask again.
        bob.clearEvents();
        alice.peer.requestChat("bob");
        bob.await(PeerEvent.ChatRequested.class);
        bob.peer.acceptChat("alice");
        alice.await(PeerEvent.ChatAccepted.class);
        String delivered = alice.peer.sendDirect("bob", "while online");
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(delivered));

        bob.peer.crash(); // gone without a word (a clean close would tell alice the chat ended)
        String lost1 = alice.peer.sendDirect("bob", "after bob left 1");
        String lost2 = alice.peer.sendDirect("bob", "after bob left 2");

        // Unreachable for the whole window (or offline by the registry's word, whichever comes first): sealed and
        // left in bob's mailbox instead of failed.
        alice.await(PeerEvent.StoredForLater.class, f -> f.id().equals(lost1));
        alice.await(PeerEvent.StoredForLater.class, f -> f.id().equals(lost2));
        assertThat(alice.events(PeerEvent.StoredForLater.class)).extracting(PeerEvent.StoredForLater::id)
                .containsExactly(lost1, lost2);
        assertThat(alice.events(PeerEvent.DeliveryFailed.class)).isEmpty();
        assertThat(alice.events(PeerEvent.Delivered.class)).extracting(PeerEvent.Delivered::id)
                .containsExactly(delivered);
        assertThat(outboxFiles(alice)).isEmpty();
    }

    @Test
    void undeliveredMessagesAreSentAfterTheSenderRestarts() throws Exception {
        network.down();
        String pending = alice.peer.sendDirect("bob", "sent before a crash");
        await().atMost(RunningPeer.WAIT).until(() -> outboxFiles(alice).size() == 1);
        alice.close();

        network.up();
        alice = RunningPeer.start(registry, dir.resolve("alice"));
        alice.peer.askForNoDialBacks();
        alice.peer.login("alice", "alice-pw".toCharArray());

        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(pending));
        PeerEvent.DirectMessageReceived got = bob.await(PeerEvent.DirectMessageReceived.class);
        assertThat(got.id()).isEqualTo(pending);
        assertThat(got.text()).isEqualTo("sent before a crash");
        assertThat(outboxFiles(alice)).isEmpty();
    }

    @Test
    void peerPresentingAnotherCertificateThanTheRegistryListsIsRefused() throws Exception {
        Identity impostor = Identity.generate("impostor");
        try (SSLSocket socket = Tls.connect(Tls.mutual(impostor, PinnedCertificateTrust.expecting(bob.peer.fingerprint())),
                "127.0.0.1", network.port(), Duration.ofSeconds(3))) {
            PeerRequest.DirectMessage forged = new PeerRequest.DirectMessage("forged-1", "alice", "bob", Instant.now(),
                    "I am alice, honestly");
            FrameWriter.write(forged.toFrame(), socket.getOutputStream());
            FrameReader reader = new FrameReader(socket.getInputStream());
            Frame answer = reader.read();
            assertThat(Messages.decode(answer)).isInstanceOfSatisfying(ErrorReply.class,
                    e -> assertThat(e.status().code()).isEqualTo(403));
            assertThat(reader.read()).as("the link is closed after the refusal").isNull();
        }
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).isEmpty();
    }

    @Test
    void dataDirectoryAndOutboxArePrivateWhateverTheUmask() throws Exception {
        network.down();
        alice.peer.sendDirect("bob", "not for other local users");
        await().atMost(RunningPeer.WAIT).until(() -> outboxFiles(alice).size() == 1);

        assertThat(mode(alice.dataDir)).isEqualTo("rwx------");
        assertThat(mode(alice.dataDir.resolve("outbox"))).isEqualTo("rwx------");
        assertThat(mode(alice.dataDir.resolve("outbox").resolve("alice"))).isEqualTo("rwx------");
        assertThat(mode(outboxFiles(alice).get(0))).isEqualTo("rw-------");
    }

    private static String mode(Path p) throws Exception {
        return java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    private static List<Path> outboxFiles(RunningPeer p) throws Exception {
        Path box = p.dataDir.resolve("outbox");
        if (!Files.exists(box)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(box)) {
            return files.filter(f -> f.toString().endsWith(".msg")).toList();
        }
    }
}
