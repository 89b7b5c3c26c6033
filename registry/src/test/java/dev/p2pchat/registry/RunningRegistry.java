package dev.p2pchat.registry;

import dev.p2pchat.transport.testing.MutableClock;
import dev.p2pchat.registry.store.PostgresRegistryStore;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.registry.store.SqliteRegistryStore;
import dev.p2pchat.security.Argon2Params;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.UnaryOperator;

/**
 * A real registry for a test: TLS and UDP on free ports, SQLite in the given directory, cheap Argon2. Hands out
 * clients pinned to its certificate and closes them all with itself.
 */
public final class RunningRegistry implements AutoCloseable {
    private final RegistryConfig config;
    private final RegistryServer server;
    private final Function<Path, RegistryStore> storeFactory;
    private final List<AutoCloseable> clients = new ArrayList<>();

    private final Clock clock;

    private RunningRegistry(RegistryConfig config, Function<Path, RegistryStore> storeFactory) {
        this(config, storeFactory, Clock.systemUTC());
    }

    private RunningRegistry(RegistryConfig config, Function<Path, RegistryStore> storeFactory, Clock clock) {
        this.config = config;
        this.storeFactory = storeFactory;
        this.clock = clock;
        this.server = new RegistryServer(config, clock, storeFactory);
        try {
            server.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static RunningRegistry start(Path dataDir) {
        return start(dataDir, b -> b);
    }

    /** Starts with the test defaults changed by {@code customize}. */
    public static RunningRegistry start(Path dataDir, UnaryOperator<RegistryConfig.Builder> customize) {
        return new RunningRegistry(customize.apply(testDefaults(dataDir)).build(), SqliteRegistryStore::open);
    }

    /** Starts on {@code clock} (a {@link MutableClock}, say) with the test defaults changed by {@code customize}. */
    public static RunningRegistry start(Path dataDir, Clock clock, UnaryOperator<RegistryConfig.Builder> customize) {
        return new RunningRegistry(customize.apply(testDefaults(dataDir)).build(), SqliteRegistryStore::open, clock);
    }

    /** Starts on a store made by {@code storeFactory}, e.g. one that fails on purpose. */
    public static RunningRegistry startWithStore(Path dataDir, Function<Path, RegistryStore> storeFactory) {
        return new RunningRegistry(testDefaults(dataDir).build(), storeFactory);
    }

    /**
     * A node of a cluster on the PostgreSQL database at {@code databaseUrl}, presenting the certificate every node of
     * the test shares (so one fingerprint pins them all), with a lease short enough for a test to watch it run out.
     */
    public static RunningRegistry startInCluster(Path dataDir, String databaseUrl, Duration lease, Path tlsCert,
            Path tlsKey) {
        RegistryConfig config = testDefaults(dataDir).database(databaseUrl).tls(tlsCert, tlsKey)
                .cluster(new RegistryConfig.ClusterSettings(lease)).build();
        return new RunningRegistry(config, dir -> PostgresRegistryStore.open(databaseUrl));
    }

    /**
     * Port 0 for both sockets, fast Argon2, the production timeouts. No reachability self-test: these clients
     * announce ports nobody listens on, and tests read their pushes in order (ReachabilitySelfTestTest turns it on).
     */
    public static RegistryConfig.Builder testDefaults(Path dataDir) {
        return RegistryConfig.builder(dataDir).tcpPort(0).argon2(Argon2Params.FAST_FOR_TESTS).argon2Concurrency(2)
                .shutdownGrace(Duration.ofMillis(500)).maxSelfTests(0);
    }

    /** A short keep-alive timeout for tests that watch sessions expire. */
    public static UnaryOperator<RegistryConfig.Builder> keepAliveTimeout(Duration timeout) {
        return b -> b.keepAliveTimeout(timeout);
    }

    /** Stops this registry (its clients too) and starts a new one on the same data directory and settings. */
    public RunningRegistry restart() {
        close();
        return new RunningRegistry(config, storeFactory, clock);
    }

    public RegistryServer server() {
        return server;
    }

    public RegistryConfig config() {
        return config;
    }

    public int tcpPort() {
        return server.tcpPort();
    }

    public int udpPort() {
        return server.udpPort();
    }

    public String fingerprint() {
        return server.fingerprint();
    }

    public Path dataDir() {
        return config.dataDir();
    }

    /** A new TLS connection, closed with the registry. */
    public RegistryTestClient client() {
        RegistryTestClient client = RegistryTestClient.connect("127.0.0.1", tcpPort(), fingerprint(), udpPort());
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    /** A new TLS connection from {@code localIp} (127.0.0.2, say), closed with the registry. */
    public RegistryTestClient clientFrom(String localIp) {
        RegistryTestClient client = RegistryTestClient.connectFrom(localIp, "127.0.0.1", tcpPort(), fingerprint(),
                udpPort());
        synchronized (clients) {
            clients.add(client);
        }
        return client;
    }

    @Override
    public void close() {
        synchronized (clients) {
            for (AutoCloseable client : clients) {
                try {
                    client.close();
                } catch (Exception ignored) {
                    // best effort
                }
            }
            clients.clear();
        }
        server.close();
    }
}
