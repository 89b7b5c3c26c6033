package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The liveness and recovery promises, with real processes and real faults: a registry killed or stopped and
 * started again on the same ports, a peer killed, a peer-to-peer link broken under the peers, a recipient gone
 * for longer than the delivery window. Every process is {@code p2pchat} itself, driven in line mode.
 */
class ChatFaultToleranceTest {

    private static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(2);
    private static final Pattern PENDING = Pattern.compile("\\(pending ([0-9a-zA-Z-]+)\\)$");
    private static final Pattern PEER_SERVER_PORT = Pattern.compile("Peer server listening on [^ ]*:(\\d+)");

    @TempDir
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private RegistryProcess registry;

    @AfterEach
    void killEverything() throws Exception {
        for (AutoCloseable process : running.reversed()) {
            process.close();
        }
    }

    @Test
    void registryKilledWithSigkillIsRejoinedByAllPeersAndNoRoomMessageIsLost() throws Exception {
        startRegistry();
        List<RunningProcess> everyone = loggedInPeers("alice", "bob", "carol");
        inRoom("lobby", everyone);

        registry.kill();
        for (RunningProcess peer : everyone) {
            peer.awaitLine("! error: lost the registry");
        }
        Map<String, String> outageIds = new HashMap<>();
        for (RunningProcess sender : everyone) {
            for (int i = 1; i <= 2; i++) {
                String text = "outage " + i + " from " + sender.name();
                sender.send(text);
                outageIds.put(text, pendingId(sender.awaitLine("[room lobby] <" + sender.name() + "> " + text
                        + " (pending ")));
            }
        }
        registry = track(registry.restart());

        for (RunningProcess peer : everyone) {
            peer.awaitLine("* reconnected to the registry");
        }
        for (RunningProcess peer : everyone) {
            for (RunningProcess other : everyone) {
                if (other != peer) {
                    // The answer comes after the registry's push of the other's rejoining, so from here on
                    // this peer counts the other as a member again.
                    int mark = peer.lineCount();
                    peer.send("/search " + other.name());
                    peer.awaitLineAfter(mark, "* " + other.name() + " is online in room lobby");
                }
            }
        }
        for (RunningProcess sender : everyone) {
            String text = "after recovery from " + sender.name();
            sender.send(text);
            String id = pendingId(sender.awaitLine("[room lobby] <" + sender.name() + "> " + text + " (pending "));
            sender.awaitLine("✓ delivered " + id + " 2/2");
        }

        for (RunningProcess sender : everyone) {
            List<String> texts = List.of("outage 1 from " + sender.name(), "outage 2 from " + sender.name(),
                    "after recovery from " + sender.name());
            for (String text : texts) {
                for (RunningProcess receiver : everyone) {
                    if (receiver != sender) {
                        String line = "[room lobby] <" + sender.name() + "> " + text;
                        receiver.awaitLine(line);
                        assertThat(receiver.count(l -> l.endsWith(line)))
                                .as("%s gets \"%s\" once", receiver.name(), text).isEqualTo(1);
                    }
                }
            }
            for (String text : texts.subList(0, 2)) {
                sender.awaitLine("✓ delivered " + outageIds.get(text) + " 2/2");
            }
            assertThat(sender.lines()).noneMatch(line -> line.contains("✗ failed"));
            assertThat(sender.lines()).as("a registry restart is nobody leaving")
                    .noneMatch(line -> line.contains(" left lobby"));
        }
    }

