package dev.p2pchat.peer;

import dev.p2pchat.registry.RegistryConfig;
import dev.p2pchat.registry.RegistryServer;
import dev.p2pchat.registry.RelaySettings;
import dev.p2pchat.security.Argon2Params;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.function.UnaryOperator;

/**
 * The real registry for a peer test: TLS on a free loopback port, SQLite in a temp directory, cheap Argon2 and
 * a short keep-alive timeout. {@link #restart()} brings it back on the same data directory and ports.
 */
final class TestRegistry implements AutoCloseable {
    static final Duration KEEPALIVE_TIMEOUT = Duration.ofSeconds(3);
    /** A registry that runs no relay and knows none ({@code --no-relay}). */
    static final RelaySettings NO_RELAY = new RelaySettings(false, 0, java.util.List.of(), null,
            dev.p2pchat.relay.RelayLimits.DEFAULTS);

    private final RegistryConfig config;
    private RegistryServer server;

    private TestRegistry(RegistryConfig config) {
        this.config = config;
        this.server = startServer(config);
    }

    static TestRegistry start(Path dataDir) {
        return startOn(dataDir, 0, 0);
    }

    /** A registry on given ports: another registry (another certificate) where an earlier one was. */
    static TestRegistry startOn(Path dataDir, int tcpPort, int udpPort) {
        return start(dataDir, b -> b.tcpPort(tcpPort).udpPort(udpPort));
    }

    static TestRegistry start(Path dataDir, UnaryOperator<RegistryConfig.Builder> customize) {
        return new TestRegistry(customize.apply(RegistryConfig.builder(dataDir).host("127.0.0.1").tcpPort(0)
                .udpPort(0).argon2(Argon2Params.FAST_FOR_TESTS).argon2Concurrency(2)
                .keepAliveTimeout(KEEPALIVE_TIMEOUT).shutdownGrace(Duration.ofMillis(300))).build());
    }

    /** The port of the relay inside the registry (0: none). */
    int relayPort() {
        return server.relayPort();
    }

    /**
     * A node of a registry cluster on the PostgreSQL database at {@code databaseUrl}, presenting the certificate the
     * nodes of the test share, with a short lease.
     */
    static TestRegistry startInCluster(Path dataDir, String databaseUrl, Duration lease, Path cert, Path key) {
        return start(dataDir, b -> b.database(databaseUrl).tls(cert, key)
                .cluster(new RegistryConfig.ClusterSettings(lease)));
    }

    /** The port serving Prometheus metrics; only when started with a metrics port. */
    int metricsPort() {
        return server.metricsPort();
    }

    int connectionCount() {
        return server.connectionCount();
    }

    int udpPort() {
        return server.udpPort();
    }

    private static RegistryServer startServer(RegistryConfig config) {
        RegistryServer server = new RegistryServer(config, Clock.systemUTC());
        try {
            return server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return server.tcpPort();
    }

    String fingerprint() {
        return server.fingerprint();
    }

    int onlineCount() {
        return server.onlineCount();
    }

    /** Stops the registry (clients hear SHUTDOWN) and starts it again on the same data and ports. */
    void restart() {
        int tcp = server.tcpPort();
        int udp = server.udpPort();
        server.close();
        server = startServer(config.toBuilder().tcpPort(tcp).udpPort(udp).build());
    }

    void stop() {
        server.close();
    }

    @Override
    public void close() {
        server.close();
    }
}
