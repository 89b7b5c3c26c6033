package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.service.MailboxSettings;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.SealedBox;
import dev.p2pchat.transport.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry's mailboxes over real TLS with SQLite: what is stored, pushed, acknowledged, refused and expired. */
class MailboxTest {
    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @TempDir
    Path dataDir;

    private RunningRegistry registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private void start(UnaryOperator<MailboxSettings> mailbox) {
        registry = RunningRegistry.start(dataDir, b -> b.mailbox(mailbox.apply(MailboxSettings.DEFAULTS)));
    }

    private static String sealed(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static RegistryReply.MailboxPutResult put(RegistryTestClient client, String to, String id, String sealed) {
        return client.call(new RegistryRequest.MailboxPut(to, id, null, sealed), RegistryReply.MailboxPutResult.class);
    }

    private RegistryTestClient online(String name) {
        RegistryTestClient client = registry.client();
        client.registerAndLogin(name);
        return client;
    }

    private RegistryTestClient registered(String name) {
        RegistryTestClient client = registry.client();
        assertThat(client.register(name, "pw-" + name).status()).isEqualTo(Status.SUCCESS);
        return client;
    }

    /** Registered, then logged in presenting {@code identity}'s key and {@code certificate}. */
    private RegistryTestClient onlineWithCertificate(String name, Identity identity, String certificate) {
        RegistryTestClient client = registered(name);
        RegistryReply.Auth auth = client.call(new RegistryRequest.Login(name, RegistryTestClient.digest("pw-" + name),
                RegistryTestClient.PEER_PORT, identity.fingerprint(), certificate), RegistryReply.Auth.class);
        assertThat(auth.status()).isEqualTo(Status.SUCCESS);
        return client;
    }

    /** A request answered after every push already queued: pushes before it have all arrived. */
    private static void settle(RegistryTestClient client) {
        client.search("nobody-at-all");
    }

    @Test
    void itemForAnOfflineUserIsPushedAfterTheAuthSuccessOfItsLogin() {
        start(m -> m);
        RegistryTestClient alice = online("alice");
        RegistryTestClient bobConnection = registered("bob");

        RegistryReply.MailboxPutResult stored = put(alice, "bob", "m-1", sealed("box one"));

        assertThat(stored.status()).isEqualTo(Status.STORED);
        assertThat(stored.expires()).isAfter(Instant.now().plus(Duration.ofDays(6)));
        assertThat(bobConnection.login("bob", "pw-bob").status()).isEqualTo(Status.SUCCESS);
        RegistryPush.MailboxItem item = bobConnection.awaitPush(RegistryPush.MailboxItem.class);
        assertThat(item.itemId()).isEqualTo("m-1");
        assertThat(item.senderUsername()).isEqualTo("alice");
        assertThat(item.sealed()).isEqualTo(sealed("box one"));
        List<String> order = bobConnection.arrivals();
        assertThat(order.indexOf("AUTH SUCCESS 200")).isGreaterThanOrEqualTo(0)
                .isLessThan(order.indexOf("MAILBOX_ITEM"));
    }

    @Test
    void itemForAnOnlineUserIsPushedAtOnce() {
        start(m -> m);
        RegistryTestClient alice = online("alice");
        RegistryTestClient bob = online("bob");

        assertThat(put(alice, "BOB", "m-1", sealed("now")).status()).isEqualTo(Status.STORED);

        assertThat(bob.awaitPush(RegistryPush.MailboxItem.class).itemId()).isEqualTo("m-1");
    }

    @Test
    void acknowledgedItemsAreDeletedAndUnacknowledgedOnesComeAgain() {
        start(m -> m);
        RegistryTestClient alice = online("alice");
        registered("bob");
        put(alice, "bob", "m-1", sealed("one"));
        put(alice, "bob", "m-2", sealed("two"));
        RegistryTestClient bob = registry.client();
        bob.login("bob", "pw-bob");
        assertThat(bob.awaitPush(RegistryPush.MailboxItem.class).itemId()).isEqualTo("m-1");
        assertThat(bob.awaitPush(RegistryPush.MailboxItem.class).itemId()).isEqualTo("m-2");

        RegistryReply.MailboxAckResult ack = bob.call(new RegistryRequest.MailboxAck(
                List.of(new RegistryRequest.MailboxAck.Item("Alice", "m-1"))), RegistryReply.MailboxAckResult.class);
        assertThat(ack.status()).isEqualTo(Status.SUCCESS);
        bob.logout();
        bob.login("bob", "pw-bob");

        assertThat(bob.awaitPush(RegistryPush.MailboxItem.class).itemId()).isEqualTo("m-2");
        settle(bob);
        assertThat(bob.drainPushes()).isEmpty();
    }

    @Test
    void aFullMailboxIsPushedInBudgetsThatEachAcknowledgementRefills() {
        start(m -> m.withPutsPerMinute(100));
        RegistryTestClient alice = online("alice");
        registered("bob");
        String big = Base64.getEncoder().encodeToString(new byte[Limits.MAX_SEALED_ITEM_BYTES]);
        int items = 40; // 320 KiB: more than one connection may have in flight (256 KiB)
        for (int i = 0; i < items; i++) {
            assertThat(put(alice, "bob", "m-" + i, big).status()).isEqualTo(Status.STORED);
        }
        RegistryTestClient bob = registry.client();
        bob.login("bob", "pw-bob");
        settle(bob);
        List<Frame> first = bob.drainPushes();
        assertThat(first).hasSize(32);

        List<RegistryRequest.MailboxAck.Item> acks = first.stream()
                .map(f -> new RegistryRequest.MailboxAck.Item("alice", f.header("item_id"))).toList();
        bob.call(new RegistryRequest.MailboxAck(acks), RegistryReply.MailboxAckResult.class);
        settle(bob);

        assertThat(bob.drainPushes()).extracting(f -> f.header("item_id"))
                .containsExactly("m-32", "m-33", "m-34", "m-35", "m-36", "m-37", "m-38", "m-39");
    }

    @Test
    void repeatedPutOfOneIdIsStoredOnce() {
        start(m -> m);
        RegistryTestClient alice = online("alice");
        registered("bob");

        RegistryReply.MailboxPutResult first = put(alice, "bob", "m-1", sealed("once"));
        RegistryReply.MailboxPutResult again = put(alice, "bob", "m-1", sealed("once"));

        assertThat(again.status()).isEqualTo(Status.STORED);
        assertThat(again.expires()).isEqualTo(first.expires());
        RegistryTestClient bob = registry.client();
        bob.login("bob", "pw-bob");
        bob.awaitPush(RegistryPush.MailboxItem.class);
        settle(bob);
        assertThat(bob.drainPushes()).isEmpty();
    }

    @Test
    void fullMailboxIsRefusedByCountAndByBytes() {
        start(m -> m.withQuota(2, 40));
        RegistryTestClient alice = online("alice");
        registered("bob");
        registered("carol");

        assertThat(put(alice, "bob", "m-1", sealed("0123456789")).status()).isEqualTo(Status.STORED);
        assertThat(put(alice, "bob", "m-2", sealed("0123456789")).status()).isEqualTo(Status.STORED);
        RegistryReply.MailboxPutResult third = put(alice, "bob", "m-3", sealed("x"));
        RegistryReply.MailboxPutResult big = put(alice, "carol", "m-4", sealed("x".repeat(41)));

        assertThat(third.status()).isEqualTo(Status.MAILBOX_FULL);
        assertThat(third.reason()).contains("2 items");
        assertThat(big.status()).isEqualTo(Status.MAILBOX_FULL);
        assertThat(put(alice, "carol", "m-5", sealed("x".repeat(40))).status()).isEqualTo(Status.STORED);
    }

    @Test
    void itemOverTheSizeLimitIsTooLarge() {
        start(m -> m);
        RegistryTestClient alice = online("alice");
        registered("bob");

        String tooBig = Base64.getEncoder().encodeToString(new byte[Limits.MAX_SEALED_ITEM_BYTES + 1]);
        String largest = Base64.getEncoder().encodeToString(new byte[Limits.MAX_SEALED_ITEM_BYTES]);

        assertThat(put(alice, "bob", "m-1", tooBig).status()).isEqualTo(Status.TOO_LARGE);
        assertThat(put(alice, "bob", "m-2", largest).status()).isEqualTo(Status.STORED);
    }

    @Test
    void senderPuttingTooFastIsRateLimited() {
        start(m -> m.withPutsPerMinute(3));
        RegistryTestClient alice = online("alice");
        RegistryTestClient carol = online("carol");
        registered("bob");

        for (int i = 0; i < 3; i++) {
            assertThat(put(alice, "bob", "m-" + i, sealed("hi")).status()).isEqualTo(Status.STORED);
        }

        assertThat(put(alice, "bob", "m-3", sealed("hi")).status()).isEqualTo(Status.RATE_LIMITED);
        assertThat(put(carol, "bob", "c-1", sealed("hi")).status()).as("another sender").isEqualTo(Status.STORED);
    }

    @Test
    void itemForNoSuchUserIsNotFound() {
        start(m -> m);
        RegistryTestClient alice = online("alice");

        assertThat(put(alice, "nobody", "m-1", sealed("hi")).status()).isEqualTo(Status.NOT_FOUND);
    }

    @Test
    void putNeedsALogin() {
        start(m -> m);
        RegistryTestClient stranger = registry.client();

        stranger.callExpectingError(new RegistryRequest.MailboxPut("bob", "m-1", null, sealed("hi")),
                Status.NOT_LOGGED_IN);
    }

    @Test
    void expiredItemIsDeletedAndItsOnlineSenderTold() {
        MutableClock clock = new MutableClock();
        registry = RunningRegistry.start(dataDir, clock, b -> b.mailbox(MailboxSettings.DEFAULTS
                .withTtl(Duration.ofHours(1)).withSweepInterval(Duration.ofMillis(50))));
        RegistryTestClient alice = online("alice");
        registered("bob");
        put(alice, "bob", "m-1", sealed("too late"));

        clock.advance(Duration.ofHours(2));

        RegistryPush.MailboxExpired expired = alice.awaitPush(RegistryPush.MailboxExpired.class);
        assertThat(expired.recipientUsername()).isEqualTo("bob");
        assertThat(expired.itemId()).isEqualTo("m-1");
        RegistryTestClient bob = registry.client();
        bob.login("bob", "pw-bob");
        settle(bob);
        assertThat(bob.drainPushes()).isEmpty();
    }

    @Test
    void offlineSenderIsToldOfItsExpiredItemAfterItsNextLogin() {
        MutableClock clock = new MutableClock();
        registry = RunningRegistry.start(dataDir, clock, b -> b.mailbox(MailboxSettings.DEFAULTS
                .withTtl(Duration.ofHours(1)).withSweepInterval(Duration.ofMillis(50))));
        RegistryTestClient alice = online("alice");
        registered("bob");
        put(alice, "bob", "m-1", sealed("too late"), Duration.ofMinutes(5));
        alice.logout();

        clock.advance(Duration.ofMinutes(10));
        RegistryTestClient bob = registry.client();
        await().atMost(PATIENCE).untilAsserted(() -> {
            bob.login("bob", "pw-bob");
            settle(bob);
            List<Frame> pushes = bob.drainPushes();
            bob.logout();
            assertThat(pushes).isEmpty(); // the sweep has run once bob's mailbox is empty
        });
        alice.login("alice", "pw-alice");

        assertThat(alice.awaitPush(RegistryPush.MailboxExpired.class).itemId()).isEqualTo("m-1");
        List<String> order = alice.arrivals();
        assertThat(order.lastIndexOf("AUTH SUCCESS 200")).isLessThan(order.indexOf("MAILBOX_EXPIRED"));
        alice.logout();
        alice.login("alice", "pw-alice");
        settle(alice);
        assertThat(alice.drainPushes()).as("told once").isEmpty();
    }

    private static void put(RegistryTestClient client, String to, String id, String sealed, Duration ttl) {
        RegistryReply.MailboxPutResult result = client.call(new RegistryRequest.MailboxPut(to, id, ttl, sealed),
                RegistryReply.MailboxPutResult.class);
        assertThat(result.status()).isEqualTo(Status.STORED);
    }

    @Test
    void unacknowledgedItemOutlivesARegistryRestart() {
        start(m -> m);
        RegistryTestClient alice = online("alice");
        RegistryTestClient first = registered("bob");
        put(alice, "bob", "m-1", sealed("keep me"));
        first.login("bob", "pw-bob");
        first.awaitPush(RegistryPush.MailboxItem.class); // pushed, never acknowledged

        registry = registry.restart();

        RegistryTestClient bob = registry.client();
        bob.login("bob", "pw-bob");
        assertThat(bob.awaitPush(RegistryPush.MailboxItem.class).sealed()).isEqualTo(sealed("keep me"));
    }

    @Test
    void certificateFromLoginIsHandedOutWhileTheUserIsOffline() {
        start(m -> m);
        Identity identity = Identity.generate("bob");
        String certificate = Base64.getEncoder().encodeToString(encoded(identity));
        RegistryTestClient bob = onlineWithCertificate("bob", identity, certificate);
        RegistryTestClient alice = online("alice");

        RegistryReply.SearchUserResponse whileOnline = alice.search("bob");
        bob.logout();
        RegistryReply.SearchUserResponse whileOffline = alice.search("bob");

        assertThat(whileOnline.certificate()).isEqualTo(certificate);
        assertThat(whileOffline.status()).isEqualTo(Status.NOT_ONLINE);
        assertThat(whileOffline.certificate()).isEqualTo(certificate);
        assertThat(alice.search("alice").certificate()).as("logged in without one").isNull();
    }

    @Test
    void searchingAnOnlineUserReadsNothingFromTheStore() {
        FailingStore[] store = new FailingStore[1];
        registry = RunningRegistry.startWithStore(dataDir,
                dir -> store[0] = new FailingStore(dev.p2pchat.registry.store.SqliteRegistryStore.open(dir)));
        Identity identity = Identity.generate("bob");
        String certificate = Base64.getEncoder().encodeToString(encoded(identity));
        RegistryTestClient bob = onlineWithCertificate("bob", identity, certificate);
        RegistryTestClient alice = online("alice");
        int readsBefore = store[0].accountReads.get();

        for (int i = 0; i < 5; i++) {
            assertThat(alice.search("bob").certificate()).isEqualTo(certificate);
        }
        assertThat(alice.search("alice").certificate()).as("logged in without one").isNull();

        assertThat(store[0].accountReads).hasValue(readsBefore);
    }

    @Test
    void aLoginWithoutItsCertificateStillHasTheOneItsKeyLoggedInWithBefore() {
        start(m -> m);
        Identity identity = Identity.generate("bob");
        String certificate = Base64.getEncoder().encodeToString(encoded(identity));
        RegistryTestClient bob = onlineWithCertificate("bob", identity, certificate);
        bob.logout();
        RegistryTestClient again = registry.client();
        again.call(new RegistryRequest.Login("bob", RegistryTestClient.digest("pw-bob"), RegistryTestClient.PEER_PORT,
                identity.fingerprint()), RegistryReply.Auth.class);
        RegistryTestClient alice = online("alice");
        RegistryReply.SearchUserResponse sameKey = alice.search("bob");
        again.logout();
        again.call(new RegistryRequest.Login("bob", RegistryTestClient.digest("pw-bob"), RegistryTestClient.PEER_PORT,
                RegistryTestClient.PEER_FINGERPRINT), RegistryReply.Auth.class);
        RegistryReply.SearchUserResponse otherKey = alice.search("bob");

        assertThat(sameKey.certificate()).isEqualTo(certificate);
        assertThat(otherKey.status()).isEqualTo(Status.SUCCESS);
        assertThat(otherKey.certificate()).as("another key's certificate is never handed out").isNull();
    }

    @Test
    void certificateThatIsNotTheFingerprintsIsRefused() {
        start(m -> m);
        RegistryTestClient bob = registered("bob");
        String certificate = Base64.getEncoder().encodeToString(encoded(Identity.generate("bob")));
        // Bob's certificate beside another key's fingerprint: the record refuses to build it, so write the frame.
        Frame login = new RegistryRequest.Login("bob", RegistryTestClient.digest("pw-bob"),
                RegistryTestClient.PEER_PORT, RegistryTestClient.PEER_FINGERPRINT).toFrame();
        Frame forged = new Frame(login.verb(), null, login.headers().with("certificate", certificate), "");

        Frame answer = bob.exchange(forged);

        assertThat(RegistryTestClient.decode(answer)).isInstanceOfSatisfying(ErrorReply.class,
                e -> assertThat(e.status()).isEqualTo(Status.BAD_REQUEST));
    }

    @Test
    void databaseHoldsNoMessageText() throws Exception {
        start(m -> m);
        Identity aliceKey = Identity.generate("alice");
        Identity bobKey = Identity.generate("bob");
        String secret = "the secret word is marmalade";
        byte[] box = SealedBox.seal(aliceKey, bobKey.certificate(), SealedBox.aad("alice", "bob", "m-1"),
                secret.getBytes(StandardCharsets.UTF_8));
        RegistryTestClient alice = online("alice");
        registered("bob");

        assertThat(put(alice, "bob", "m-1", Base64.getEncoder().encodeToString(box)).status())
                .isEqualTo(Status.STORED);
        registry.close();
        registry = null;

        byte[] needle = "marmalade".getBytes(StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                assertThat(indexOf(Files.readAllBytes(file), needle)).as(file.toString()).isEqualTo(-1);
            }
        }
        assertThat(indexOf(Files.readAllBytes(dataDir.resolve("registry.db")), java.util.Arrays.copyOfRange(box,
                0, 65))).as("the sealed item is what is stored").isGreaterThanOrEqualTo(0);
    }

    private static byte[] encoded(Identity identity) {
        try {
            byte[] der = identity.certificate().getEncoded();
            assertThat(Fingerprints.sha256Hex(der)).isEqualTo(identity.fingerprint());
            return der;
        } catch (java.security.cert.CertificateEncodingException e) {
            throw new AssertionError(e);
        }
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