    @Test
    void peerKilledWithSigkillIsSeenLeavingWithinTheTimeout() throws Exception {
        startRegistry();
        List<RunningProcess> everyone = loggedInPeers("alice", "bob", "carol");
        inRoom("lobby", everyone);
        RunningProcess alice = everyone.get(0);
        RunningProcess bob = everyone.get(1);
        RunningProcess carol = everyone.get(2);

        carol.kill();
        long killedAt = System.nanoTime();

        // The registry notices within the timeout plus one sweep; allow one more keep-alive interval of slack.
        Duration limit = KEEPALIVE_TIMEOUT.plus(KEEPALIVE_TIMEOUT.dividedBy(2));
        await().atMost(limit).pollInterval(Duration.ofMillis(20)).until(() ->
                alice.count(l -> l.endsWith("* carol timed out (left lobby)")) == 1
                        && bob.count(l -> l.endsWith("* carol timed out (left lobby)")) == 1);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(limit);

        alice.send("/search carol");
        alice.awaitLine("! error: carol is not online.");
    }

    @Test
    void brokenOneToOneLinkDeliversQueuedMessagesExactlyOnceInOrder() throws Exception {
        startRegistry();
        Path bobDir = tmp.resolve("bob");
        TcpRelay relay = track(new TcpRelay(() -> peerServerPort(bobDir)));
        // A wider window than the default 10 s: alice's first failed copy also waits (the request timeout) for a
        // dial-back that never comes (bob stands behind its relay on purpose and declines), and the copies must
        // still be in the outbox, not the mailbox, when the relay is back.
        RunningProcess alice = track(registry.startPeer("alice", tmp.resolve("alice"),
                Map.of("--delivery-window", "30s")));
        RunningProcess bob = track(registry.startPeer("bob", bobDir,
                Map.of("--advertised-port", String.valueOf(relay.port()))));
        logIn(List.of(alice, bob));
        alice.send("/chat bob");
        bob.awaitLine("* alice asks for a private chat");
        bob.send("/accept alice");
        alice.awaitLine("* bob accepted your chat request");

        alice.send("before the break");
        String before = pendingId(alice.awaitLine("[chat bob] <alice> before the break (pending "));
        alice.awaitLine("✓ delivered " + before + " to bob");

        relay.cut();
        List<String> queued = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            alice.send("queued " + i);
            queued.add(pendingId(alice.awaitLine("[chat bob] <alice> queued " + i + " (pending ")));
        }
        // Alice has dialled bob and failed (one dial serves every copy queued for him): they are queued, not sent.
        await().atMost(RunningProcess.STEP).until(() -> relay.refusedWhileCut() >= 1);
        assertThat(bob.lines()).noneMatch(line -> line.contains("queued"));
        relay.restore();

