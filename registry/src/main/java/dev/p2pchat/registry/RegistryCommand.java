package dev.p2pchat.registry;

import dev.p2pchat.registry.net.TlsEngine;
import dev.p2pchat.registry.service.MailboxSettings;
import dev.p2pchat.security.Argon2Params;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code p2pchat registry}: runs the registry server until SIGINT/SIGTERM. */
@Command(name = "registry", mixinStandardHelpOptions = true,
        description = "Run the central registry: accounts, login, online status, rooms, peer discovery, keep-alive.")
public final class RegistryCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = RegistryConfig.DEFAULT_HOST,
            description = "Address to listen on (TCP and UDP). Default: ${DEFAULT-VALUE}")
    String host;

    @Option(names = "--port", defaultValue = "7070",
            description = "TLS port; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--udp-port", description = "UDP keep-alive port; 0 picks a free one. Default: the TCP port")
    Integer udpPort;

    @Option(names = "--data-dir", defaultValue = "./data/registry",
            description = "Database, TLS identity and token secret. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--keepalive-timeout", defaultValue = "30s", converter = DurationConverter.class,
            description = "Log out a session silent this long (500ms, 4s, 2m). Default: ${DEFAULT-VALUE}")
    Duration keepAliveTimeout;

    @Option(names = "--ready-file", description = "Once listening, write {tcp_port, udp_port, fingerprint} here as JSON")
    Path readyFile;

    @Option(names = "--tls-cert", description = "Certificate (PEM) to present instead of the generated one")
    Path tlsCert;

    @Option(names = "--tls-key", description = "Private key (PEM) of --tls-cert")
    Path tlsKey;

    @Option(names = "--database", paramLabel = "JDBC_URL",
            description = "Keep accounts, rooms and mailboxes in this PostgreSQL database (jdbc:postgresql://HOST/DB"
                    + "?user=NAME; the password from ~/.pgpass or PGPASSFILE) instead of SQLite in the data "
                    + "directory; registries sharing it serve the same accounts")
    String database;

    @Option(names = "--cluster",
            description = "Serve one community with the other registries on the same --database: presence is "
                    + "shared through PostgreSQL, a user logs in once across them all, and any node resumes any "
                    + "node's sessions (give every node the same --tls-cert/--tls-key)")
    boolean cluster;

    @Option(names = "--cluster-lease", defaultValue = "10s", converter = DurationConverter.class,
            description = "With --cluster: a node silent this long is taken for dead and its users logged out; "
                    + "it renews its lease every third of it. Default: ${DEFAULT-VALUE}")
    Duration clusterLease;

    @Option(names = "--metrics-port", paramLabel = "PORT",
            description = "Serve Prometheus metrics (/metrics) and a health check (/-/healthy) over HTTP on this port "
                    + "of --host; 0 picks a free one. Default: none")
    Integer metricsPort;

    @Option(names = "--max-self-tests", defaultValue = "" + RegistryConfig.DEFAULT_MAX_SELF_TESTS,
            description = "Reachability self-tests (a plain TCP connect to a peer's address after its login) run at "
                    + "once; a login beyond is not tested, and 0 tests none. Default: ${DEFAULT-VALUE}")
    int maxSelfTests;

    @Option(names = "--max-connections",
            description = "Connections beyond this are refused with FULL 503. Default: what the file limit allows "
                    + "(ulimit -n less " + dev.p2pchat.registry.net.DescriptorBudget.RESERVED + " for the process "
                    + "itself)")
    Integer maxConnections;

    /** --max-connections, or what this process's file limit allows. */
    int maxConnections() {
        return maxConnections != null ? maxConnections : dev.p2pchat.registry.net.DescriptorBudget.connections();
    }

    @Option(names = "--max-queued-bytes", defaultValue = "1048576",
            description = "Bytes waiting to be sent to one client at most; a client that reads nothing is "
                    + "disconnected beyond it. Default: ${DEFAULT-VALUE}")
    int maxQueuedBytes;

    @Option(names = "--argon2-memory-kib", description = "Argon2id memory per password hash, KiB. Default: 19456")
    Integer argon2MemoryKiB;

    @Option(names = "--argon2-iterations", description = "Argon2id iterations per password hash. Default: 2")
    Integer argon2Iterations;

    @Option(names = "--argon2-max-queue", defaultValue = "" + RegistryConfig.DEFAULT_ARGON2_MAX_QUEUED,
            description = "Requests waiting for Argon2 beyond this many are answered FULL 503 \"registry busy, "
                    + "retry\". Default: ${DEFAULT-VALUE}")
    int argon2MaxQueue;

    @Option(names = "--max-registrations-per-ip", defaultValue = "" + RegistryConfig.DEFAULT_MAX_REGISTRATIONS_PER_IP,
            description = "New accounts per client IP within 10 minutes before RATE_LIMITED 429. Default: "
                    + "${DEFAULT-VALUE}")
    int maxRegistrationsPerIp;

    @Option(names = "--max-rooms-per-user", defaultValue = "" + RegistryConfig.DEFAULT_MAX_ROOMS_PER_USER,
            description = "Rooms one account may create (rooms are permanent); beyond, CREATION FAILURE 404. "
                    + "Default: ${DEFAULT-VALUE}")
    int maxRoomsPerUser;

    @Option(names = "--max-rooms-per-session", defaultValue = "" + RegistryConfig.DEFAULT_MAX_ROOMS_PER_SESSION,
            description = "Rooms one session may be in at once; beyond, JOIN TOO_MANY_ROOMS 409. Default: "
                    + "${DEFAULT-VALUE}")
    int maxRoomsPerSession;

    @Option(names = "--max-room-creations-per-ip", defaultValue = ""
            + RegistryConfig.DEFAULT_MAX_ROOM_CREATIONS_PER_IP,
            description = "Rooms created from one client IP within 10 minutes before RATE_LIMITED 429 (load "
                    + "tests raise it). Default: ${DEFAULT-VALUE}")
    int maxRoomCreationsPerIp;

    @Option(names = "--unauthenticated-timeout", defaultValue = "10s", converter = DurationConverter.class,
            description = "Close a connection that is not logged in when its TLS handshake, or its next request, "
                    + "takes longer than this. Default: ${DEFAULT-VALUE}")
    Duration unauthenticatedTimeout;

    @Option(names = "--stats-interval", defaultValue = "1m", converter = DurationConverter.class,
            description = "Log the registry's counters this often (and, with --ready-file, write them to stats.json "
                    + "beside it). Default: ${DEFAULT-VALUE}")
    Duration statsInterval;

    @Option(names = "--mailbox-ttl", defaultValue = "7d", converter = DurationConverter.class,
            description = "Delete a mailbox item left unread this long, and tell its sender. Default: ${DEFAULT-VALUE}")
    Duration mailboxTtl;

    @Option(names = "--mailbox-max-items", defaultValue = "" + MailboxSettings.DEFAULT_MAX_ITEMS,
            description = "Items waiting for one recipient at most; more are answered MAILBOX_FULL 507. "
                    + "Default: ${DEFAULT-VALUE}")
    int mailboxMaxItems;

    @Option(names = "--mailbox-max-bytes", defaultValue = "" + MailboxSettings.DEFAULT_MAX_BYTES,
            description = "Sealed bytes waiting for one recipient at most; more are answered MAILBOX_FULL 507. "
                    + "Default: ${DEFAULT-VALUE}")
    long mailboxMaxBytes;

    @Option(names = "--mailbox-puts-per-minute", defaultValue = "" + MailboxSettings.DEFAULT_PUTS_PER_MINUTE,
            description = "Mailbox items one account may leave within a minute before RATE_LIMITED 429. "
                    + "Default: ${DEFAULT-VALUE}")
    int mailboxPutsPerMinute;

    @Option(names = "--tls-engine", defaultValue = "auto", paramLabel = "auto|boringssl|jdk",
            description = "The TLS implementation of the registry's connections: BoringSSL (netty-tcnative), the JDK's, "
                    + "or auto: BoringSSL where it loads, else the JDK's. Default: ${DEFAULT-VALUE}")
    String tlsEngine;
    @Option(names = "--relay-port", description = "TLS port of the relay inside the registry; 0 picks a free one. "
            + "Default: the TCP port + 1 (a free one when --port is 0)")
    Integer relayPort;

    @Option(names = "--no-relay", description = "Run no relay inside the registry (peers that reach each other no "
            + "other way are then relayed only by --relay hosts, if any)")
    boolean noRelay;

    @Option(names = "--relay", paramLabel = "HOST:PORT@FINGERPRINT",
            description = "A relay on another host (`p2pchat relay` prints this); repeatable. It needs a copy of the "
                    + "secret file")
    java.util.List<String> externalRelays = new java.util.ArrayList<>();

    @Option(names = "--relay-secret-file", description = "The rendezvous secret shared with --relay hosts (created "
            + "when missing, mode 0600). Default: DATA_DIR/relay.secret")
    Path relaySecretFile;

    /** Written beside the ready file. */
    static final String STATS_FILE = "stats.json";

    private volatile RegistryServer running;

    /** The configuration these flags describe. */
    public RegistryConfig toConfig() {
        Argon2Params argon2 = new Argon2Params(
                argon2MemoryKiB != null ? argon2MemoryKiB : Argon2Params.DEFAULT.memoryKiB(),
                argon2Iterations != null ? argon2Iterations : Argon2Params.DEFAULT.iterations(),
                Argon2Params.DEFAULT.parallelism());
        return RegistryConfig.builder(dataDir)
                .host(host)
                .tcpPort(port)
                .udpPort(udpPort)
                .keepAliveTimeout(keepAliveTimeout)
                .tls(tlsCert, tlsKey)
                .maxConnections(maxConnections())
                .maxQueuedBytes(maxQueuedBytes)
                .argon2(argon2)
                .argon2MaxQueued(argon2MaxQueue)
                .registrationLimit(maxRegistrationsPerIp, RegistryConfig.DEFAULT_REGISTRATION_WINDOW)
                .unauthenticatedTimeout(unauthenticatedTimeout)
                .statsInterval(statsInterval)
                .maxRoomsPerUser(maxRoomsPerUser)
                .maxRoomsPerSession(maxRoomsPerSession)
                .maxRoomCreationsPerIp(maxRoomCreationsPerIp)
                .database(database)
                .tlsEngine(TlsEngine.Choice.parse(tlsEngine))
                .cluster(cluster ? new RegistryConfig.ClusterSettings(clusterLease) : null)
                .metricsPort(metricsPort)
                .maxSelfTests(maxSelfTests)
                .mailbox(new MailboxSettings(mailboxTtl, mailboxMaxItems, mailboxMaxBytes, mailboxPutsPerMinute,
                        MailboxSettings.DEFAULT_SWEEP_INTERVAL))
                .relays(new RelaySettings(!noRelay, relayPort != null ? relayPort : port == 0 ? 0 : port + 1,
                        externalRelays.stream().map(dev.p2pchat.registry.service.Relays.Endpoint::parse).toList(),
                        relaySecretFile, dev.p2pchat.relay.RelayLimits.DEFAULTS))
                .build();
    }

    @Override
    public Integer call() throws InterruptedException {
        RegistryConfig config;
        try {
            config = toConfig();
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("registry: " + e.getMessage());
            return 2;
        }
        RegistryServer server = new RegistryServer(config, Clock.systemUTC(),
                readyFile == null ? null : readyFile.toAbsolutePath().resolveSibling(STATS_FILE));
        try {
            server.start();
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("registry: cannot start: " + e.getMessage());
            return 1;
        }
        Thread hook = new Thread(server::close, "registry-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        running = server;
        try {
            if (readyFile != null) {
                ReadyFile.write(readyFile, server.tcpPort(), server.udpPort(), server.fingerprint());
            }
            server.awaitClosed();
        } catch (IOException e) {
            spec.commandLine().getErr().println("registry: cannot write " + readyFile + ": " + e.getMessage());
            server.close();
            return 1;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException alreadyShuttingDown) {
                // the hook is what closed the server
            }
        }
        return 0;
    }

    /** The server while {@link #call()} runs, else null; lets a test or an embedding stop it. */
    public RegistryServer runningServer() {
        return running;
    }
}
