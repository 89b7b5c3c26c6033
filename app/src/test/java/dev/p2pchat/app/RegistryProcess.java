package dev.p2pchat.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry process with cheap Argon2 settings; knows its ports and fingerprint once ready. The first start
 * takes free ports; {@link #restart} brings a killed or stopped registry back on the same ports and data dir,
 * as an operator would.
 */
final class RegistryProcess implements AutoCloseable {

    private static final Pattern PORT = Pattern.compile("\"tcp_port\"\\s*:\\s*(\\d+)");
    private static final Pattern UDP_PORT = Pattern.compile("\"udp_port\"\\s*:\\s*(\\d+)");
    private static final Pattern FINGERPRINT = Pattern.compile("\"fingerprint\"\\s*:\\s*\"([0-9a-fA-F:]+)\"");
    /** What every peer gets unless a test says otherwise. */
    private static final Map<String, String> PEER_DEFAULTS = Map.of("--delivery-window", "10s",
            "--request-timeout", "5s");

    private final Path dir;
    /** Where the registry listens and peers reach it; its processes run through {@link #prefix}. */
    private final String host;
    private final List<String> prefix;
    private final List<String> options;
    private final RunningProcess process;
    private final int port;
    private final int udpPort;
    private final String fingerprint;

    private RegistryProcess(Path dir, String host, List<String> prefix, List<String> options, RunningProcess process,
                            int port, int udpPort, String fingerprint) {
        this.dir = dir;
        this.host = host;
        this.prefix = prefix;
        this.options = options;
        this.process = process;
        this.port = port;
        this.udpPort = udpPort;
        this.fingerprint = fingerprint;
    }

    /** A registry on free ports; {@code options} are further flags, such as {@code --keepalive-timeout 2s}. */
    static RegistryProcess start(Path dir, String... options) throws IOException {
        return start(dir, "127.0.0.1", List.of(), 0, 0, List.of(options));
    }

    /**
     * A registry listening on {@code host}, its command run through {@code prefix} (such as
     * {@code ip netns exec NS}: a registry on a host of a {@link TestNetwork}).
     */
    static RegistryProcess startOn(String host, List<String> prefix, Path dir, String... options) throws IOException {
        return startOn(host, host, prefix, dir, options);
    }

    /** Like {@link #startOn(String, List, Path, String...)}, bound to {@code bind} (such as {@code ::}). */
    static RegistryProcess startOn(String bind, String host, List<String> prefix, Path dir, String... options)
            throws IOException {
        List<String> all = new ArrayList<>(List.of("--host", bind));
        all.addAll(List.of(options));
        return start(dir, host, prefix, 0, 0, all);
    }

    private static RegistryProcess start(Path dir, String host, List<String> prefix, int tcpPort, int udpPort,
                                         List<String> options) throws IOException {
        Path ready = dir.resolve("ready.json");
        Files.deleteIfExists(ready);
        List<String> args = new ArrayList<>(List.of("registry",
                "--port", String.valueOf(tcpPort), "--udp-port", String.valueOf(udpPort),
                "--data-dir", dir.resolve("data").toString(),
                "--ready-file", ready.toString(), "--argon2-memory-kib", "64", "--argon2-iterations", "1"));
        args.addAll(options);
        RunningProcess process = RunningProcess.start("registry", dir, prefix, args);
        try {
            await().atMost(RunningProcess.STEP).until(() -> Files.exists(ready) || !process.isAlive());
            if (!Files.exists(ready)) {
                throw new IllegalStateException("the registry exited with " + process.awaitExit());
            }
            String json = Files.readString(ready);
            Matcher port = PORT.matcher(json);
            Matcher udp = UDP_PORT.matcher(json);
            Matcher fingerprint = FINGERPRINT.matcher(json);
            if (!port.find() || !udp.find() || !fingerprint.find()) {
                throw new IllegalStateException("unexpected ready file: " + json);
            }
            return new RegistryProcess(dir, host, prefix, options, process, Integer.parseInt(port.group(1)),
                    Integer.parseInt(udp.group(1)), fingerprint.group(1));
        } catch (RuntimeException | InterruptedException e) {
            process.close();
            throw new IllegalStateException("registry did not start; stderr:\n" + process.stderr(), e);
        }
    }

    /** Starts the registry again, on this one's TCP and UDP ports and data dir, once this one has stopped. */
    RegistryProcess restart() throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("the registry is still running");
        }
        RegistryProcess again = start(dir, host, prefix, port, udpPort, options);
        if (!again.fingerprint.equalsIgnoreCase(fingerprint)) {
            again.close();
            throw new IllegalStateException("the restarted registry has another certificate");
        }
        return again;
    }

    /** The registry's TLS port. */
    int port() {
        return port;
    }

    /** SIGKILL: no SHUTDOWN push, no goodbye; the sockets just die. */
    void kill() throws InterruptedException {
        process.kill();
    }

    /** SIGTERM: the registry pushes SHUTDOWN to every peer and exits. */
    void terminate() throws InterruptedException {
        process.terminate();
    }

    /** Starts {@code p2pchat peer} in line mode (stdin is a pipe) against this registry. */
    RunningProcess startPeer(String name, Path dir) throws IOException {
        return startPeer(name, dir, Map.of());
    }

    /** Like {@link #startPeer(String, Path)}, with {@code options} added to (or replacing) the usual ones. */
    RunningProcess startPeer(String name, Path dir, Map<String, String> options) throws IOException {
        return RunningProcess.start(name, dir, peerArguments(dir, options));
    }

    /** Starts {@code p2pchat peer} in line mode with its command run through {@code prefix} (another host). */
    RunningProcess startPeerThrough(List<String> prefix, String name, Path dir, Map<String, String> options)
            throws IOException {
        return RunningProcess.start(name, dir, prefix, peerArguments(host, dir, options));
    }

    /** Like {@link #startPeerThrough(List, String, Path, Map)}, reaching the registry at {@code registryHost}. */
    RunningProcess startPeerThrough(List<String> prefix, String registryHost, String name, Path dir,
                                    Map<String, String> options) throws IOException {
        return RunningProcess.start(name, dir, prefix, peerArguments(registryHost, dir, options));
    }

    /** The whole command line of a peer against this registry, for starting it some other way (tmux). */
    List<String> peerCommand(Path dir) {
        List<String> command = new ArrayList<>(RunningProcess.javaCommand());
        command.addAll(peerArguments(dir, Map.of()));
        return command;
    }

    private List<String> peerArguments(Path dir, Map<String, String> options) {
        return peerArguments(host, dir, options);
    }

    private List<String> peerArguments(String registryHost, Path dir, Map<String, String> options) {
        String registry = registryHost.indexOf(':') >= 0 ? "[" + registryHost + "]" : registryHost;
        List<String> args = new ArrayList<>(List.of("peer", "--registry", registry + ":" + port,
                "--registry-fingerprint", fingerprint, "--data-dir", dir.resolve("data").toString()));
        Map<String, String> all = new LinkedHashMap<>(PEER_DEFAULTS);
        all.putAll(options);
        all.forEach((option, value) -> {
            args.add(option);
            args.add(value);
        });
        return args;
    }

    @Override
    public void close() {
        process.close();
    }
}