        List<Integer> arrivals = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String line = "[chat alice] <alice> queued " + i;
            bob.awaitLine(line);
            alice.awaitLine("✓ delivered " + queued.get(i - 1) + " to bob");
            assertThat(bob.count(l -> l.endsWith(line))).as("bob gets \"queued %d\" once", i).isEqualTo(1);
            arrivals.add(bob.lines().indexOf(bob.lines().stream().filter(l -> l.endsWith(line)).findFirst()
                    .orElseThrow()));
        }
        assertThat(arrivals).as("the order bob saw them in").isSorted();
        assertThat(alice.lines()).noneMatch(line -> line.contains("✗ failed"));
    }

    @Test
    void messagesToARecipientWhoCrashedWaitInItsMailboxAndArriveOnceInOrderWhenItIsBack() throws Exception {
        startRegistry();
        RunningProcess alice = track(registry.startPeer("alice", tmp.resolve("alice"),
                Map.of("--delivery-window", "3s")));
        RunningProcess bob = track(registry.startPeer("bob", tmp.resolve("bob")));
        logIn(List.of(alice, bob));
        alice.send("/chat bob");
        bob.awaitLine("* alice asks for a private chat");
        bob.send("/accept alice");
        alice.awaitLine("* bob accepted your chat request");

        alice.send("while bob is there");
        String early = pendingId(alice.awaitLine("[chat bob] <alice> while bob is there (pending "));
        alice.awaitLine("✓ delivered " + early + " to bob");

        bob.kill(); // bob's peer is not running while alice writes
        List<String> late = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            alice.send("after bob is gone " + i);
            late.add(pendingId(alice.awaitLine("[chat bob] <alice> after bob is gone " + i + " (pending ")));
        }
        for (String id : late) {
            // Once the registry says bob is offline, or at the window's end, whichever comes first: sealed and
            // left in bob's mailbox.
            alice.awaitLine("✉ stored " + id + " for bob (offline)");
        }

        RunningProcess bobAgain = track(registry.startPeer("bob", tmp.resolve("bob")));
        bobAgain.send("/login bob secret-bob");
        bobAgain.awaitLine("* logged in as bob");

        List<Integer> arrivals = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String line = "[chat alice] <alice> (while you were away) after bob is gone " + i;
            bobAgain.awaitLine(line);
            alice.awaitLine("✓ delivered " + late.get(i - 1) + " to bob");
            assertThat(bobAgain.count(l -> l.endsWith(line))).as("bob gets message %d once", i).isEqualTo(1);
            arrivals.add(bobAgain.lines().indexOf(bobAgain.lines().stream().filter(l -> l.endsWith(line))
                    .findFirst().orElseThrow()));
        }
        assertThat(arrivals).as("the order bob saw them in").isSorted();
        assertThat(alice.lines()).noneMatch(line -> line.contains("✗ failed"));
        for (String id : late) {
            assertThat(alice.count(l -> l.contains("✓ delivered " + id + " to bob"))).isEqualTo(1);
        }
    }

    @Test
    void receiptsOfMessagesReadWhileTheSenderWasStoppedReachItWhenItStartsAgain() throws Exception {
        startRegistry();
        RunningProcess alice = track(registry.startPeer("alice", tmp.resolve("alice"),
                Map.of("--delivery-window", "3s")));
        RunningProcess bob = track(registry.startPeer("bob", tmp.resolve("bob")));
        logIn(List.of(alice, bob));
        alice.send("/chat bob");
        bob.awaitLine("* alice asks for a private chat");
        bob.send("/accept alice");
        alice.awaitLine("* bob accepted your chat request");
        bob.kill();
        List<String> late = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            alice.send("before you wake " + i);
            late.add(pendingId(alice.awaitLine("[chat bob] <alice> before you wake " + i + " (pending ")));
        }
        for (String id : late) {
            alice.awaitLine("✉ stored " + id + " for bob (offline)");
        }
        alice.send("/quit");
        assertThat(alice.awaitExit()).isZero();

        RunningProcess bobAgain = track(registry.startPeer("bob", tmp.resolve("bob")));
        bobAgain.send("/login bob secret-bob");
        for (int i = 1; i <= 3; i++) {
            bobAgain.awaitLine("[chat alice] <alice> (while you were away) before you wake " + i);
        }
        RunningProcess aliceAgain = track(registry.startPeer("alice", tmp.resolve("alice")));
        aliceAgain.send("/login alice secret-alice");

        for (String id : late) {
            aliceAgain.awaitLine("✓ delivered " + id + " to bob");
        }
        assertThat(aliceAgain.lines()).noneMatch(line -> line.contains("✗ failed"));
    }

    @Test
    void messageStoredJustBeforeTheRegistryIsKilledIsStillDelivered() throws Exception {
        startRegistry();
        RunningProcess alice = track(registry.startPeer("alice", tmp.resolve("alice"),
                Map.of("--delivery-window", "3s")));
        RunningProcess bob = track(registry.startPeer("bob", tmp.resolve("bob")));
        logIn(List.of(alice, bob));
        alice.send("/chat bob");
        bob.awaitLine("* alice asks for a private chat");
        bob.send("/accept alice");
        alice.awaitLine("* bob accepted your chat request");
        bob.kill();
        alice.send("kept through a crash");
        String id = pendingId(alice.awaitLine("[chat bob] <alice> kept through a crash (pending "));
        alice.awaitLine("✉ stored " + id + " for bob (offline)");

        registry.kill(); // SIGKILL right after STORED: no shutdown, no flush
        registry = track(registry.restart());
        RunningProcess bobAgain = track(registry.startPeer("bob", tmp.resolve("bob")));
        bobAgain.send("/login bob secret-bob");

        bobAgain.awaitLine("[chat alice] <alice> (while you were away) kept through a crash");
        alice.awaitLine("✓ delivered " + id + " to bob");
    }

    @Test
    void gracefulRegistryShutdownMakesPeersReconnectAtOnce() throws Exception {
        startRegistry();
        List<RunningProcess> everyone = loggedInPeers("alice", "bob");
        inRoom("lobby", everyone);

        registry.terminate();
        for (RunningProcess peer : everyone) {
            // Printed as soon as SHUTDOWN arrives, before the registry has even gone.
            peer.awaitLine(line -> line.contains("! error: lost the registry: the registry is shutting down")
                    && line.endsWith("reconnecting…"), "the shutdown notice");
        }
        registry = track(registry.restart());
        for (RunningProcess peer : everyone) {
            peer.awaitLine("* reconnected to the registry");
        }
        RunningProcess alice = everyone.get(0);
        int mark = alice.lineCount();
        alice.send("/search bob");
        alice.awaitLineAfter(mark, "* bob is online in room lobby");
        alice.send("back again");
        String id = pendingId(alice.awaitLine("[room lobby] <alice> back again (pending "));
        alice.awaitLine("✓ delivered " + id + " 1/1");
        everyone.get(1).awaitLine("[room lobby] <alice> back again");
    }

    // ---------------------------------------------------------------- fixtures

    private void startRegistry() throws Exception {
        registry = track(RegistryProcess.start(tmp.resolve("registry"),
                "--keepalive-timeout", KEEPALIVE_TIMEOUT.toMillis() + "ms"));
    }

    /** Starts the peers together (their JVMs start in parallel), then registers and logs each in. */
    private List<RunningProcess> loggedInPeers(String... names) throws Exception {
        List<RunningProcess> peers = new ArrayList<>();
        for (String name : names) {
            peers.add(track(registry.startPeer(name, tmp.resolve(name))));
        }
        logIn(peers);
        return peers;
    }

    private static void logIn(List<RunningProcess> peers) {
        for (RunningProcess peer : peers) {
            peer.send("/register " + peer.name() + " secret-" + peer.name());
        }
        for (RunningProcess peer : peers) {
            peer.awaitLine("* registered " + peer.name());
            peer.send("/login " + peer.name() + " secret-" + peer.name());
        }
        for (RunningProcess peer : peers) {
            peer.awaitLine("* logged in as " + peer.name());
        }
    }

    /** The first peer creates the room, then all join one after the other; each sees all the others. */
    private static void inRoom(String room, List<RunningProcess> peers) {
        peers.getFirst().send("/create " + room);
        peers.getFirst().awaitLine("* created room " + room);
        for (RunningProcess peer : peers) {
            peer.send("/join " + room);
            peer.awaitLine("* joined " + room);
        }
        for (RunningProcess peer : peers) {
            for (RunningProcess other : peers.subList(peers.indexOf(peer) + 1, peers.size())) {
                peer.awaitLine("* " + other.name() + " joined " + room);
            }
        }
    }

    /** The port a peer's own server really listens on, from its log (its advertised port may differ). */
    private static int peerServerPort(Path peerDir) {
        try {
            Matcher m = PEER_SERVER_PORT.matcher(Files.readString(peerDir.resolve("data").resolve("peer.log")));
            if (!m.find()) {
                throw new IllegalStateException("the peer has not logged its port yet");
            }
            return Integer.parseInt(m.group(1));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static String pendingId(String line) {
        Matcher m = PENDING.matcher(line);
        assertThat(m.find()).as("a pending id in %s", line).isTrue();
        return m.group(1);
    }

    private <T extends AutoCloseable> T track(T process) {
        running.add(process);
        return process;
    }
}
