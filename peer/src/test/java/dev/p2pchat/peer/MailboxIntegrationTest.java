package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.peer.registry.RegistryConnection;
import dev.p2pchat.peer.registry.RegistryTrust;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.registry.service.MailboxSettings;
import dev.p2pchat.security.CertificateText;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PasswordDigest;
import dev.p2pchat.security.SealedBox;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Offline delivery through the registry's mailbox, with a real registry and real peers: messages to a partner
 * who is gone are sealed and stored, shown to it once when it comes back, and confirmed to the sender.
 */
class MailboxIntegrationTest {
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

    /** The same user again, from the same data directory (the same identity key), logging in. */
    private RunningPeer again(String name) throws PeerException {
        RunningPeer p = RunningPeer.start(registry, dir.resolve(name));
        running.add(p);
        p.peer.login(name, (name + "-pw").toCharArray());
        return p;
    }

    private static void openChat(RunningPeer asker, RunningPeer asked) throws PeerException {
        String askerName = asker.peer.username();
        asker.peer.requestChat(asked.peer.username());
        asked.await(PeerEvent.ChatRequested.class, e -> e.from().equals(askerName));
        asked.peer.acceptChat(askerName);
        asker.await(PeerEvent.ChatAccepted.class, e -> e.by().equals(asked.peer.username()));
    }

    /** Bob's peer stops without a word and the registry has noticed. */
    private void crash(RunningPeer bob) {
        bob.peer.crash();
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == 1);
    }

    @Test
    void messagesToAnOfflinePartnerAreStoredThenShownOnceInOrderAndConfirmed() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        crash(bob);

        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ids.add(alice.peer.sendDirect("bob", "while you were out " + i));
        }
        for (String id : ids) {
            assertThat(alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id)).to()).isEqualTo("bob");
        }
        assertThat(alice.events(PeerEvent.DeliveryFailed.class)).isEmpty();

        RunningPeer bobAgain = again("bob");

        await().atMost(RunningPeer.WAIT).until(() -> bobAgain.events(PeerEvent.DirectMessageReceived.class).size() >= 3);
        List<PeerEvent.DirectMessageReceived> got = bobAgain.events(PeerEvent.DirectMessageReceived.class);
        assertThat(got).extracting(PeerEvent.DirectMessageReceived::text)
                .containsExactly("while you were out 1", "while you were out 2", "while you were out 3");
        assertThat(got).allSatisfy(m -> {
            assertThat(m.from()).isEqualTo("alice");
            assertThat(m.whileAway()).isTrue();
        });
        for (String id : ids) {
            alice.await(PeerEvent.Delivered.class, d -> d.id().equals(id) && d.to().equals("bob"));
        }

        assertThat(alice.events(PeerEvent.Delivered.class)).hasSize(3);
    }

    @Test
    void messagesPendingWhenARoomPartnerTimesOutGoToItsMailboxInsteadOfFailing() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        alice.peer.createRoom("lobby", null, 10, "the lobby");
        alice.peer.joinRoom("lobby", null);
        bob.peer.joinRoom("lobby", null);
        openChat(alice, bob);

        bob.peer.crash();
        String id = alice.peer.sendDirect("bob", "are you still there?");

        alice.await(PeerEvent.ChatClosed.class, c -> c.with().equals("bob"));
        assertThat(alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id)).to()).isEqualTo("bob");
        assertThat(alice.events(PeerEvent.DeliveryFailed.class)).isEmpty();
        RunningPeer bobAgain = again("bob");
        bobAgain.await(PeerEvent.DirectMessageReceived.class, m -> m.id().equals(id));
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(id));
    }

    @Test
    void receiptReachesASenderThatWasOfflineThroughItsOwnMailbox() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        crash(bob);
        String id = alice.peer.sendDirect("bob", "see you tomorrow");
        alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id));
        alice.peer.logout();

        RunningPeer bobAgain = again("bob");
        bobAgain.await(PeerEvent.DirectMessageReceived.class, m -> m.id().equals(id));
        alice.clearEvents();
        alice.peer.login("alice", "alice-pw".toCharArray());

        PeerEvent.Delivered delivered = alice.await(PeerEvent.Delivered.class, d -> d.id().equals(id));
        assertThat(delivered.to()).isEqualTo("bob");
    }

    @Test
    void messageLeftUnreadPastItsTimeToLiveIsReportedNotDelivered() throws Exception {
        registry.close();
        registry = TestRegistry.start(dir.resolve("registry-short"), b -> b.mailbox(
                MailboxSettings.DEFAULTS.withTtl(Duration.ofSeconds(1))
                        .withSweepInterval(Duration.ofMillis(100))));
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        crash(bob);
        String id = alice.peer.sendDirect("bob", "only for a second");
        alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id));

        PeerEvent.DeliveryFailed failed = alice.await(PeerEvent.DeliveryFailed.class, f -> f.id().equals(id));

        assertThat(failed.to()).isEqualTo("bob");
        assertThat(failed.reason()).contains("expired");
    }

    @Test
    void itemsThatDoNotOpenAsTheirSendersOrClaimAnotherSenderAreDropped() throws Exception {
        RunningPeer bob = user("bob");
        user("alice");
        Identity mallory = Identity.generate("mallory");
        try (RegistryConnection raw = RegistryConnection.open(
                "127.0.0.1", registry.port(), RegistryTrust.pinned(registry.fingerprint()),
                Duration.ofSeconds(5), new RegistryConnection.Handler() {
                    @Override
                    public void onPush(RegistryConnection c,
                                       RegistryPush push) {
                    }

                    @Override
                    public void onClosed(RegistryConnection c, String reason) {
                    }
                })) {
            Duration timeout = Duration.ofSeconds(5);
            String digest = PasswordDigest.sha256Hex("mallory-pw".toCharArray());
            raw.call(new RegistryRequest.Register("mallory", digest), timeout);
            raw.call(new RegistryRequest.Login("mallory", digest, 40000, mallory.fingerprint(),
                    CertificateText.encode(mallory.certificate())), timeout);
            // Sealed by mallory (so it opens as hers) but claiming to be alice's message.
            PeerRequest.DirectMessage forged = new PeerRequest.DirectMessage(
                    "f-1", "alice", "bob", Instant.now(), "I am alice, honest");
            byte[] box = SealedBox.seal(mallory, bobCertificate(bob),
                    SealedBox.aad("mallory", "bob", "f-1"),
                    FrameWriter.encode(forged.toFrame()));
            raw.call(new RegistryRequest.MailboxPut("bob", "f-1", null,
                    Base64.getEncoder().encodeToString(box)), timeout);
            // Bytes that are no box of mallory's at all.
            raw.call(new RegistryRequest.MailboxPut("bob", "f-2", null,
                    Base64.getEncoder().encodeToString(new byte[200])), timeout);
        }

        // Items are taken in the order they were put: once the second is refused, the first was handled too.
        bob.await(PeerEvent.Notice.class, n -> n.text().contains("could not be verified"));
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).isEmpty();
    }

    private static X509Certificate bobCertificate(RunningPeer bob) throws Exception {
        return Identity.loadOrCreate(bob.dataDir.resolve("identity"), "p2pchat-peer")
                .certificate();
    }

    @Test
    void registryDiskHoldsNoTextOfAStoredMessage() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        crash(bob);
        String id = alice.peer.sendDirect("bob", "the password is swordfish");
        alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id));

        byte[] needle = "swordfish".getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.walk(dir.resolve("registry"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(contains(Files.readAllBytes(file), needle)).as(file.toString()).isFalse();
            }
        }
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
