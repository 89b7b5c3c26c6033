package dev.p2pchat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.p2pchat.cli.render.ColorMode;
import dev.p2pchat.cli.ui.Hyperlinks;
import picocli.CommandLine;

class PeerCommandTest {

    private static final Path HOME = Path.of("/home/someone");

    private static ClientConfig parse(Map<String, String> env, String... args) {
        PeerCommand command = new PeerCommand();
        new CommandLine(command).parseArgs(args);
        return command.config(env, HOME);
    }

    @Test
    void defaultsPointAtALocalRegistryAndTheHomeDataDir() {
        ClientConfig config = parse(Map.of());

        assertThat(config.peer().registryHost()).isEqualTo("127.0.0.1");
        assertThat(config.peer().registryPort()).isEqualTo(7070);
        assertThat(config.peer().registryFingerprint()).isNull();
        assertThat(config.peer().listenHost()).isNull(); // the peer's ListenPolicy: loopback, as the registry is
        assertThat(config.peer().listenPort()).isZero();
        assertThat(config.dataDir()).isEqualTo(HOME.resolve(".p2pchat"));
        assertThat(config.colorMode()).isEqualTo(ColorMode.COLOR);
        assertThat(config.hyperlinks()).isEqualTo(Hyperlinks.AUTO);
        assertThat(config.loginAs()).isEmpty();
    }

    @Test
    void flagsEndUpInTheConfig() {
        ClientConfig config = parse(Map.of(), "--registry", "[::1]:9000", "--registry-fingerprint", "ab".repeat(32),
                "--listen-host", "0.0.0.0", "--listen-port", "7001", "--data-dir", "/tmp/alice", "--no-color",
                "--hyperlinks", "never", "--delivery-window", "30s", "--request-timeout", "PT3S",
                "--user", "alice", "--password-file", "/tmp/pw");

        assertThat(config.peer().registryHost()).isEqualTo("::1");
        assertThat(config.peer().registryPort()).isEqualTo(9000);
        assertThat(config.peer().registryFingerprint()).isEqualTo("ab".repeat(32));
        assertThat(config.peer().listenPort()).isEqualTo(7001);
        assertThat(config.dataDir()).isEqualTo(Path.of("/tmp/alice"));
        assertThat(config.colorMode()).isEqualTo(ColorMode.NO_COLOR);
        assertThat(config.peer().deliveryWindow()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.peer().requestTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(config.loginAs()).contains("alice");
    }

    @Test
    void severalRegistryNodesCommaSeparatedOrRepeatedAreTriedInOrder() {
        ClientConfig commas = parse(Map.of(), "--registry", "a.example:7070,b.example:7071", "--registry", "[::1]:7072");

        assertThat(commas.peer().registryHost()).isEqualTo("a.example");
        assertThat(commas.peer().registries()).extracting(Object::toString)
                .containsExactly("a.example:7070", "b.example:7071", "[::1]:7072");
        assertThat(parse(Map.of()).peer().registryFallbacks()).isEmpty();
    }

    @Test
    void advertisedPortIsTheListeningPortUnlessSetForAForwarder() {
        assertThat(parse(Map.of()).peer().advertisedPort()).isZero();
        assertThat(parse(Map.of(), "--advertised-port", "7443").peer().advertisedPort()).isEqualTo(7443);
        assertThatThrownBy(() -> parse(Map.of(), "--advertised-port", "70000"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("advertisedPort");
    }

    @Test
    void noColorEnvironmentVariableTurnsColourOff() {
        assertThat(parse(Map.of("NO_COLOR", "1")).colorMode()).isEqualTo(ColorMode.NO_COLOR);
        assertThat(parse(Map.of("NO_COLOR", "")).colorMode()).isEqualTo(ColorMode.COLOR);
    }

    @Test
    void userWithoutPasswordFileIsAUsageError() {
        assertThatThrownBy(() -> parse(Map.of(), "--user", "alice"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("--password-file");
    }

    @Test
    void badRegistryAddressIsAUsageError() {
        assertThatThrownBy(() -> parse(Map.of(), "--registry", "localhost"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("HOST:PORT");
        assertThatThrownBy(() -> parse(Map.of(), "--delivery-window", "soon"))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("duration");
    }

    @Test
    void helpDescribesEveryFlag() {
        String usage = new CommandLine(new PeerCommand()).getUsageMessage();

        assertThat(usage).contains("--registry", "--registry-fingerprint", "--listen-host", "--listen-port",
                "--data-dir", "--no-color", "--user", "--password-file");
    }

    @Test
    void theConfigFileInTheDataDirIsReadAndFlagsOverrideIt(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        java.nio.file.Files.writeString(dir.resolve("config.toml"), """
                registry = "chat.example.org:7000"
                user = "alice"
                password_cmd = "echo secret"
                autojoin = ["lobby"]
                notify = "never"
                timestamps = "HH:mm:ss"
                ignore = ["mallory"]
                """);

        ClientConfig fromFile = parse(Map.of(), "--data-dir", dir.toString());
        assertThat(fromFile.peer().registryHost()).isEqualTo("chat.example.org");
        assertThat(fromFile.peer().registryPort()).isEqualTo(7000);
        assertThat(fromFile.loginAs()).contains("alice");
        assertThat(fromFile.passwordCommand()).contains("echo secret");
        assertThat(fromFile.autojoin()).containsExactly("lobby");
        assertThat(fromFile.ignore()).containsExactly("mallory");
        assertThat(fromFile.notifyLevel()).isEqualTo(dev.p2pchat.cli.ui.NotifyLevel.NEVER);
        assertThat(fromFile.timestamps()).isEqualTo("HH:mm:ss");

        ClientConfig overridden = parse(Map.of(), "--data-dir", dir.toString(), "--registry", "127.0.0.1:9", "--notify", "always",
                "--timestamps", "HH:mm");
        assertThat(overridden.peer().registryPort()).isEqualTo(9);
        assertThat(overridden.notifyLevel()).isEqualTo(dev.p2pchat.cli.ui.NotifyLevel.ALWAYS);
        assertThat(overridden.timestamps()).isEqualTo("HH:mm");

        ClientConfig otherUser = parse(Map.of(), "--data-dir", dir.toString(), "--user", "bob", "--password-file", "/tmp/pw");
        assertThat(otherUser.loginAs()).contains("bob");
        assertThat(otherUser.passwordCommand()).as("the file's command is for alice").isEmpty();
    }

    @Test
    void aBadConfigFileIsAUsageErrorWithItsLine(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path file = java.nio.file.Files.writeString(dir.resolve("mine.toml"), "user = \"alice\"\nautojoin = lobby\n");

        assertThatThrownBy(() -> parse(Map.of(), "--config", file.toString()))
                .isInstanceOf(CommandLine.ParameterException.class).hasMessageContaining("mine.toml, line 2");
        assertThatThrownBy(() -> parse(Map.of(), "--config", dir.resolve("missing.toml").toString()))
                .hasMessageContaining("does not exist");
    }
}
