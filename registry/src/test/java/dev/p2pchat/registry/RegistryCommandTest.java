package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Argon2Params;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class RegistryCommandTest {
    @TempDir
    Path dir;

    RegistryConfig parse(String... args) {
        RegistryCommand command = new RegistryCommand();
        new CommandLine(command).parseArgs(args);
        return command.toConfig();
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        RegistryConfig config = parse();

        assertThat(config.host()).isEqualTo("127.0.0.1");
        assertThat(config.tcpPort()).isEqualTo(7070);
        assertThat(config.udpPort()).as("same number as TCP").isNull();
        assertThat(config.dataDir()).isEqualTo(Path.of("./data/registry"));
        assertThat(config.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.keepAliveInterval()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.argon2()).isEqualTo(Argon2Params.DEFAULT);
        assertThat(config.tlsCert()).isNull();
        assertThat(config.maxRegistrationsPerIp()).isEqualTo(20);
        assertThat(config.unauthenticatedTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.argon2MaxQueued()).isEqualTo(RegistryConfig.DEFAULT_ARGON2_MAX_QUEUED);
        assertThat(config.statsInterval()).isEqualTo(Duration.ofMinutes(1));
        assertThat(config.maxRoomsPerUser()).isEqualTo(20);
        assertThat(config.maxRoomCreationsPerIp()).isEqualTo(30);
        assertThat(config.maxFailedLoginsPerUser()).isEqualTo(5);
        assertThat(config.maxFailedLoginsPerIp()).isEqualTo(100);
    }

    @Test
    void mailboxFlagsEndUpInTheConfigWithAWeekAsTheDefaultTimeToLive() {
        assertThat(parse().mailbox()).isEqualTo(dev.p2pchat.registry.service.MailboxSettings.DEFAULTS);
        assertThat(parse().mailbox().ttl()).isEqualTo(Duration.ofDays(7));

        RegistryConfig config = parse("--mailbox-ttl", "2d", "--mailbox-max-items", "10", "--mailbox-max-bytes",
                "5000", "--mailbox-puts-per-minute", "7");

        assertThat(config.mailbox().ttl()).isEqualTo(Duration.ofDays(2));
        assertThat(config.mailbox().maxItems()).isEqualTo(10);
        assertThat(config.mailbox().maxBytes()).isEqualTo(5000);
        assertThat(config.mailbox().putsPerMinute()).isEqualTo(7);
    }

    @Test
    void roomCreationFlagsEndUpInTheConfig() {
        RegistryConfig config = parse("--max-rooms-per-user", "500", "--max-room-creations-per-ip", "600");

        assertThat(config.maxRoomsPerUser()).isEqualTo(500);
        assertThat(config.maxRoomCreationsPerIp()).isEqualTo(600);
    }

    @Test
    void loadTestFlagsEndUpInTheConfig() {
        RegistryConfig config = parse("--max-registrations-per-ip", "100000", "--unauthenticated-timeout", "45s",
                "--argon2-max-queue", "7", "--stats-interval", "5s");

        assertThat(config.maxRegistrationsPerIp()).isEqualTo(100_000);
        assertThat(config.registrationWindow()).isEqualTo(RegistryConfig.DEFAULT_REGISTRATION_WINDOW);
        assertThat(config.unauthenticatedTimeout()).isEqualTo(Duration.ofSeconds(45));
        assertThat(config.argon2MaxQueued()).isEqualTo(7);
        assertThat(config.statsInterval()).isEqualTo(Duration.ofSeconds(5));
    }

    @Test
    void writesStatsBesideTheReadyFile() throws Exception {
        RegistryCommand command = new RegistryCommand();
        Path ready = dir.resolve("run/ready.json");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(command).execute(
                "--port", "0", "--data-dir", dir.resolve("data").toString(), "--ready-file", ready.toString(),
                "--argon2-memory-kib", "1024", "--argon2-iterations", "1", "--stats-interval", "100ms"));

        Path stats = dir.resolve("run/stats.json");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(stats));
        String json = Files.readString(stats);
        assertThat(field(json, "keepalive_datagrams_received")).isEqualTo("0");
        assertThat(field(json, "closed_unauthenticated_read_timeout")).isEqualTo("0");
        assertThat(field(json, "argon2_refused_busy")).isEqualTo("0");
        command.runningServer().close();
        assertThat(exit.get()).isZero();
    }

    @Test
    void flagsEndUpInTheConfig() {
        RegistryConfig config = parse("--host", "0.0.0.0", "--port", "0", "--udp-port", "9000", "--data-dir",
                dir.toString(), "--keepalive-timeout", "4s", "--max-connections", "5", "--argon2-memory-kib", "4096",
                "--argon2-iterations", "3");

        assertThat(config.host()).isEqualTo("0.0.0.0");
        assertThat(config.tcpPort()).isZero();
        assertThat(config.udpPort()).isEqualTo(9000);
        assertThat(config.keepAliveTimeout()).isEqualTo(Duration.ofSeconds(4));
        assertThat(config.maxConnections()).isEqualTo(5);
        assertThat(config.argon2()).isEqualTo(new Argon2Params(4096, 3, Argon2Params.DEFAULT.parallelism()));
    }

    @Test
    void aBadDurationIsAUsageError() {
        int exit = new CommandLine(new RegistryCommand()).execute("--keepalive-timeout", "soon");

        assertThat(exit).isEqualTo(CommandLine.ExitCode.USAGE);
    }

    @Test
    void runsUntilClosedAndWritesTheReadyFile() throws Exception {
        RegistryCommand command = new RegistryCommand();
        Path ready = dir.resolve("run/ready.json");
        CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(() -> new CommandLine(command).execute(
                "--port", "0", "--data-dir", dir.resolve("data").toString(), "--ready-file", ready.toString(),
                "--argon2-memory-kib", "1024", "--argon2-iterations", "1"));

        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(ready));
        String json = Files.readString(ready);
        int tcpPort = Integer.parseInt(field(json, "tcp_port"));
        int udpPort = Integer.parseInt(field(json, "udp_port"));
        String fingerprint = field(json, "fingerprint");
        assertThat(udpPort).isEqualTo(tcpPort);
        assertThat(fingerprint).matches("[0-9a-f]{64}");

        try (RegistryTestClient client = RegistryTestClient.connect("127.0.0.1", tcpPort, fingerprint, udpPort)) {
            assertThat(client.call(new RegistryRequest.HelloP2p(), RegistryReply.HelloBack.class).status())
                    .isEqualTo(Status.SUCCESS);
        }
        command.runningServer().close();
        assertThat(exit.get()).isZero();
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"?([^,\"}]+)").matcher(json);
        assertThat(m.find()).as(name + " in " + json).isTrue();
        return m.group(1);
    }
}
