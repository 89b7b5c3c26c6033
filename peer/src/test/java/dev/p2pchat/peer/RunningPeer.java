package dev.p2pchat.peer;

import org.awaitility.Awaitility;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.function.UnaryOperator;

/** A real {@link Peer} for a test, recording every event it emits. */
final class RunningPeer implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final Peer peer;
    final Path dataDir;
    private final List<PeerEvent> events = new CopyOnWriteArrayList<>();

    private RunningPeer(PeerConfig config) throws PeerException {
        this.dataDir = config.dataDir();
        this.peer = Peer.start(config, events::add);
    }

    static PeerConfig config(TestRegistry registry, Path dataDir) {
        return new PeerConfig("127.0.0.1", registry.port(), registry.fingerprint(), "127.0.0.1", 0, dataDir,
                Duration.ofSeconds(3), Duration.ofSeconds(20), Duration.ofMillis(50), Duration.ofMillis(400), 0);
    }

    static RunningPeer start(TestRegistry registry, Path dataDir) throws PeerException {
        return new RunningPeer(config(registry, dataDir));
    }

    static RunningPeer start(TestRegistry registry, Path dataDir, UnaryOperator<PeerConfig> customize)
            throws PeerException {
        return new RunningPeer(customize.apply(config(registry, dataDir)));
    }

    /** Starts, registers (if new) and logs in. */
    static RunningPeer loggedIn(TestRegistry registry, Path dataDir, String user) throws PeerException {
        RunningPeer p = start(registry, dataDir);
        p.peer.register(user, (user + "-pw").toCharArray());
        p.peer.login(user, (user + "-pw").toCharArray());
        return p;
    }

    List<PeerEvent> events() {
        return List.copyOf(events);
    }

    <T extends PeerEvent> List<T> events(Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    <T extends PeerEvent> List<T> events(Class<T> type, Predicate<T> filter) {
        return events(type).stream().filter(filter).toList();
    }

    <T extends PeerEvent> T await(Class<T> type, Predicate<T> filter) {
        return Awaitility.await().atMost(WAIT).until(() -> events(type, filter), l -> !l.isEmpty()).get(0);
    }

    <T extends PeerEvent> T await(Class<T> type) {
        return await(type, e -> true);
    }

    void clearEvents() {
        events.clear();
    }

    /** Closes this peer's listening port and waits until connections to it are refused (as behind a NAT). */
    void stopListeningAndAwaitRefusal() {
        peer.stopListening();
        Awaitility.await().atMost(WAIT).until(() -> refusesConnections(peer.port()));
    }

    private static boolean refusesConnections(int port) {
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            return false;
        } catch (java.net.ConnectException e) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        peer.close();
    }
}
