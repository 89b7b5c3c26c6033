package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The peer's config file, as users run it (line mode): a config naming a user logs in with the password its
 * password_cmd prints and joins its autojoin rooms by itself; a broken file stops the start with its line.
 */
class ConfigFileLineModeTest {

    @TempDir
    Path tmp;

    private RegistryProcess registry;
    private RunningProcess helper;
    private RunningProcess alice;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = RegistryProcess.start(tmp.resolve("registry"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (RunningProcess process : new RunningProcess[] {alice, helper}) {
            if (process != null && process.isAlive()) {
                process.kill();
            }
        }
        registry.close();
    }

    @Test
    void aConfigWithAUserLogsInWithItsPasswordCommandAndJoinsItsRooms() throws Exception {
        helper = registry.startPeer("helper", tmp.resolve("helper"));
        helper.send("/register alice secret-alice");
        helper.awaitLine("* registered alice");
        helper.send("/login alice secret-alice");
        helper.awaitLine("* logged in as alice");
        helper.send("/create lobby");
        helper.awaitLine("created room lobby");
        helper.send("/logout");
        helper.awaitLine("* logged out");

        Path password = Files.writeString(tmp.resolve("alice-password"), "secret-alice\n");
        Path data = Files.createDirectories(tmp.resolve("alice").resolve("data"));
        Files.writeString(data.resolve("config.toml"), """
                # alice's settings
                user = "alice"
                password_cmd = "cat '%s'"
                autojoin = ["#lobby"]
                """.formatted(password));

        alice = registry.startPeer("alice", tmp.resolve("alice"));
        alice.awaitLine("* logged in as alice");
        alice.awaitLine("* joined lobby");
        alice.send("hello from the config");
        alice.awaitLine(line -> line.contains("[room lobby] <alice> hello from the config"), "alice's room line");
    }

    @Test
    void aBadConfigFileStopsTheStartNamingTheLine() throws Exception {
        Path config = Files.writeString(tmp.resolve("bad.toml"), "user = \"alice\"\nnotfy = \"never\"\n");

        alice = registry.startPeer("alice", tmp.resolve("alice"), Map.of("--config", config.toString()));

        assertThat(alice.awaitExit()).isNotZero();
        assertThat(alice.stderr()).contains("bad.toml, line 2: unknown key notfy");
    }
}
