package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.peer.contacts.Contact;
import dev.p2pchat.peer.contacts.Verification;
import dev.p2pchat.peer.registry.RegistryConnection;
import dev.p2pchat.peer.registry.RegistryTrust;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.security.CertificateText;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PasswordDigest;
import dev.p2pchat.security.SealedBox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Contacts' keys pinned on first use, with a real registry and real peers: a user who recreates their identity
 * (new data dir, same account) is caught, nothing goes to or comes from the new key until it is trusted, and the
 * safety numbers both sides compute are the same.
 */
class ContactsIntegrationTest {
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

    /** {@code name} logging in from {@code dataDir} (a new one: a new identity key for the same account). */
    private RunningPeer as(String name, String dataDir) throws PeerException {
        RunningPeer p = RunningPeer.start(registry, dir.resolve(dataDir));
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

    private void crash(RunningPeer peer, int stillOnline) {
        peer.peer.crash();
        await().atMost(RunningPeer.WAIT).until(() -> registry.onlineCount() == stillOnline);
    }

    private static Contact contact(RunningPeer of, String user) throws PeerException {
        return of.peer.contacts().stream().filter(c -> c.user().equals(user)).findFirst().orElseThrow();
    }

    @Test
    void aRecreatedIdentityHoldsMessagesUntilTrustedAndBothSidesSeeTheSameSafetyNumber() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        String oldKey = bob.peer.fingerprint();
        assertThat(contact(alice, "bob").fingerprint()).isEqualTo(oldKey);
        assertThat(contact(alice, "bob").state()).isEqualTo(Contact.State.UNVERIFIED);
        crash(bob, 1);
        RunningPeer newBob = as("bob", "bob-new");
        String newKey = newBob.peer.fingerprint();
        newBob.peer.logout();

        String id = alice.peer.sendDirect("bob", "is that really you?");

        PeerEvent.KeyChanged warning = alice.await(PeerEvent.KeyChanged.class, k -> k.user().equals("bob"));
        assertThat(warning.pinnedFingerprint()).isEqualTo(oldKey);
        assertThat(warning.offeredFingerprint()).isEqualTo(newKey);
        // Neither sent, nor sealed to the new key, nor failed: it waits (past the retries the lane makes).
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(30)).until(() ->
                alice.events(PeerEvent.StoredForLater.class).isEmpty()
                        && alice.events(PeerEvent.DeliveryFailed.class).isEmpty()
                        && alice.events(PeerEvent.Delivered.class).isEmpty()
                        && alice.peer.pendingDeliveries() == 1);
        assertThat(contact(alice, "bob").state()).isEqualTo(Contact.State.CHANGED);

        newBob.peer.login("bob", "bob-pw".toCharArray());
        Verification aliceSees = alice.peer.safetyNumber("bob");
        Verification bobSees = newBob.peer.safetyNumber("alice");
        newBob.peer.logout();
        assertThat(aliceSees.ofOfferedKey()).isTrue();
        assertThat(aliceSees.fingerprint()).isEqualTo(newKey);
        assertThat(aliceSees.safetyNumber()).matches("\\d{5}( \\d{5}){11}").isEqualTo(bobSees.safetyNumber());
        assertThatThrownBy(() -> alice.peer.markVerified("bob")).hasMessageContaining("/trust bob");

        alice.peer.trust("bob");

