package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Smoke test of the interactive terminal UI: a real peer in a detached tmux session (its own tmux server
 * socket), typed at with send-keys and read with capture-pane. Skipped where tmux is not installed.
 */
class InteractiveTmuxTest {

    @TempDir
    Path tmp;

    private RegistryProcess registry;
    private String socket;
    private final String session = "p2pchat";

    @BeforeEach
    void startRegistry() throws Exception {
        Assumptions.assumeTrue(tmuxAvailable(), "tmux is not installed");
        registry = RegistryProcess.start(tmp.resolve("registry"));
        socket = "p2pchat-test-" + ProcessHandle.current().pid() + "-" + System.nanoTime();
    }

    @AfterEach
    void stopEverything() throws Exception {
        if (socket != null) {
            tmux("kill-server");
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void helpCompletionPasswordPromptAndPromptWork() throws Exception {
        Path data = tmp.resolve("alice");
        List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "150", "-y", "50"));
        command.addAll(registry.peerCommand(data));
        tmux(command.toArray(String[]::new));
        awaitScreen("p2pchat>");

        keys("/help", "Enter");
        awaitScreen("/register NAME [PASSWORD]");

        keys("/reg", "Tab");
        awaitScreen("/register");
        keys(" alice", "Enter");
        awaitScreen("password for alice:");
        keys("s3cret-pw", "Enter");
        awaitScreen("repeat the password:");
        keys("s3cret-pw", "Enter");
        awaitScreen("registered alice");
        assertThat(screen()).doesNotContain("s3cret-pw");

        keys("/login alice s3cret-pw", "Enter");
        awaitScreen("alice>");
        keys("/create lobby", "Enter");
        awaitScreen("created room lobby");
        keys("/join lob", "Tab");
        keys("Enter");
        awaitScreen("alice@lobby>");

        keys("hello *world*", "Enter");
        awaitScreen("✓ 0/0");

        keys("/quit", "Enter");
        await().atMost(RunningProcess.STEP).until(() -> !tmuxSessionAlive());
        String history = Files.readString(data.resolve("data").resolve("input-history"), StandardCharsets.UTF_8);
        assertThat(history).contains("/help", "/create lobby", "hello *world*").doesNotContain("s3cret-pw", "/login");
    }

    /**
     * Issue 9 defect 1: a paste of 20 lines into a peer in a room, while another peer sends room traffic,
     * froze the UI for good after about five lines (peer-events held the session lock and waited for
     * JLine's, the input thread held JLine's and waited for the session's). Every line must be sent and
     * shown, and the prompt must still answer afterwards.
     */
    @Test
    void aPasteOfTwentyLinesWithRoomTrafficArrivesWholeAndThePromptStillAnswers() throws Exception {
        RunningProcess bob = registry.startPeer("bob", tmp.resolve("bob"));
        try {
            bob.send("/register bob secret-bob");
            bob.awaitLine("* registered bob");
            bob.send("/register alice secret-alice");
            bob.awaitLine("* registered alice");
            bob.send("/login bob secret-bob");
            bob.awaitLine("* logged in as bob");
            bob.send("/create lobby");
            bob.awaitLine("created room lobby");
            bob.send("/join lobby");
            bob.awaitLine("joined lobby");

            Path passwordFile = Files.writeString(tmp.resolve("alice-password"), "secret-alice\n");
            List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "150", "-y", "50"));
            command.addAll(registry.peerCommand(tmp.resolve("alice")));
            command.addAll(List.of("--user", "alice", "--password-file", passwordFile.toString()));
            tmux(command.toArray(String[]::new));
            awaitScreen("alice>");
            keys("/join lobby", "Enter");
            awaitScreen("alice@lobby>");
            bob.awaitLine("alice joined lobby");

