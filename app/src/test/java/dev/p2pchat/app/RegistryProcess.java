package dev.p2pchat.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A registry process on free ports with cheap Argon2 settings; knows its port and fingerprint once ready. */
final class RegistryProcess implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("\"tcp_port\"\\s*:\\s*(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("\"fingerprint\"\\s*:\\s*\"([0-9a-fA-F:]+)\"");

    private final RunningProcess process;
    private final int port;
    private final String fingerprint;

    private RegistryProcess(RunningProcess process, int port, String fingerprint) {
        this.process = process;
        this.port = port;
        this.fingerprint = fingerprint;
    }

    static RegistryProcess start(Path dir) throws IOException {
        Path ready = dir.resolve("ready.json");
        RunningProcess process = RunningProcess.start("registry", dir, List.of("registry",
                "--port", "0", "--udp-port", "0", "--data-dir", dir.resolve("data").toString(),
                "--ready-file", ready.toString(), "--argon2-memory-kib", "64", "--argon2-iterations", "1"));
        try {
            await().atMost(RunningProcess.STEP).until(() -> Files.exists(ready));
            String json = Files.readString(ready);
            Matcher port = PORT.matcher(json);
            Matcher fingerprint = FINGERPRINT.matcher(json);
            if (!port.find() || !fingerprint.find()) {
                throw new IllegalStateException("unexpected ready file: " + json);
            }
            return new RegistryProcess(process, Integer.parseInt(port.group(1)), fingerprint.group(1));
        } catch (RuntimeException e) {
            process.close();
            throw new IllegalStateException("registry did not start; stderr:\n" + process.stderr(), e);
        }
    }

    /** Starts {@code p2pchat peer} in line mode (stdin is a pipe) against this registry. */
    RunningProcess startPeer(String name, Path dir) throws IOException {
        return RunningProcess.start(name, dir, peerArguments(dir));
    }

    /** The whole command line of a peer against this registry, for starting it some other way (tmux). */
    List<String> peerCommand(Path dir) {
        List<String> command = new java.util.ArrayList<>(RunningProcess.javaCommand());
        command.addAll(peerArguments(dir));
        return command;
    }

    private List<String> peerArguments(Path dir) {
        return List.of("peer", "--registry", "127.0.0.1:" + port, "--registry-fingerprint", fingerprint,
                "--data-dir", dir.resolve("data").toString(), "--delivery-window", "10s", "--request-timeout", "5s");
    }

    @Override
    public void close() {
        process.close();
    }
}