        alice.await(PeerEvent.StoredForLater.class, s -> s.id().equals(id));
        assertThat(contact(alice, "bob").fingerprint()).isEqualTo(newKey);
        assertThat(contact(alice, "bob").state()).isEqualTo(Contact.State.UNVERIFIED);
        newBob.peer.login("bob", "bob-pw".toCharArray());
        newBob.await(PeerEvent.DirectMessageReceived.class, m -> m.id().equals(id));
        alice.await(PeerEvent.Delivered.class, d -> d.id().equals(id));
    }

    @Test
    void aPeerPresentingAnotherKeyThanThePinnedOneCannotLinkEitherWay() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        crash(bob, 1);
        RunningPeer newBob = as("bob", "bob-new");

        newBob.peer.requestChat("alice");

        alice.await(PeerEvent.KeyChanged.class, k -> k.user().equals("bob"));
        newBob.await(PeerEvent.ChatRequestFailed.class, f -> f.to().equals("alice"));
        assertThat(alice.events(PeerEvent.ChatRequested.class)).isEmpty();
        assertThatThrownBy(() -> alice.peer.requestChat("bob")).isInstanceOf(PeerException.class)
                .hasMessageContaining("/trust bob");
    }

    @Test
    void aMailboxItemSealedWithAnUnpinnedKeyIsNotShownUntilTheKeyIsTrusted() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        alice.peer.logout();
        crash(bob, 0);
        Identity newBob = Identity.generate("p2pchat-peer");
        X509 aliceKey = new X509(Identity.loadOrCreate(alice.dataDir.resolve("identity"), "p2pchat-peer"));
        try (RegistryConnection raw = RegistryConnection.open("127.0.0.1", registry.port(),
                RegistryTrust.pinned(registry.fingerprint()), Duration.ofSeconds(5), new RegistryConnection.Handler() {
                    @Override
                    public void onPush(RegistryConnection c, RegistryPush push) {
                    }

                    @Override
                    public void onClosed(RegistryConnection c, String reason) {
                    }
                })) {
            Duration timeout = Duration.ofSeconds(5);
            raw.call(new RegistryRequest.Login("bob", PasswordDigest.sha256Hex("bob-pw".toCharArray()), 40000,
                    newBob.fingerprint(), CertificateText.encode(newBob.certificate())), timeout);
            PeerRequest.DirectMessage message = new PeerRequest.DirectMessage("m-1", "bob", "alice", Instant.now(),
                    "new phone, same bob");
            byte[] box = SealedBox.seal(newBob, aliceKey.identity().certificate(),
                    SealedBox.aad("bob", "alice", "m-1"), FrameWriter.encode(message.toFrame()));
            raw.call(new RegistryRequest.MailboxPut("alice", "m-1", null, Base64.getEncoder().encodeToString(box)),
                    timeout);
        }
        alice.clearEvents();

        alice.peer.login("alice", "alice-pw".toCharArray());

        PeerEvent.KeyChanged warning = alice.await(PeerEvent.KeyChanged.class, k -> k.user().equals("bob"));
        assertThat(warning.offeredFingerprint()).isEqualTo(newBob.fingerprint());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(30))
                .until(() -> alice.events(PeerEvent.DirectMessageReceived.class).isEmpty());

        alice.peer.trust("bob");

        PeerEvent.DirectMessageReceived shown = alice.await(PeerEvent.DirectMessageReceived.class,
                m -> m.id().equals("m-1"));
        assertThat(shown.text()).isEqualTo("new phone, same bob");
    }

    @Test
    void pinsAndVerificationSurviveARestartInAPrivateFile() throws Exception {
        RunningPeer alice = user("alice");
        RunningPeer bob = user("bob");
        openChat(alice, bob);
        String number = alice.peer.safetyNumber("bob").safetyNumber();
        assertThat(bob.peer.safetyNumber("alice").safetyNumber()).isEqualTo(number);
        alice.peer.markVerified("bob");
        alice.peer.close();

        RunningPeer again = as("alice", "alice");

        Contact bobAgain = contact(again, "bob");
        assertThat(bobAgain.fingerprint()).isEqualTo(bob.peer.fingerprint());
        assertThat(bobAgain.state()).isEqualTo(Contact.State.VERIFIED);
        assertThat(again.peer.safetyNumber("bob").safetyNumber()).isEqualTo(number);
        Path file = dir.resolve("alice").resolve("contacts");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }

    private record X509(Identity identity) {
    }
}
