package dev.p2pchat.app;

import static dev.p2pchat.app.TestNetworkChat.deliver;
import static dev.p2pchat.app.TestNetworkChat.pendingId;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * How peers stay in touch with the registry and each other when the network misbehaves under them, on a simulated
 * internet ({@link TestNetwork}): a home router forgets the registry connection, a host moves to another address,
 * keep-alives get lost, users join one room at once, and a member drops off the network while messages are on their
 * way to it. Every peer is a real {@code p2pchat peer} process in line mode, on its own host; the registry times
 * sessions out after {@value #KEEPALIVE_TIMEOUT_MS} ms and peers ping it when it was silent for 2 s, so that each
 * case plays out in seconds.
 *
 * <pre>
 *   registry .1   pub1 .11   pub2 .12   pub3 .13 (moves)     (198.51.100.0/24)
 *        home1 .21 (NAT)
 *      h1a 192.168.1.11
 * </pre>
 */
class LivenessOnTestNetworkTest {
    private static final long KEEPALIVE_TIMEOUT_MS = 3000;
    /** Every peer here pings a registry connection silent for this long. */
    private static final String PING = "2s";

    static TestNetwork net;
    static RegistryProcess registry;
    static Path tmp;
    static TestNetworkChat chat;

    @BeforeAll
    static void buildTheNetwork() throws Exception {
        TestNetwork.assumeAvailable();
        tmp = Files.createTempDirectory("p2pchat-liveness");
        net = TestNetwork.create()
                .publicHost("registry", 1)
                .publicHost("pub1", 11)
                .publicHost("pub2", 12)
                .publicHost("pub3", 13)
                .homeRouter("home1", 21, "192.168.1")
                .hostBehind("home1", "192.168.1", "h1a", 11);
        registry = RegistryProcess.startOn(net.address("registry"), net.on("registry"), tmp.resolve("registry"),
                "--keepalive-timeout", KEEPALIVE_TIMEOUT_MS + "ms");
        chat = new TestNetworkChat(net, registry, tmp, Map.of("--registry-ping", PING));
    }

    @AfterAll
    static void tearDown() throws Exception {
        TestNetworkChat.closeAll(tmp, registry, net);
    }

    @AfterEach
    void stopPeers() {
        chat.closePeers();
    }

    @Test
    void aPeerWhoseRouterForgotItsRegistryConnectionReconnectsByItselfAndSeesWhoJoinedMeanwhile() throws Exception {
        RunningProcess nated = chat.loggedIn("h1a", "tcpA");
        RunningProcess open = chat.loggedIn("pub1", "tcpB");
        nated.send("/create stale");
        nated.awaitLine("* created room stale");
        join(nated, "stale");
        List<Integer> ports = net.establishedPorts("h1a", net.address("registry"), registry.port());
        assertThat(ports).as("tcpA's one registry connection").hasSize(1);

        // Keep-alives still pass (UDP, a mapping of its own), so the session lives on and nothing else notices.
        net.forgetTcpMapping("home1", "h1a", ports.getFirst());
        int mark = nated.lineCount();
        // The registry's push about this join hits the router's reset and is lost.
        join(open, "stale");

        nated.awaitLineAfter(mark, "lost the registry");
        nated.awaitLineAfter(mark, "* reconnected to the registry");
        awaitMembers(nated, "stale", "tcpA", "tcpB");
        String id = say(nated, "stale", "seen you");
        nated.awaitLine("✓ delivered " + id + " 1/1");
        open.awaitLine("[room stale] <tcpA> seen you");
    }

    @Test
    void aPeerThatMovedToAnotherAddressIsListedThereAndCanBeReachedAgain() throws Exception {
        RunningProcess mover = chat.loggedIn("pub3", "moveA");
        RunningProcess caller = chat.loggedIn("pub2", "moveB");
        int mark = mover.lineCount();

        net.changeAddress("pub3", 33);

        mover.awaitLineAfter(mark, "* reconnected to the registry");
        caller.send("/chat moveA");
        mover.awaitLine("* moveB asks for a private chat");
        mover.send("/accept moveB");
        mover.awaitLine("* chat with moveB is open");
        caller.awaitLine("* moveA accepted your chat request");
        deliver(caller, mover, "found you at your new address");
        deliver(mover, caller, "and I answer from it");
        int pathMark = caller.lineCount();
        caller.send("/path moveA");
        caller.awaitLineAfter(pathMark, "you dialled moveA at " + TestNetwork.PUBLIC_NET + ".33:");
    }

    @Test
    void keepAlivesOverALossyPathDoNotLetTheSessionTimeOut() throws Exception {
        // No TLS pings here: they count as signs of life too, and this is about the keep-alives alone.
        RunningProcess lossy = chat.loggedIn("pub1", "lossA", Map.of("--registry-ping", "1h"));
        RunningProcess watcher = chat.loggedIn("pub2", "lossB");
        lossy.send("/create lossy");
        lossy.awaitLine("* created room lossy");
        join(lossy, "lossy");
        join(watcher, "lossy");
        lossy.awaitLine("* lossB joined lossy");

        net.loseOutgoingUdp("pub1", 0.3);
        // Five timeouts' worth of keep-alives, each datagram lost with probability 0.3.
        await().during(Duration.ofMillis(5 * KEEPALIVE_TIMEOUT_MS)).atMost(Duration.ofMillis(8 * KEEPALIVE_TIMEOUT_MS))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> lossy.count(l -> l.contains("lost the registry")) == 0
                        && watcher.count(l -> l.contains("lossA timed out")) == 0);
        String id = say(lossy, "lossy", "still here");
        lossy.awaitLine("✓ delivered " + id + " 1/1");
    }

    @Test
    void threeUsersJoiningOneRoomAtOnceAllEndWithTheWholeMemberList() throws Exception {
        List<RunningProcess> three = List.of(chat.loggedIn("pub1", "raceA"), chat.loggedIn("pub2", "raceB"),
                chat.loggedIn("h1a", "raceC"));
        for (int round = 1; round <= 3; round++) {
            String room = "race" + round;
            three.getFirst().send("/create " + room);
            three.getFirst().awaitLine("* created room " + room);
            for (RunningProcess p : three) {
                p.send("/join " + room);
            }
            for (RunningProcess p : three) {
                p.awaitLine("* joined " + room);
            }
            for (RunningProcess p : three) {
                awaitMembers(p, room, "raceA", "raceB", "raceC");
            }
        }
    }

    @Test
    void copiesToAMemberWhoTimedOutAreKeptAndDeliveredInOrderOnceItRejoins() throws Exception {
        // A window long enough for the outage: the member must time out and come back inside it.
        RunningProcess sender = chat.loggedIn("pub1", "keepA", Map.of("--delivery-window", "90s"));
        RunningProcess other = chat.loggedIn("pub2", "keepB");
        RunningProcess away = chat.loggedIn("pub3", "keepC");
        sender.send("/create kept");
        sender.awaitLine("* created room kept");
        for (RunningProcess p : List.of(sender, other, away)) {
            join(p, "kept");
        }
        sender.awaitLine("* keepC joined kept");
        String first = say(sender, "kept", "before the cut");
        sender.awaitLine("✓ delivered " + first + " 2/2");

        net.cut("pub3");
        String during = say(sender, "kept", "while you were away");
        sender.awaitLine("* keepC timed out (left kept)");
        int rejoinMark = sender.lineCount();
        net.restore("pub3");

        sender.awaitLineAfter(rejoinMark, "* keepC joined kept");
        awaitLine(sender, "✓ delivered " + during + " 2/2", Duration.ofSeconds(60));
        String after = say(sender, "kept", "welcome back");
        sender.awaitLine("✓ delivered " + after + " 2/2");

        List<String> seen = away.lines().stream().filter(l -> l.contains("[room kept] <keepA>")).toList();
        assertThat(seen).as("keepC's view of keepA's messages: each once, in order")
                .hasSize(3)
                .satisfiesExactly(l -> assertThat(l).endsWith("before the cut"),
                        l -> assertThat(l).endsWith("while you were away"),
                        l -> assertThat(l).endsWith("welcome back"));
        assertThat(sender.lines()).noneMatch(l -> l.contains("✗ failed"));
    }

    // ------------------------------------------------------------------------------------------------------------

    private static void join(RunningProcess p, String room) {
        p.send("/join " + room);
        p.awaitLine("* joined " + room);
    }

    /** Asks {@code /who} in ROOM until the answer names everyone (pushes may still be on their way), within a step. */
    private static void awaitMembers(RunningProcess p, String room, String... names) {
        int switched = p.lineCount();
        p.send("/switch #" + room);
        p.awaitLineAfter(switched, "now talking in " + room);
        await().atMost(RunningProcess.STEP).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            int mark = p.lineCount();
            p.send("/who");
            String line = p.awaitLineAfter(mark, "in " + room + ": ");
            List<String> members = List.of(line.substring(line.indexOf("in " + room + ": ") + room.length() + 5)
                    .split(",\\s*"));
            assertThat(members).as("%s's members of %s", p.name(), room).containsExactlyInAnyOrder(names);
        });
    }

    /** Types {@code text} in {@code room}, the conversation {@code p} is in; returns the message's id. */
    private static String say(RunningProcess p, String room, String text) {
        p.send(text);
        return pendingId(p.awaitLine("[room " + room + "] <" + p.name() + "> " + text + " (pending "));
    }

    private static void awaitLine(RunningProcess p, String text, Duration atMost) {
        await().atMost(atMost).pollInterval(Duration.ofMillis(50))
                .until(() -> p.count(l -> l.contains(text)) > 0);
    }
}
