package dev.p2pchat.registry;

import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.registry.cluster.PostgresCluster;
import dev.p2pchat.registry.metrics.RegistryMetrics;
import dev.p2pchat.registry.net.Admission;
import dev.p2pchat.registry.net.Connection;
import dev.p2pchat.registry.net.ConnectionStats;
import dev.p2pchat.registry.net.DescriptorBudget;
import dev.p2pchat.registry.net.KeepAliveEndpoint;
import dev.p2pchat.registry.service.RegistryService;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.PostgresRegistryStore;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.registry.store.SqliteRegistryStore;
import dev.p2pchat.registry.service.Relays;
import dev.p2pchat.relay.RelayServer;
import dev.p2pchat.relay.RendezvousTokens;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PasswordHasher;
import dev.p2pchat.security.Tls;
import dev.p2pchat.security.TokenSigner;
import dev.p2pchat.registry.net.TlsEngine;
import dev.p2pchat.transport.Acceptor;
import dev.p2pchat.transport.Deadlines;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry: a TLS listener with one virtual thread per connection, a UDP keep-alive socket, and one scheduler
 * that expires silent sessions. State lives in {@link SessionRegistry} (who is online, rooms' members) and the
 * {@link RegistryStore} (accounts, rooms). {@link #start()} binds; {@link #close()} tells every client
 * {@code SHUTDOWN}, closes the sockets and the store. Sessions are not logged out by a shutdown: clients RESUME.
 */
public final class RegistryServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryServer.class);
    static final String TLS_DIR = "tls";
    static final String TOKEN_SECRET_FILE = "token.secret";
    static final String COMMON_NAME = "p2pchat-registry";
    /** Over-limit connections being told FULL at once; beyond this they are dropped without a word. */
    private static final int MAX_REFUSING = 64;
    private static final int BIND_ATTEMPTS = 10;

    private final RegistryConfig config;
    private final Clock clock;
    private final Function<Path, RegistryStore> storeFactory;
    private final Path statsFile;
    private final ConnectionStats connectionStats = new ConnectionStats();
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refusing = new AtomicInteger();
    private final CountDownLatch closedLatch = new CountDownLatch(1);
    private final Object lifecycle = new Object();

    private RegistryStore store;
    private SessionRegistry sessions;
    private RegistryService service;
    /** This node's part in a cluster (--cluster), else null. */
    private PostgresCluster cluster;
    private RegistryMetrics metrics;
    private Identity identity;
    private ServerSocket listener;
    private TlsEngine tls;
    private RelayServer relay;
    private Deadlines deadlines;
    /** Connections between accept and their first answer, at most so many at once (Admission says why). */
    private final Admission admission = Admission.forThisMachine();
    /** Client connections the file limit allows ({@link DescriptorBudget}). */
    private int descriptors;
    private KeepAliveEndpoint udp;
    private ScheduledExecutorService scheduler;
    private Thread acceptor;
    private Connection.Settings connectionSettings;
    private volatile boolean started;
    private volatile boolean closed;

    public RegistryServer(RegistryConfig config, Clock clock) {
        this(config, clock, defaultStore(config), null);
    }

    /** Also writes the counters to {@code statsFile} (when not null) at every stats interval and at close. */
    public RegistryServer(RegistryConfig config, Clock clock, Path statsFile) {
        this(config, clock, defaultStore(config), statsFile);
    }

    /** SQLite in the data directory, or the PostgreSQL database the configuration names. */
    private static Function<Path, RegistryStore> defaultStore(RegistryConfig config) {
        return config.database() == null ? SqliteRegistryStore::open
                : dataDir -> PostgresRegistryStore.open(config.database());
    }

    /** With another store than SQLite in the data directory (another database, or a test double). */
    public RegistryServer(RegistryConfig config, Clock clock, Function<Path, RegistryStore> storeFactory) {
        this(config, clock, storeFactory, null);
    }

    private RegistryServer(RegistryConfig config, Clock clock, Function<Path, RegistryStore> storeFactory,
            Path statsFile) {
        this.config = config;
        this.clock = clock;
        this.storeFactory = storeFactory;
        this.statsFile = statsFile;
    }

    /** Opens the data directory, binds both ports and starts serving. */
    public RegistryServer start() throws IOException {
        synchronized (lifecycle) {
            if (started || closed) {
                throw new IllegalStateException("start() runs once");
            }
            started = true;
            try {
                open();
            } catch (IOException | RuntimeException e) {
                close();
                throw e;
            }
            return this;
        }
    }

    private void open() throws IOException {
        Path dataDir = config.dataDir();
        Files.createDirectories(dataDir);
        identity = config.tlsCert() != null
                ? Identity.load(config.tlsCert(), config.tlsKey())
                : Identity.loadOrCreate(dataDir.resolve(TLS_DIR), COMMON_NAME);
        store = storeFactory.apply(dataDir);
        TokenSigner tokens;
        if (config.cluster() != null) {
            // After the store: its migrations made the cluster's tables. Every node signs with the database's secret.
            cluster = PostgresCluster.open(config.database(), config.cluster().lease());
            tokens = cluster.tokenSigner();
            sessions = new SessionRegistry(clock, config.maxRoomsPerSession(), cluster::publish);
        } else {
            tokens = TokenSigner.loadOrCreate(dataDir.resolve(TOKEN_SECRET_FILE));
            sessions = new SessionRegistry(clock, config.maxRoomsPerSession());
        }
        service = new RegistryService(config.serviceSettings(), store, sessions,
                new PasswordHasher(config.argon2(), new SecureRandom()), tokens, clock,
                cluster == null ? Cluster.NONE : cluster);
        // A write blocked for a whole keep-alive time-out: the client stopped reading, and would be dropped anyway.
        connectionSettings = new Connection.Settings(config.unauthenticatedTimeout(),
                config.unauthenticatedLifetime(), config.requestBurst(), config.requestsPerSecond(),
                config.maxQueuedBytes(), config.keepAliveTimeout().compareTo(config.unauthenticatedTimeout()) > 0
                        ? config.keepAliveTimeout() : config.unauthenticatedTimeout(), config.shutdownGrace());
        descriptors = DescriptorBudget.connections();
        if (config.maxConnections() > descriptors) {
            LOG.warn("--max-connections is {} but the file limit (ulimit -n {}) leaves room for {} connections: "
                    + "beyond them clients are answered FULL 503; raise ulimit -n to hold more",
                    config.maxConnections(), DescriptorBudget.processLimit(), descriptors);
        }
        // Its own watchdog, ticking a tenth of these deadlines rather than the shared 100 ms (Deadlines says why).
        deadlines = Deadlines.forSettings(connectionSettings.channel(), "registry-deadlines");
        bind();
        startRelays();
        service.udpPort(udp.port());
        udp.start(service::keepAlive);
        if (cluster != null) {
            cluster.start(sessions); // before the first login: it knows who the other nodes hold
        }
        if (config.metricsPort() != null) {
            metrics = serveMetrics();
        }
        acceptor = Acceptor.start(listener, "registry-accept-" + tcpPort(), this::admit).thread();
        long tick = Math.max(10, config.keepAliveTimeout().toMillis() / 10);
        scheduler = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("registry-expiry").factory());
        scheduler.scheduleWithFixedDelay(this::expireIdleSessions, tick, tick, TimeUnit.MILLISECONDS);
        long sweep = config.mailbox().sweepInterval().toMillis();
        scheduler.scheduleWithFixedDelay(this::sweepMailboxes, sweep, sweep, TimeUnit.MILLISECONDS);
        long statsMillis = config.statsInterval().toMillis();
        scheduler.scheduleAtFixedRate(this::reportStats, statsMillis, statsMillis, TimeUnit.MILLISECONDS);
        LOG.info("Registry listening on {}:{} (TLS 1.3, {}), keep-alive on UDP {}, keep-alive timeout {}; "
                        + "certificate fingerprint {}", config.host(), tcpPort(), tls.describe(), udp.port(),
                DurationConverter.format(config.keepAliveTimeout()), fingerprint());
    }

    /** The relay inside this process (unless turned off), then tells the service of every relay it may hand out. */
    private void startRelays() throws IOException {
        RelaySettings settings = config.relays();
        if (!settings.inProcess() && settings.external().isEmpty()) {
            return;
        }
        RendezvousTokens rendezvous = new RendezvousTokens(
                RendezvousTokens.loadOrCreateSecret(settings.secretFile(config.dataDir())), clock);
        List<Relays.Endpoint> endpoints = new ArrayList<>();
        if (settings.inProcess()) {
            relay = RelayServer.start(InetAddress.getByName(config.host()), settings.port(), identity, rendezvous,
                    settings.limits());
            endpoints.add(new Relays.Endpoint(null, relay.port(), identity.fingerprint()));
        }
        endpoints.addAll(settings.external());
        InetAddress bound = InetAddress.getByName(config.host());
        service.relays(endpoints, rendezvous, bound.isAnyLocalAddress() ? null : bound.getHostAddress());
    }

    /** The port of the relay inside this registry; 0 when it runs none. */
    public int relayPort() {
        RelayServer own = relay;
        return own == null ? 0 : own.port();
    }

    /**
     * Binds TCP, then UDP. When the UDP port is to equal a TCP port chosen by the system and that number is taken
     * for UDP, both are bound again on another number.
     */
    private void bind() throws IOException {
        InetAddress host = InetAddress.getByName(config.host());
        boolean follow = config.udpPort() == null;
        tls = TlsEngine.serving(identity, config.tlsEngine());
        for (int attempt = 1; ; attempt++) {
            // Plain TCP: each accepted connection becomes TLS in admit(), on the engine chosen (TlsEngine).
            listener = new ServerSocket(config.tcpPort(), 512, host);
            int udpPort = follow ? listener.getLocalPort() : config.udpPort();
            try {
                udp = KeepAliveEndpoint.bind(new InetSocketAddress(host, udpPort));
                return;
            } catch (BindException e) {
                listener.close();
                if (!follow || config.tcpPort() != 0 || attempt == BIND_ATTEMPTS) {
                    throw new BindException("UDP port " + udpPort + " on " + config.host() + ": " + e.getMessage());
                }
            }
        }
    }

    private RegistryMetrics serveMetrics() throws IOException {
        Cluster shared = cluster == null ? Cluster.NONE : cluster;
        RegistryMetrics m = new RegistryMetrics()
                .gauge("p2pchat_registry_sessions", "Users online on this node", sessions::onlineCount)
                .gauge("p2pchat_registry_connections", "Open TLS connections", connections::size)
                .gauge("p2pchat_registry_rooms_active", "Rooms with at least one member on this node",
                        () -> sessions.memberCounts().size())
                .counter("p2pchat_registry_keepalives", "UDP keep-alives received", () -> udp.stats().received())
                .counter("p2pchat_registry_keepalives_refused", "UDP keep-alives refused",
                        () -> udp.stats().refused())
                .gauge("p2pchat_registry_argon2_queue", "Password checks waiting for Argon2",
                        () -> service.stats().argon2QueuedNow())
                .counter("p2pchat_registry_argon2_refused_busy", "Requests answered FULL 503 for a full Argon2 queue",
                        () -> service.stats().argon2RefusedBusy())
                .counter("p2pchat_registry_mailbox_items_stored", "Mailbox items stored by this node",
                        () -> service.mailboxItemsStored())
                .counter("p2pchat_registry_self_tests", "Reachability self-tests started after a login",
                        () -> service.selfTestsRun())
                .counter("p2pchat_registry_self_tests_skipped",
                        "Logins not self-tested because as many tests were running as may",
                        () -> service.selfTestsSkipped())
                .gauge("p2pchat_registry_cluster_peer_nodes", "Other nodes of the cluster holding users",
                        () -> shared.stats().peerNodes())
                .gauge("p2pchat_registry_cluster_remote_users", "Users online on other nodes of the cluster",
                        () -> shared.stats().remoteUsers())
                .gauge("p2pchat_registry_cluster_lease_age_seconds", "Time since this node last renewed its lease",
                        () -> shared.stats().leaseAge().toMillis() / 1000.0)
                .counter("p2pchat_registry_cluster_events_received", "Cluster events received",
                        () -> shared.stats().eventsReceived())
                .counter("p2pchat_registry_cluster_events_sent", "Cluster events sent",
                        () -> shared.stats().eventsSent());
        service.observeRequests(m::request);
        try {
            m.serve(config.host(), config.metricsPort());
        } catch (IOException e) {
            m.close();
            throw new IOException("metrics port " + config.metricsPort() + ": " + e.getMessage(), e);
        }
        LOG.info("Metrics on http://{}:{}/metrics, health on /-/healthy", config.host(), m.port());
        return m;
    }

    /** The port serving metrics; only with a metrics port configured. */
    public int metricsPort() {
        return metrics.port();
    }

    private void admit(Socket accepted) {
        Runnable served;
        try {
            served = admission.enter(); // paced: the acceptor waits here, new clients in the listen backlog
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeQuietly(accepted);
            return;
        }
        SSLSocket socket;
        try {
            socket = tls.accept(accepted);
        } catch (IOException | RuntimeException e) {
            served.run();
            LOG.debug("Connection from {} failed at once: {}", accepted.getRemoteSocketAddress(), e.toString());
            closeQuietly(accepted);
            return;
        }
        boolean room = admitted.incrementAndGet() <= connectionCapacity();
        if (!room) {
            admitted.decrementAndGet();
            if (refusing.incrementAndGet() > MAX_REFUSING) {
                refusing.decrementAndGet();
                served.run();
                closeQuietly(socket);
                return;
            }
        }
        AtomicInteger counter = room ? admitted : refusing;
        Connection[] self = new Connection[1];
        try {
            self[0] = new Connection(socket, connectionSettings, deadlines, service, sessions, clock,
                    room ? null : Status.FULL, connectionStats, served, () -> {
                        connections.remove(self[0]);
                        counter.decrementAndGet();
                    });
        } catch (IOException e) {
            counter.decrementAndGet();
            served.run();
            LOG.debug("Connection from {} failed at once: {}", socket.getRemoteSocketAddress(), e.toString());
            closeQuietly(socket);
            return;
        }
        connections.add(self[0]);
        self[0].start();
    }

    /**
     * Client connections this registry may hold now: its {@code --max-connections}, and never more than its file
     * limit leaves beside the relay's links (two sockets each) and {@link DescriptorBudget#RESERVED}.
     */
    private int connectionCapacity() {
        int relayed = relay == null ? 0 : 2 * relay.links();
        return Math.min(config.maxConnections(), descriptors - relayed);
    }

    private void expireIdleSessions() {
        try {
            for (Session session : service.expireIdle()) {
                LOG.info("{} timed out: no keep-alive or request for {}", session.username(),
                        DurationConverter.format(config.keepAliveTimeout()));
                InetSocketAddress address = session.keepAliveAddress();
                if (address != null) {
                    udp.sendTimeout(session.username(), address);
                }
            }
            service.prune();
        } catch (RuntimeException e) {
            LOG.error("Expiring sessions failed", e);
        }
    }

    private void sweepMailboxes() {
        try {
            service.sweepMailboxes();
        } catch (RuntimeException e) {
            LOG.error("Sweeping expired mailbox items failed", e);
        }
    }

    /** The counters now; only while started. */
    public RegistryStats stats() {
        return new RegistryStats(clock.instant(), sessions.onlineCount(), connections.size(),
                RegistryStats.ConnectionSnapshot.of(connectionStats), udp.stats(), service.stats());
    }

    private void reportStats() {
        try {
            RegistryStats stats = stats();
            LOG.info("Stats: {}", stats.logLine());
            writeStats(stats);
        } catch (RuntimeException e) {
            LOG.error("Reporting stats failed", e);
        }
    }

    private void writeStats(RegistryStats stats) {
        if (statsFile == null) {
            return;
        }
        try {
            Path temp = statsFile.resolveSibling(statsFile.getFileName() + ".tmp");
            Files.writeString(temp, stats.json(), StandardCharsets.UTF_8);
            Files.move(temp, statsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            LOG.warn("Cannot write {}: {}", statsFile, e.toString());
        }
    }

    public int tcpPort() {
        return listener.getLocalPort();
    }

    public int udpPort() {
        return udp.port();
    }

    /** SHA-256 of the TLS certificate, lower-case hex: what clients pin. */
    public String fingerprint() {
        return identity.fingerprint();
    }

    public RegistryConfig config() {
        return config;
    }

    /** This node's part in its cluster; null for a registry of its own. */
    public PostgresCluster cluster() {
        return cluster;
    }

    /** Users online now (attached or waiting to be resumed). */
    public int onlineCount() {
        return sessions.onlineCount();
    }

    /** Open TLS connections, counting those being refused. */
    public int connectionCount() {
        return connections.size();
    }

    /** Blocks until {@link #close()} has finished. */
    public void awaitClosed() throws InterruptedException {
        closedLatch.await();
    }

    public boolean isClosed() {
        return closed;
    }

    /** Pushes SHUTDOWN to every client, closes every socket, then the store. Idempotent. */
    @Override
    public void close() {
        synchronized (lifecycle) {
            if (closed) {
                return;
            }
            closed = true;
            try {
                shutDown();
            } finally {
                closedLatch.countDown();
            }
        }
    }

    private void shutDown() {
        boolean wasServing = acceptor != null;
        closeQuietly(listener);
        join(acceptor, Duration.ofSeconds(1));
        if (scheduler != null) {
            scheduler.shutdownNow();
            if (udp != null && service != null) {
                reportStats();
            }
        }
        List<Connection> open = new ArrayList<>(connections);
        for (Connection connection : open) {
            connection.shutdown("the registry is shutting down");
        }
        long deadline = System.nanoTime() + config.shutdownGrace().toNanos();
        for (Connection connection : open) {
            long left = deadline - System.nanoTime();
            join(connection.thread(), Duration.ofNanos(Math.max(1, left)));
        }
        for (Connection connection : connections) {
            connection.kick("the registry is shutting down");
        }
        if (udp != null) {
            udp.close();
        }
        closeQuietly(relay);
        if (cluster != null) {
            cluster.close();
        }
        if (metrics != null) {
            metrics.close();
        }
        if (store != null) {
            store.close();
        }
        if (deadlines != null) {
            deadlines.close(); // every connection was kicked above
        }
        if (wasServing) {
            LOG.info("Registry stopped ({} connections closed)", open.size());
        }
    }

    private static void join(Thread thread, Duration timeout) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(timeout);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            LOG.debug("Closing {}: {}", closeable, e.toString());
        }
    }
}
