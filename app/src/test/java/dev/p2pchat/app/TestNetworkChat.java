package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Real {@code p2pchat peer} processes in line mode on the hosts of a {@link TestNetwork}, against one registry, and
 * the steps the namespace tests take with them: log in, open a chat, deliver a message. Each peer works in
 * {@code tmp/HOST-USER}. It keeps the peers it started until {@link #closePeers()}, which a test calls after each
 * test; the network and the registry are the test class's, which {@link #closeAll} tears down.
 */
final class TestNetworkChat {
    private static final Pattern PENDING = Pattern.compile("\\(pending ([0-9a-zA-Z-]+)\\)$");

    private final TestNetwork net;
    private final RegistryProcess registry;
    private final Path tmp;
    private final Map<String, String> defaultOptions;
    private final List<RunningProcess> peers = new ArrayList<>();

    TestNetworkChat(TestNetwork net, RegistryProcess registry, Path tmp) {
        this(net, registry, tmp, Map.of());
    }

    /** @param defaultOptions given to every peer, before (and so overridden by) a peer's own options */
    TestNetworkChat(TestNetwork net, RegistryProcess registry, Path tmp, Map<String, String> defaultOptions) {
        this.net = net;
        this.registry = registry;
        this.tmp = tmp;
        this.defaultOptions = Map.copyOf(defaultOptions);
    }

    /** Starts {@code user}'s peer on {@code host}, not logged in, reaching the registry at its IPv4 address. */
    RunningProcess start(String host, String user, Map<String, String> options) throws Exception {
        return start(host, user, options, net.address("registry"));
    }

    RunningProcess start(String host, String user, Map<String, String> options, String registryHost)
            throws Exception {
        Map<String, String> all = new HashMap<>(defaultOptions);
        all.putAll(options);
        RunningProcess p = registry.startPeerThrough(net.on(host), registryHost, user,
                tmp.resolve(host + "-" + user), all);
        peers.add(p);
        return p;
    }

    RunningProcess loggedIn(String host, String user) throws Exception {
        return loggedIn(host, user, Map.of());
    }

    RunningProcess loggedIn(String host, String user, Map<String, String> options) throws Exception {
        return logIn(start(host, user, options));
    }

    /** Closes the peers started since the last call, the last started first. */
    void closePeers() {
        peers.reversed().forEach(RunningProcess::close);
        peers.clear();
    }

    /**
     * A test class's tear-down: closes what it started, in the order given (null for what it never got to start),
     * then deletes its temp directory.
     */
    static void closeAll(Path tmp, AutoCloseable... inOrder) throws Exception {
        for (AutoCloseable started : inOrder) {
            if (started != null) {
                started.close();
            }
        }
        if (tmp != null) {
            try (var files = Files.walk(tmp)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    /** Registers the peer's user, with a password made from its name, and logs in. */
    static RunningProcess logIn(RunningProcess p) {
        String user = p.name();
        p.send("/register " + user + " secret-" + user);
        p.awaitLine("* registered " + user);
        p.send("/login " + user + " secret-" + user);
        p.awaitLine("* logged in as " + user);
        return p;
    }

    /** {@code asker} asks {@code asked} for a chat, which accepts. */
    static void openChat(RunningProcess asker, RunningProcess asked) {
        asker.send("/chat " + asked.name());
        asked.awaitLine("* " + asker.name() + " asks for a private chat");
        asked.send("/accept " + asker.name());
        asked.awaitLine("* chat with " + asker.name() + " is open");
        asker.awaitLine("* " + asked.name() + " accepted your chat request");
    }

    /** {@code from} types {@code text} in its chat with {@code to}: it arrives once and is confirmed. */
    static void deliver(RunningProcess from, RunningProcess to, String text) {
        from.send("/msg " + to.name() + " " + text);
        String id = pendingId(from.awaitLine("[chat " + to.name() + "] <" + from.name() + "> " + text + " (pending "));
        to.awaitLine("[chat " + from.name() + "] <" + from.name() + "> " + text);
        from.awaitLine("✓ delivered " + id + " to " + to.name());
        assertThat(to.count(line -> line.endsWith("<" + from.name() + "> " + text))).isEqualTo(1);
    }

    /** The id of a message from the line that shows it sent, {@code … (pending ID)}. */
    static String pendingId(String line) {
        Matcher m = PENDING.matcher(line);
        assertThat(m.find()).as("a pending id in %s", line).isTrue();
        return m.group(1);
    }
}
