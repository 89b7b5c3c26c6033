package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Several rooms at once, as users run it (line mode, real registry and peers): alice's config autojoins #alpha and
 * #beta; bob writes in #alpha and carol in #beta, and each line reaches alice in its own room; what alice types in a
 * room's buffer goes to that room only.
 */
class SeveralRoomsLineModeTest {

    @TempDir
    Path tmp;

    private RegistryProcess registry;
    private RunningProcess alice;
    private RunningProcess bob;
    private RunningProcess carol;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = RegistryProcess.start(tmp.resolve("registry"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (RunningProcess process : new RunningProcess[] {alice, bob, carol}) {
            if (process != null && process.isAlive()) {
                process.kill();
            }
        }
        registry.close();
    }

    private RunningProcess loggedIn(String name) throws Exception {
        RunningProcess peer = registry.startPeer(name, tmp.resolve(name));
        peer.send("/register " + name + " secret-" + name);
        peer.awaitLine("* registered " + name);
        peer.send("/login " + name + " secret-" + name);
        peer.awaitLine("* logged in as " + name);
        return peer;
    }

    @Test
    void aliceInTwoRoomsGetsEachRoomsMessagesInThatRoom() throws Exception {
        bob = loggedIn("bob");
        bob.send("/create alpha");
        bob.awaitLine("created room alpha");
        bob.send("/create beta");
        bob.awaitLine("created room beta");
        bob.send("/join alpha");
        bob.awaitLine(line -> line.contains("joined alpha"), "bob in alpha");
        carol = loggedIn("carol");
        carol.send("/join beta");
        carol.awaitLine(line -> line.contains("joined beta"), "carol in beta");

        Path password = Files.writeString(tmp.resolve("alice-password"), "secret-alice\n");
        try (RunningProcess helper = registry.startPeer("helper", tmp.resolve("helper"))) {
            helper.send("/register alice secret-alice");
            helper.awaitLine("* registered alice");
        }
        Path data = Files.createDirectories(tmp.resolve("alice").resolve("data"));
        Files.writeString(data.resolve("config.toml"), """
                user = "alice"
                password_cmd = "cat '%s'"
                autojoin = ["#alpha", "#beta"]
                """.formatted(password));
        alice = registry.startPeer("alice", tmp.resolve("alice"));
        alice.awaitLine("* logged in as alice");
        alice.awaitLine(line -> line.contains("joined alpha"), "alice in alpha");
        alice.awaitLine(line -> line.contains("joined beta"), "alice in beta, still in alpha");
        bob.awaitLine(line -> line.contains("alice joined alpha"), "bob sees alice arrive");
        carol.awaitLine(line -> line.contains("alice joined beta"), "carol sees alice arrive");

        bob.send("hello from bob");
        carol.send("hello from carol");
        alice.awaitLine(line -> line.contains("[room alpha] <bob> hello from bob"), "bob's line in alpha");
        alice.awaitLine(line -> line.contains("[room beta] <carol> hello from carol"), "carol's line in beta");

        alice.send("/switch #alpha");
        alice.send("only for alpha");
        bob.awaitLine(line -> line.contains("[room alpha] <alice> only for alpha"), "alice's line at bob");
        alice.send("/rooms");
        alice.awaitLine(line -> line.contains("* alpha"), "alpha marked as joined");
        alice.awaitLine(line -> line.contains("* beta"), "beta marked as joined");
        alice.send("/leave #alpha");
        alice.awaitLine(line -> line.contains("left alpha"), "alice left alpha");
        bob.awaitLine(line -> line.contains("alice left alpha"), "bob sees alice go");
        carol.send("still with you");
        alice.awaitLine(line -> line.contains("[room beta] <carol> still with you"), "still in beta");
        assertThat(carol.lines()).noneMatch(line -> line.contains("only for alpha"));
    }
}
