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
 * A registry node in a process of its own ({@code p2pchat registry …} on this test's class path), so that a test
 * can SIGKILL it or give it a file limit of its own: no shutdown hook, no close, its lease simply stops. Its output goes to a file beside its data.
 */
final class ClusterNodeProcess implements AutoCloseable {
    private static final Pattern PORT = Pattern.compile("\"tcp_port\":(\\d+),\"udp_port\":(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("\"fingerprint\":\"([0-9a-fA-F:]+)\"");

    private final Process process;
    private final int tcpPort;
    private final int udpPort;
    private final String fingerprint;
    private final Path dataDir;

    private ClusterNodeProcess(Process process, int tcpPort, int udpPort, String fingerprint, Path dataDir) {
        this.process = process;
        this.dataDir = dataDir;
        this.tcpPort = tcpPort;
        this.udpPort = udpPort;
        this.fingerprint = fingerprint;
    }

    /** Runs the registry command with {@code args}: the child's main. */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RegistryCommand()).execute(args));
    }

    /** Starts a node and waits for its ready file. */
    static ClusterNodeProcess start(Path dataDir, String databaseUrl, Duration lease, Path cert, Path key)
            throws IOException {
        return start(List.of(), dataDir, List.of("--database", databaseUrl, "--cluster",
                "--cluster-lease", lease.toMillis() + "ms", "--tls-cert", cert.toString(), "--tls-key", key.toString()));
    }

    /**
     * A registry of its own (SQLite in {@code dataDir}, no relay, further flags {@code args}) whose process may open
     * {@code files} at most.
     */
    static ClusterNodeProcess startUnderFileLimit(Path dataDir, int files, String... args) throws IOException {
        List<String> all = new ArrayList<>(List.of("--no-relay"));
        all.addAll(List.of(args));
        return start(List.of("prlimit", "--nofile=" + files + ":" + files, "--"), dataDir, all);
    }

    /** What the node has logged so far. */
    String log() throws IOException {
        return Files.readString(dataDir.resolve("node.log"), StandardCharsets.UTF_8);
    }

    /** Runs the registry command with {@code args} through {@code prefix}, and waits for its ready file. */
    private static ClusterNodeProcess start(List<String> prefix, Path dataDir, List<String> args) throws IOException {
        return start(prefix, List.of("-Xmx128m"), System.getProperty("java.class.path"), dataDir, args);
    }

    /** A registry of its own (SQLite in {@code dataDir}, no relay) in a JVM with these options and class path. */
    static ClusterNodeProcess startInJvm(List<String> jvmOptions, String classPath, Path dataDir) throws IOException {
        return start(List.of(), jvmOptions, classPath, dataDir, List.of("--no-relay"));
    }

    private static ClusterNodeProcess start(List<String> prefix, List<String> jvmOptions, String classPath,
            Path dataDir, List<String> args) throws IOException {
        Files.createDirectories(dataDir);
        Path ready = dataDir.resolve("ready.json");
        Files.deleteIfExists(ready);
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> command = new ArrayList<>(prefix);
        command.add(java);
        command.addAll(jvmOptions);
        command.addAll(List.of("-cp", classPath, ClusterNodeProcess.class.getName(),
                "--port", "0", "--udp-port", "0", "--data-dir", dataDir.toString(), "--ready-file", ready.toString(),
                "--argon2-memory-kib", "1024", "--argon2-iterations", "1"));
        command.addAll(args);
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
        String json = Files.readString(ready, StandardCharsets.UTF_8);
        Matcher m = PORT.matcher(json);
        Matcher f = FINGERPRINT.matcher(json);
        if (!m.find() || !f.find()) {
            process.destroyForcibly();
            throw new IllegalStateException("unreadable ready file " + ready);
        }
        return new ClusterNodeProcess(process, Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), f.group(1),
                dataDir);
    }

    /** The certificate fingerprint the node's ready file names. */
    String fingerprint() {
        return fingerprint;
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
        stop(Duration.ofSeconds(10));
    }

    /** SIGTERM, and up to {@code patience} for the process to end by itself before a SIGKILL. */
    void stop(Duration patience) throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(patience.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        }
    }

    /** Whether the process ended by itself (after a SIGTERM, the JVM's 143 counts as by itself). */
    boolean endedByItself() {
        return !process.isAlive() && process.exitValue() != 137;
    }
}
