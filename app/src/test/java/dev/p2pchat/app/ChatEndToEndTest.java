package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole program, as users run it: one registry process and three {@code p2pchat peer} processes in
 * line mode, driven through their stdin and checked through their stdout.
 */
class ChatEndToEndTest {

    private static final Pattern PENDING = Pattern.compile("\\(pending ([0-9a-zA-Z-]+)\\)$");

    @TempDir
    Path tmp;

    private final List<AutoCloseable> running = new ArrayList<>();
    private RegistryProcess registry;
    private RunningProcess alice;
    private RunningProcess bob;
    private RunningProcess carol;

    @BeforeEach
    void startRegistryAndThreeLoggedInPeers() throws Exception {
        registry = track(RegistryProcess.start(tmp.resolve("registry")));
        alice = track(registry.startPeer("alice", tmp.resolve("alice")));
        bob = track(registry.startPeer("bob", tmp.resolve("bob")));
        carol = track(registry.startPeer("carol", tmp.resolve("carol")));
        for (RunningProcess peer : List.of(alice, bob, carol)) {
            peer.send("/register " + peer.name() + " secret-" + peer.name());
        }
        for (RunningProcess peer : List.of(alice, bob, carol)) {
            peer.awaitLine("* registered " + peer.name());
            peer.send("/login " + peer.name() + " secret-" + peer.name());
        }
        for (RunningProcess peer : List.of(alice, bob, carol)) {
            peer.awaitLine("* logged in as " + peer.name());
        }
    }

    @AfterEach
    void killEverything() throws Exception {
        for (AutoCloseable process : running.reversed()) {
            process.close();
        }
    }

    @Test
    void privateChatNeedsAnAcceptedRequestAndConfirmsDeliveryBothWays() {
        bob.send("/chat alice");
        carol.send("/chat alice");
        alice.awaitLine("* bob asks for a private chat — /accept bob or /reject bob");
        alice.awaitLine("* carol asks for a private chat");

        alice.send("/reject carol");
        carol.awaitLine("* alice declined your chat request");
        carol.send("/msg alice let me in");
        carol.awaitLine("! error: no open chat with alice — /chat alice first");

        alice.send("/accept bob");
        alice.awaitLine("* chat with bob is open");
        bob.awaitLine("* alice accepted your chat request — what you type now goes to alice");

        bob.send("hi alice, *bob* here");
        String bobsId = pendingId(bob.awaitLine("[chat alice] <bob> hi alice, *bob* here (pending "));
        alice.awaitLine("[chat bob] <bob> hi alice, *bob* here");
        bob.awaitLine("✓ delivered " + bobsId + " to alice");

        alice.send("hello bob");
        String alicesId = pendingId(alice.awaitLine("[chat bob] <alice> hello bob (pending "));
        bob.awaitLine("[chat alice] <alice> hello bob");
        alice.awaitLine("✓ delivered " + alicesId + " to bob");

        assertThat(carol.lines()).noneMatch(line -> line.contains("hello bob") || line.contains("bob here"));
    }

    @Test
    void roomOfThreeGetsEveryMessageExactlyOnceAndSeesLeaveAndLogout() {
        alice.send("/create lobby --description the first room");
        alice.awaitLine("* created room lobby");
        alice.send("/join lobby");
        alice.awaitLine("* joined lobby");
        bob.send("/join lobby");
        bob.awaitLine("* joined lobby");
        alice.awaitLine("* bob joined lobby");
        carol.send("/join lobby");
        carol.awaitLine("* joined lobby — members: ");
        alice.awaitLine("* carol joined lobby");
        bob.awaitLine("* carol joined lobby");

        List<RunningProcess> everyone = List.of(alice, bob, carol);
        for (RunningProcess sender : everyone) {
            String text = "room message from " + sender.name();
            sender.send(text);
            String id = pendingId(sender.awaitLine("[room lobby] <" + sender.name() + "> " + text + " (pending "));
            sender.awaitLine("✓ delivered " + id + " 2/2");
        }
        for (RunningProcess sender : everyone) {
            for (RunningProcess receiver : everyone) {
                String line = "[room lobby] <" + sender.name() + "> room message from " + sender.name();
                receiver.awaitLine(line);
                assertThat(receiver.count(l -> l.endsWith(line) || l.contains(line + " (pending ")))
                        .as("%s sees %s's message once", receiver.name(), sender.name()).isEqualTo(1);
            }
        }

        carol.send("/leave");
        carol.awaitLine("* left lobby");
        alice.awaitLine("* carol left lobby");
        bob.awaitLine("* carol left lobby");

        bob.send("/logout");
        bob.awaitLine("* logged out");
        alice.awaitLine(line -> line.matches(".*\\* bob (left lobby|logged out \\(left lobby\\))"), "bob's departure");
        carol.send("/who");
        carol.awaitLine("! error: you are not in a room");
    }

    @Test
    void mistakesGetOneClearErrorLineAndEndOfInputLogsOut() throws Exception {
        alice.send("/frobnicate now");
        alice.awaitLine("! error: unknown command /frobnicate — type /help");
        alice.send("hello, anyone?");
        alice.awaitLine("! error: no conversation to send to — /join a room or /chat with someone first");
        alice.send("/join nowhere");
        alice.awaitLine(line -> line.contains("! error: ") && line.contains("nowhere"), "the error for a missing room");
        alice.send("/help join");
        alice.awaitLine("* /join NAME [PASSWORD]");

        alice.closeInput();
        // Issue 9 defect 11: a script must see that commands failed.
        assertThat(alice.awaitExit()).isEqualTo(1);
        assertThat(alice.lines().getLast()).endsWith("* logged out");
        assertThat(alice.lines()).noneMatch(line -> line.contains("Exception") || line.contains("\tat "));
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
