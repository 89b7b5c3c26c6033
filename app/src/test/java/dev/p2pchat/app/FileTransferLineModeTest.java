package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files peer to peer, as users run it (line mode, a real registry, real peers): alice offers a file in her private
 * chat with bob, bob takes it with /get, and the bytes go over their mutual-TLS link into bob's download dir.
 */
class FileTransferLineModeTest {

    @TempDir
    Path tmp;

    private RegistryProcess registry;
    private RunningProcess alice;
    private RunningProcess bob;

    @BeforeEach
    void startRegistry() throws Exception {
        registry = RegistryProcess.start(tmp.resolve("registry"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (RunningProcess process : new RunningProcess[] {alice, bob}) {
            if (process != null && process.isAlive()) {
                process.kill();
            }
        }
        registry.close();
    }

    private RunningProcess loggedIn(String name, Map<String, String> options, boolean register) throws Exception {
        RunningProcess peer = registry.startPeer(name, tmp.resolve(name), options);
        if (register) {
            peer.send("/register " + name + " secret-" + name);
            peer.awaitLine("* registered " + name);
        }
        int mark = peer.lineCount();
        peer.send("/login " + name + " secret-" + name);
        peer.awaitLineAfter(mark, "* logged in as " + name);
        return peer;
    }

    private void chatting(Map<String, String> aliceOptions, Map<String, String> bobOptions) throws Exception {
        alice = loggedIn("alice", aliceOptions, true);
        bob = loggedIn("bob", bobOptions, true);
        alice.send("/chat bob");
        bob.awaitLine("alice asks for a private chat");
        bob.send("/accept alice");
        alice.awaitLine("bob accepted your chat request");
    }

    private Path randomFile(String name, int bytes) throws Exception {
        byte[] data = new byte[bytes];
        new Random(42).nextBytes(data);
        return Files.write(Files.createDirectories(tmp.resolve("outgoing")).resolve(name), data);
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private Path downloads() {
        return tmp.resolve("bob").resolve("data").resolve("downloads");
    }

    @Test
    void aFewMiBArriveWithTheSameSha256() throws Exception {
        chatting(Map.of(), Map.of());
        Path file = randomFile("report.bin", 3 * 1024 * 1024 + 17);
        String sha = sha256(file);
        alice.send("/send bob " + file);
        bob.awaitLine("alice offers report.bin");
        bob.send("/get alice");
        String received = bob.awaitLine("file received alice ");
        alice.awaitLine("file sent bob " + file + " " + sha);
        Path saved = downloads().resolve("report.bin");
        assertThat(received).endsWith(saved + " " + sha);
        assertThat(sha256(saved)).isEqualTo(sha);
        assertThat(Files.getPosixFilePermissions(downloads()).toString()).isEqualTo("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
        bob.send("still chatting");
        alice.awaitLine("<bob> still chatting");
    }

    @Test
    void aReceiverKilledHalfWayResumesFromWhatItHasAfterARestart() throws Exception {
        // The sender keeps to 512 KiB/s, so "half-way" is a size the .part file passes, not a moment.
        chatting(Map.of("--file-rate-for-tests", String.valueOf(512 * 1024)), Map.of());
        int size = 3 * 1024 * 1024;
        Path file = randomFile("big.bin", size);
        String sha = sha256(file);
        alice.send("/send bob " + file);
        bob.awaitLine("alice offers big.bin");
        bob.send("/get alice");
        Path part = downloads().resolve(".big.bin.part");
        bob.awaitLine("receiving big.bin from alice");
        alice.send("/msg bob a line while the file goes");
        bob.awaitLine("<alice> a line while the file goes");
        assertThat(Files.size(part)).as("the chat line did not wait for the file").isLessThan(size);
        await().atMost(RunningProcess.STEP).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(part) && Files.size(part) > 1024 * 1024);
        bob.kill();
        assertThat(Files.size(part)).isLessThan(size);

        int mark = alice.lineCount();
        bob = loggedIn("bob", Map.of(), false);
        String resumed = alice.awaitLineAfter(mark, "resuming big.bin for bob at offset ");
        long offset = Long.parseLong(resumed.replaceAll(".*at offset (\\d+).*", "$1"));
        assertThat(offset).isGreaterThan(1024 * 1024).isLessThan(size);
        bob.awaitLine("resuming big.bin from alice at offset " + offset);
        bob.awaitLine("file received alice " + downloads().resolve("big.bin") + " " + sha);
        alice.awaitLine("file sent bob " + file + " " + sha);
        assertThat(sha256(downloads().resolve("big.bin"))).isEqualTo(sha);
        assertThat(part).doesNotExist();
    }

    @Test
    void aNameThatClimbsOutOfTheDownloadDirIsSavedAsAPlainNameInIt() throws Exception {
        chatting(Map.of("--file-offer-name-for-tests", "../../etc/passwd"), Map.of());
        Path file = randomFile("innocent.txt", 4096);
        alice.send("/send bob " + file);
        bob.awaitLine("alice offers ../../etc/passwd");
        bob.send("/get alice");
        bob.awaitLine("file received alice " + downloads().resolve("passwd") + " " + sha256(file));
        try (Stream<Path> files = Files.list(downloads())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("passwd");
        }
        assertThat(sha256(downloads().resolve("passwd"))).isEqualTo(sha256(file));
    }

    @Test
    void aDeclinedOfferIsToldToTheSenderAndNothingIsWritten() throws Exception {
        chatting(Map.of(), Map.of());
        Path file = randomFile("unwanted.bin", 10_000);
        alice.send("/send bob " + file);
        bob.awaitLine("alice offers unwanted.bin");
        bob.send("/decline alice");
        bob.awaitLine("refused unwanted.bin from alice: you declined it");
        alice.awaitLine("bob refused unwanted.bin: declined");
        assertThat(downloads()).doesNotExist();
        int mark = bob.lineCount();
        bob.send("/get alice");
        bob.awaitLineAfter(mark, "alice has offered you no file");
    }

    @Test
    void aFileLargerThanTheReceiversCapIsRefusedBeforeAnyByteMoves() throws Exception {
        chatting(Map.of(), Map.of("--max-file-size", "1M"));
        Path file = randomFile("huge.bin", 2 * 1024 * 1024);
        alice.send("/send bob " + file);
        alice.awaitLine("bob refused huge.bin: bob takes files up to 1.0 MiB and this one is 2.0 MiB");
        bob.awaitLine("refused huge.bin from alice: it is 2.0 MiB, more than your --max-file-size (1.0 MiB)");
        assertThat(downloads()).doesNotExist();
        assertThat(alice.lines()).noneMatch(line -> line.contains("sending huge.bin"));
    }
}
