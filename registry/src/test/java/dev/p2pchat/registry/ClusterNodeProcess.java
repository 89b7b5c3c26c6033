package dev.p2pchat.registry;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * A registry node in a process of its own ({@code p2pchat registry --cluster …} on this test's class path), so that a
 * test can SIGKILL it: no shutdown hook, no close, its lease simply stops. Its output goes to a file beside its data.
 */
final class ClusterNodeProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("\"tcp_port\":(\\d+),\"udp_port\":(\\d+)");

    private final Process process;
    private final int tcpPort;
    private final int udpPort;

    private ClusterNodeProcess(Process process, int tcpPort, int udpPort) {
        this.process = process;
        this.tcpPort = tcpPort;
        this.udpPort = udpPort;
    }

    /** Runs the registry command with {@code args}: the child's main. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RegistryCommand()).execute(args));
    }

    /** Starts a node and waits for its ready file. */
    static ClusterNodeProcess start(Path dataDir, String databaseUrl, Duration lease, Path cert, Path key)
            throws IOException {
        Files.createDirectories(dataDir);
        Path ready = dataDir.resolve("ready.json");
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                ClusterNodeProcess.class.getName(),
                "--port", "0", "--udp-port", "0", "--data-dir", dataDir.toString(), "--ready-file", ready.toString(),
                "--database", databaseUrl, "--cluster", "--cluster-lease", lease.toMillis() + "ms",
                "--tls-cert", cert.toString(), "--tls-key", key.toString(),
                "--argon2-memory-kib", "1024", "--argon2-iterations", "1"));
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dataDir.resolve("node.log").toFile())
                .start();
        try {
            await().atMost(Duration.ofSeconds(60)).until(() -> Files.exists(ready) || !process.isAlive());
        } catch (RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
        if (!process.isAlive()) {
            throw new IllegalStateException("the node exited: "
                    + Files.readString(dataDir.resolve("node.log"), StandardCharsets.UTF_8));
        }
        Matcher m = PORT.matcher(Files.readString(ready, StandardCharsets.UTF_8));
        if (!m.find()) {
            process.destroyForcibly();
            throw new IllegalStateException("unreadable ready file " + ready);
        }
        return new ClusterNodeProcess(process, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    RegistryTestClient client(String fingerprint) {
        return RegistryTestClient.connect("127.0.0.1", tcpPort, fingerprint, udpPort);
    }

    int tcpPort() {
        return tcpPort;
    }

    /** SIGKILL, and waits for the process to be gone. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                kill();
            }
        }
    }
}
