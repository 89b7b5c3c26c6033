package dev.p2pchat.cli.session;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import dev.p2pchat.registry.RegistryConfig;
import dev.p2pchat.registry.RegistryServer;
import dev.p2pchat.security.Argon2Params;

/**
 * The real registry for a client test: TLS and UDP on free loopback ports, SQLite in the given directory,
 * cheap Argon2. {@link #restart()} brings it back on the same data and ports, as after a crash.
 */
final class LocalRegistry implements AutoCloseable {

    private final RegistryConfig config;
    private RegistryServer server;

    LocalRegistry(Path dataDir) {
        this.config = RegistryConfig.builder(dataDir).host("127.0.0.1").tcpPort(0).udpPort(0)
                .argon2(Argon2Params.FAST_FOR_TESTS).argon2Concurrency(2)
                .keepAliveTimeout(Duration.ofSeconds(5)).shutdownGrace(Duration.ofMillis(300)).build();
        this.server = start(config);
    }

    int port() {
        return server.tcpPort();
    }

    String fingerprint() {
        return server.fingerprint();
    }

    /** Stops the registry (clients hear SHUTDOWN) and starts it again on the same data and ports. */
    void restart() {
        int tcp = server.tcpPort();
        int udp = server.udpPort();
        server.close();
        server = start(config.toBuilder().tcpPort(tcp).udpPort(udp).build());
    }

    private static RegistryServer start(RegistryConfig config) {
        try {
            return new RegistryServer(config, Clock.systemUTC()).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.close();
    }
}