            Thread traffic = Thread.ofVirtual().start(() -> {
                for (int i = 1; i <= 40 && !Thread.currentThread().isInterrupted(); i++) {
                    bob.send("traffic " + i);
                }
            });
            Path lines = tmp.resolve("paste");
            Files.writeString(lines, java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "line " + i + "\n")
                    .collect(java.util.stream.Collectors.joining()));
            tmux("load-buffer", lines.toString());
            tmux("paste-buffer", "-t", session);
            traffic.join(RunningProcess.STEP.toMillis());

            for (int i = 1; i <= 20; i++) {
                String text = "<alice> line " + i;
                bob.awaitLine(line -> line.matches(".*" + java.util.regex.Pattern.quote(text) + "\\b.*"), text);
            }
            await().atMost(RunningProcess.STEP).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
                String all = tmux("capture-pane", "-p", "-S", "-", "-t", session);
                for (int i = 1; i <= 20; i++) {
                    assertThat(all).contains("alice: line " + i + " ");
                }
                assertThat(all).contains("bob: traffic 40");
            });
            keys("/help", "Enter");
            awaitScreen("/register NAME [PASSWORD]");
            keys("/quit", "Enter");
            await().atMost(RunningProcess.STEP).until(() -> !tmuxSessionAlive());
        } finally {
            bob.kill();
        }
    }

    /**
     * Issue 11: one buffer per conversation. A room and a private chat are open at once; the status line
     * counts what arrives in the buffer not shown and highlights a mention; Alt-number and Alt-arrows switch,
     * redrawing the buffer with a read marker where it was left, and typing goes to the buffer shown.
     */
    @Test
    void buffersSwitchWithAltKeysAndTheStatusLineCountsUnreadMessages() throws Exception {
        RunningProcess bob = registry.startPeer("bob", tmp.resolve("bob"));
        try {
            bob.send("/register bob secret-bob");
            bob.awaitLine("* registered bob");
            bob.send("/register alice secret-alice");
            bob.awaitLine("* registered alice");
            bob.send("/login bob secret-bob");
            bob.awaitLine("* logged in as bob");
            bob.send("/create lobby");
            bob.awaitLine("created room lobby");
            bob.send("/join lobby");
            bob.awaitLine("joined lobby");

            Path passwordFile = Files.writeString(tmp.resolve("alice-password"), "secret-alice\n");
            List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "120", "-y", "30"));
            command.addAll(registry.peerCommand(tmp.resolve("alice")));
            command.addAll(List.of("--user", "alice", "--password-file", passwordFile.toString()));
            tmux(command.toArray(String[]::new));
            awaitScreen("alice>");
            awaitScreen("[1:status]");
            Path bells = countBells();
            keys("/join lobby", "Enter");
            awaitScreen("alice@lobby>");
            awaitScreen("1:status [2:#lobby]");
            bob.awaitLine("alice joined lobby");

            bob.send("/chat alice");
            awaitScreen("1:status(1!)");
            awaitBells(bells, 1);
            keys("/accept bob", "Enter");
            bob.awaitLine("alice accepted your chat request");
            bob.send("/msg alice psst Alice, look");
            awaitScreen("3:bob(1!)");
            awaitBells(bells, 2);

            keys("M-3");
            awaitScreen("alice→bob>");
            awaitScreen("[3:bob]");
            awaitScreen("bob: psst Alice, look");
            bob.send("news for the room");
            awaitScreen("2:#lobby(1)");
            assertThat(screen()).doesNotContain("news for the room");

            keys("M-Left");
            awaitScreen("alice@lobby>");
            awaitScreen("bob: news for the room");
            awaitScreen("unread");
            assertThat(screen()).doesNotContain("psst");
            keys("back in the room", "Enter");
            bob.awaitLine(line -> line.contains("[room lobby] <alice> back in the room"), "alice's room line");

            // A long line wraps at a word, its continuation under the text (the head "12:03 [#lobby] bob: " is 20 columns).
            String words = java.util.stream.IntStream.rangeClosed(1, 40).mapToObj(i -> "word" + i)
                    .collect(java.util.stream.Collectors.joining(" "));
            bob.send(words);
            awaitScreen("word40");
            assertThat(screen().lines().filter(line -> line.contains("word")).toList()).hasSizeGreaterThan(1)
                    .allSatisfy(line -> assertThat(line.length()).isLessThanOrEqualTo(120))
                    .anySatisfy(line -> assertThat(line).matches(" {20}word\\d+ .*"));

            keys("/me waves", "Enter");
            awaitScreen("* alice waves");
            bob.awaitLine(line -> line.contains("<alice> /me waves"), "alice's action as text");
            bob.send("/me waves back");
            awaitScreen("* bob waves back");

            keys("/ignore bob", "Enter");
            awaitScreen("ignoring bob");
            bob.send("you cannot see this");
            String pending = bob.awaitLine(line -> line.contains("<bob> you cannot see this (pending "), "bob's pending line");
            String id = pending.substring(pending.indexOf("(pending ") + 9, pending.length() - 1);
            // Delivered to alice's peer (it acknowledges), dropped by her client.
            bob.awaitLine(line -> line.contains("delivered " + id), "the receipt of the ignored line");
            keys("/unignore bob", "Enter");
            awaitScreen("no longer ignoring bob");
            bob.send("visible again");
            awaitScreen("bob: visible again");
            assertThat(screen()).doesNotContain("you cannot see this");

            // A resize while messages arrive: every line is shown, the status line and the prompt survive.
            Thread traffic = Thread.ofVirtual().start(() -> {
                for (int i = 1; i <= 10; i++) {
                    bob.send("during the resize " + i);
                }
            });
            tmux("resize-window", "-t", session, "-x", "90", "-y", "24");
            traffic.join(RunningProcess.STEP.toMillis());
            awaitScreen("bob: during the resize 10");
            awaitScreen("[2:#lobby]");
            keys("/w", "Enter");
            awaitScreen("in lobby: ");

            keys("/switch 1", "Enter");
            awaitScreen("alice>");
            awaitScreen("asks for a private chat");
            keys("M-2");
            awaitScreen("alice@lobby>");
            keys("M-1");
            awaitScreen("alice>");
            keys("/quit", "Enter");
            await().atMost(RunningProcess.STEP).until(() -> !tmuxSessionAlive());
        } finally {
            bob.kill();
        }
    }

    /**
     * Issue 11: several rooms at once. The second /join adds a buffer and keeps the first; a line in the room not
     * shown counts on the status line; typing in a room's buffer goes to that room; /leave there leaves it only.
     */
    @Test
    void twoRoomsAtOnceEachInItsBuffer() throws Exception {
        RunningProcess bob = registry.startPeer("bob", tmp.resolve("bob"));
        try {
            bob.send("/register bob secret-bob");
            bob.awaitLine("* registered bob");
            bob.send("/register alice secret-alice");
            bob.awaitLine("* registered alice");
            bob.send("/login bob secret-bob");
            bob.awaitLine("* logged in as bob");
            bob.send("/create lobby");
            bob.awaitLine("created room lobby");
            bob.send("/create den");
            bob.awaitLine("created room den");
            bob.send("/join lobby");
            bob.awaitLine("joined lobby");
            bob.send("/join den");
            bob.awaitLine("joined den");

            Path passwordFile = Files.writeString(tmp.resolve("alice-password"), "secret-alice\n");
            List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "120", "-y", "30"));
            command.addAll(registry.peerCommand(tmp.resolve("alice")));
            command.addAll(List.of("--user", "alice", "--password-file", passwordFile.toString()));
            tmux(command.toArray(String[]::new));
            awaitScreen("alice>");
            keys("/join lobby", "Enter");
            awaitScreen("alice@lobby>");
            keys("/join den", "Enter");
            awaitScreen("alice@den>");
            awaitScreen("2:#lobby [3:#den]");
            bob.awaitLine("alice joined den");

            bob.send("/switch #lobby");
            bob.send("news for the lobby");
            awaitScreen("2:#lobby(1)");
            assertThat(screen()).doesNotContain("news for the lobby");
            keys("for the den only", "Enter");
            bob.awaitLine(line -> line.contains("[room den] <alice> for the den only"), "alice's den line");

            keys("M-2");
            awaitScreen("alice@lobby>");
            awaitScreen("bob: news for the lobby");
            keys("/leave", "Enter");
            bob.awaitLine(line -> line.contains("alice left lobby"), "alice left the lobby only");
            bob.send("/switch #den");
            bob.send("still in the den?");
            keys("/switch #den", "Enter");
            awaitScreen("bob: still in the den?");
            keys("/quit", "Enter");
            await().atMost(RunningProcess.STEP).until(() -> !tmuxSessionAlive());
        } finally {
            bob.kill();
        }
    }

    /** Issue 9 defect 11: the interactive peer used to quit when the registry was down at start. */
    @Test
    void withTheRegistryDownAtStartThePeerStartsOfflineAndLogsInWhenItAnswers() throws Exception {
        RunningProcess helper = registry.startPeer("helper", tmp.resolve("helper"));
        helper.send("/register alice secret-alice");
        helper.awaitLine("* registered alice");
        helper.kill();
        List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "150", "-y", "50"));
        command.addAll(registry.peerCommand(tmp.resolve("alice")));
        Path passwordFile = Files.writeString(tmp.resolve("alice-password"), "secret-alice\n");
        command.addAll(List.of("--user", "alice", "--password-file", passwordFile.toString()));
        registry.kill();

        tmux(command.toArray(String[]::new));
        awaitScreen("(offline)");
        awaitScreen("trying again in the background");
        keys("/help", "Enter");
        awaitScreen("/register NAME [PASSWORD]");
        Path log = tmp.resolve("alice").resolve("data").resolve("peer.log");
        await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(log)
                && Files.readString(log).split("still does not answer", -1).length > 2);
        // Each failed attempt is logged, not shown: the user was told once.
        assertThat(screen()).doesNotContain("offline: closed");

        registry = registry.restart();
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(screen()).contains("logged in as alice").contains("alice>"));
        keys("/quit", "Enter");
        await().atMost(RunningProcess.STEP).until(() -> !tmuxSessionAlive());
    }

    /**
     * Issue 11: a file on its way shows one progress bar, updated in place in the status area over the buffer
     * list (not a line a second in the chat), and goes when the file is in.
     */
    @Test
    void aFileOnItsWayShowsOneProgressBarUpdatedInPlace() throws Exception {
        RunningProcess bob = registry.startPeer("bob", tmp.resolve("bob"),
                java.util.Map.of("--file-rate-for-tests", String.valueOf(256 * 1024)));
        try {
            bob.send("/register bob secret-bob");
            bob.awaitLine("* registered bob");
            bob.send("/register alice secret-alice");
            bob.awaitLine("* registered alice");
            bob.send("/login bob secret-bob");
            bob.awaitLine("* logged in as bob");

            Path passwordFile = Files.writeString(tmp.resolve("alice-password"), "secret-alice\n");
            List<String> command = new ArrayList<>(List.of("new-session", "-d", "-s", session, "-x", "120", "-y", "30"));
            command.addAll(registry.peerCommand(tmp.resolve("alice")));
            command.addAll(List.of("--user", "alice", "--password-file", passwordFile.toString()));
            tmux(command.toArray(String[]::new));
            // logged in, not only drawn: a /chat before alice's login reaches the registry finds her offline
            awaitScreen("logged in as alice");
            bob.send("/chat alice");
            awaitScreen("asks for a private chat");
            keys("/accept bob", "Enter");
            bob.awaitLine("alice accepted your chat request");

            byte[] bytes = new byte[2 * 1024 * 1024];
            new java.util.Random(11).nextBytes(bytes);
            Path file = Files.write(tmp.resolve("movie.bin"), bytes);
            bob.send("/send alice " + file);
            awaitScreen("bob offers movie.bin");
            keys("/get bob", "Enter");
            awaitScreen("movie.bin from bob [");
            awaitScreen("% ");
            // Several updates have been drawn by now, all in the same place: one bar in everything ever shown.
            await().atMost(RunningProcess.STEP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(tmux("capture-pane", "-p", "-S", "-", "-t", session)).containsPattern("\\] +[2-9]\\d% "));
            assertThat(tmux("capture-pane", "-p", "-S", "-", "-t", session).split("movie.bin from bob \\[", -1))
                    .as("progress bars in the whole scrollback").hasSize(2);
            awaitScreen("file received bob ");
            await().atMost(RunningProcess.STEP).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                    assertThat(screen()).doesNotContain("movie.bin from bob ["));
            keys("/quit", "Enter");
            await().atMost(RunningProcess.STEP).until(() -> !tmuxSessionAlive());
        } finally {
            bob.kill();
        }
    }

    /** Counts the bells of the session's panes in a file, through tmux's alert-bell hook. */
    private Path countBells() throws Exception {
        Path bells = tmp.resolve("bells");
        Files.writeString(bells, "");
        tmux("set-option", "-t", session, "bell-action", "any");
        tmux("set-hook", "-t", session, "alert-bell", "run-shell 'echo bell >> " + bells + "'");
        return bells;
    }

    private void awaitBells(Path bells, int count) {
        await().atMost(RunningProcess.STEP).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(Files.readAllLines(bells)).as("bells rung").hasSizeGreaterThanOrEqualTo(count));
    }

    private void keys(String... keys) throws Exception {
        List<String> args = new ArrayList<>(List.of("send-keys", "-t", session));
        args.addAll(List.of(keys));
        tmux(args.toArray(String[]::new));
    }

    private void awaitScreen(String text) {
        await().atMost(RunningProcess.STEP).pollInterval(Duration.ofMillis(100)).untilAsserted(() ->
                assertThat(screen()).as("the tmux screen").contains(text));
    }

    private String screen() throws Exception {
        return tmux("capture-pane", "-p", "-J", "-t", session);
    }

    private boolean tmuxSessionAlive() throws Exception {
        Process p = new ProcessBuilder("tmux", "-L", socket, "has-session", "-t", session).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("tmux", "-L", socket));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
        return out;
    }

    private static boolean tmuxAvailable() {
        try {
            Process p = new ProcessBuilder("tmux", "-V").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
