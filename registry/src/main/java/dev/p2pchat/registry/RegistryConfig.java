package dev.p2pchat.registry;

import dev.p2pchat.registry.service.MailboxSettings;
import dev.p2pchat.registry.service.RegistryService;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.security.Argon2Params;
import java.nio.file.Path;

import dev.p2pchat.registry.net.TlsEngine;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the registry server is told, built once by {@link RegistryCommand} (or a test) and never changed.
 *
 * @param host                   address to listen on (TCP and UDP)
 * @param tcpPort                TLS port; 0 picks a free one
 * @param udpPort                keep-alive port; null means "the TCP port's number", 0 picks a free one
 * @param dataDir                database, TLS identity and token secret live here
 * @param keepAliveTimeout       a session silent this long (no keep-alive, no request) is logged out
 * @param unauthenticatedTimeout read timeout (and TLS handshake timeout) of a connection that is not logged in
 * @param unauthenticatedLifetime how long a connection may stay without logging in, however busy, counted from
 *                               the accept (or the logout); then it is answered {@code ERROR WRONG_STATE 409}
 *                               and closed
 * @param tlsCert                an existing certificate (PEM) to present instead of the generated one, or null
 * @param tlsKey                 its private key (PEM); given exactly when {@code tlsCert} is
 * @param maxConnections         open TLS connections beyond this are answered {@code ERROR FULL 503} and closed
 * @param argon2                 cost of new password hashes
 * @param argon2Concurrency      how many Argon2 computations may run at once
 * @param argon2MaxQueued        requests waiting for Argon2 beyond these are answered {@code ERROR FULL 503}
 * @param tokenLifetime          how long a session token can RESUME a session
 * @param maxFailedLoginsPerUser failed LOGINs per username within {@code failedLoginWindow} before 429, for
 *                               addresses that never logged in as that user (a known address is never blocked by
 *                               it); also how many failures one (user, address) pair gets before its back-off starts
 * @param maxFailedLoginsPerIp   failures per IP within the window before 429; each (name, address) pair adds only
 *                               its first {@code maxFailedLoginsPerUser}
 * @param failedLoginWindow      the sliding window of the two limits above
 * @param maxRegistrationsPerIp  successful REGISTERs per IP within {@code registrationWindow} before 429
 * @param registrationWindow     the sliding window of that limit
 * @param requestBurst           requests a connection may send at once before 429
 * @param requestsPerSecond      sustained requests per second per connection
 * @param maxQueuedBytes         bytes queued for one connection at most: above half of it the registry reads no more
 *                               of that client's requests until it reads its answers; a push beyond it closes
 *                               the connection as not reading
 * @param shutdownGrace          how long close() lets connections flush their SHUTDOWN push
 * @param statsInterval          how often the counters are logged (and written to {@code stats.json} by the command)
 * @param maxRoomsPerUser        rooms one account may create, ever (rooms are permanent)
 * @param maxRoomCreationsPerIp  rooms created from one IP within {@link #ROOM_CREATION_WINDOW} before 429
 * @param mailbox                the limits of offline delivery: time to live, quota, rate per sender
 * @param database               JDBC URL of a PostgreSQL database for accounts, rooms and mailboxes (one that
 *                               several registries may share); null: SQLite in {@code dataDir}
 * @param maxRoomsPerSession     rooms one session may be in at once; a JOIN_CHAT_ROOM beyond is answered
 *                               {@code JOIN TOO_MANY_ROOMS 409}
 * @param relays                 the relay inside the registry and those on other hosts it hands out
 * @param cluster                how this node shares presence with the other nodes of a cluster on the PostgreSQL
 *                               {@code database}; null: a registry of its own
 * @param metricsPort            where Prometheus metrics and a health check are served (0: a free port); null: not
 * @param maxSelfTests           reachability self-tests (a TCP connect to a peer's address after each login) run
 *                               at once; a login beyond is not tested; 0: none at all (peers are listed unknown)
 */
public record RegistryConfig(
        String host,
        int tcpPort,
        Integer udpPort,
        Path dataDir,
        Duration keepAliveTimeout,
        Duration unauthenticatedTimeout,
        Duration unauthenticatedLifetime,
        Path tlsCert,
        Path tlsKey,
        int maxConnections,
        Argon2Params argon2,
        int argon2Concurrency,
        int argon2MaxQueued,
        Duration tokenLifetime,
        int maxFailedLoginsPerUser,
        int maxFailedLoginsPerIp,
        Duration failedLoginWindow,
        int maxRegistrationsPerIp,
        Duration registrationWindow,
        int requestBurst,
        int requestsPerSecond,
        int maxQueuedBytes,
        Duration shutdownGrace,
        Duration statsInterval,
        int maxRoomsPerUser,
        int maxRoomCreationsPerIp,
        MailboxSettings mailbox,
        String database,
        int maxRoomsPerSession,
        TlsEngine.Choice tlsEngine,
        RelaySettings relays,
        ClusterSettings cluster,
        Integer metricsPort,
        int maxSelfTests) {

    public static final String DEFAULT_HOST = "127.0.0.1";
    public static final int DEFAULT_PORT = 7070;
    public static final Duration DEFAULT_KEEPALIVE_TIMEOUT = Duration.ofSeconds(30);
    public static final Duration DEFAULT_UNAUTHENTICATED_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_UNAUTHENTICATED_LIFETIME = Duration.ofSeconds(60);
    public static final int DEFAULT_MAX_REGISTRATIONS_PER_IP = 20;
    public static final Duration DEFAULT_REGISTRATION_WINDOW = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_CONNECTIONS = 20_000;
    /** 1 MiB: 16 of the largest frames; a client that reads nothing costs at most this. */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 1 << 20;
    public static final Duration DEFAULT_TOKEN_LIFETIME = Duration.ofHours(24);
    /** At the default Argon2 cost (~31 ms a verification) and 2 cores, about 4 s of waiting. */
    public static final int DEFAULT_ARGON2_MAX_QUEUED = 256;
    public static final Duration DEFAULT_STATS_INTERVAL = Duration.ofMinutes(1);
    public static final int DEFAULT_MAX_FAILED_LOGINS_PER_USER = 5;
    /** High: one NAT may hide many users; one pair adds at most {@code maxFailedLoginsPerUser} failures. */
    public static final int DEFAULT_MAX_FAILED_LOGINS_PER_IP = 100;
    /** The first back-off of a (user, address) pair past its free failures; each further failure doubles it. */
    public static final Duration FAILURE_BACKOFF = Duration.ofSeconds(1);
    public static final Duration MAX_FAILURE_BACKOFF = Duration.ofMinutes(15);
    /** (user, address) pairs remembered as having logged in: about 10 MB at most. */
    public static final int KNOWN_ADDRESSES = 100_000;
    public static final int DEFAULT_MAX_ROOMS_PER_USER = 20;
    public static final int DEFAULT_MAX_ROOM_CREATIONS_PER_IP = 30;
    public static final Duration ROOM_CREATION_WINDOW = Duration.ofMinutes(10);
    public static final int DEFAULT_MAX_ROOMS_PER_SESSION = SessionRegistry.DEFAULT_MAX_ROOMS_PER_SESSION;
    /** Self-tests at once: each holds one virtual thread and one socket for at most a 2 s connect per address. */
    public static final int DEFAULT_MAX_SELF_TESTS = 64;

    public RegistryConfig {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(argon2, "argon2");
        Objects.requireNonNull(mailbox, "mailbox");
        Objects.requireNonNull(tlsEngine, "tlsEngine");
        Objects.requireNonNull(relays, "relays");
        if (database != null && !database.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("--database takes a PostgreSQL JDBC URL (jdbc:postgresql://HOST/DB), not "
                    + database.replaceAll("\\?.*", "?…"));
        }
        checkPort("tcpPort", tcpPort);
        if (udpPort != null) {
            checkPort("udpPort", udpPort);
        }
        positive("keepAliveTimeout", keepAliveTimeout);
        positive("unauthenticatedTimeout", unauthenticatedTimeout);
        positive("unauthenticatedLifetime", unauthenticatedLifetime);
        positive("registrationWindow", registrationWindow);
        positive("tokenLifetime", tokenLifetime);
        positive("failedLoginWindow", failedLoginWindow);
        positive("shutdownGrace", shutdownGrace);
        positive("statsInterval", statsInterval);
        if (argon2MaxQueued < 0) {
            throw new IllegalArgumentException("argon2MaxQueued must not be negative: " + argon2MaxQueued);
        }
        if ((tlsCert == null) != (tlsKey == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        atLeastOne("maxConnections", maxConnections);
        atLeastOne("argon2Concurrency", argon2Concurrency);
        atLeastOne("maxFailedLoginsPerUser", maxFailedLoginsPerUser);
        atLeastOne("maxFailedLoginsPerIp", maxFailedLoginsPerIp);
        atLeastOne("maxRegistrationsPerIp", maxRegistrationsPerIp);
        atLeastOne("requestBurst", requestBurst);
        atLeastOne("requestsPerSecond", requestsPerSecond);
        atLeastOne("maxQueuedBytes", maxQueuedBytes);
        atLeastOne("maxRoomsPerUser", maxRoomsPerUser);
        atLeastOne("maxRoomCreationsPerIp", maxRoomCreationsPerIp);
        atLeastOne("maxRoomsPerSession", maxRoomsPerSession);
        if (metricsPort != null) {
            checkPort("metricsPort", metricsPort);
        }
        if (maxSelfTests < 0) {
            throw new IllegalArgumentException("maxSelfTests must not be negative: " + maxSelfTests);
        }
        if (cluster != null && database == null) {
            throw new IllegalArgumentException("--cluster needs a PostgreSQL database (--database jdbc:postgresql://"
                    + "HOST/DB): the nodes of a cluster share presence through it");
        }
    }

    /**
     * A node of a cluster: {@code lease} is how long the other nodes wait after its last heartbeat (sent every third
     * of it) before they take it for dead and log its users out.
     */
    public record ClusterSettings(Duration lease) {
        public static final Duration DEFAULT_LEASE = Duration.ofSeconds(10);

        public ClusterSettings {
            positive("cluster lease", lease);
            if (lease.compareTo(Duration.ofSeconds(1)) < 0) {
                throw new IllegalArgumentException("the cluster lease must be at least 1s: " + lease);
            }
        }
    }

    /** What {@link RegistryService} acts on. */
    public RegistryService.Settings serviceSettings() {
        return new RegistryService.Settings(keepAliveTimeout, keepAliveInterval(), tokenLifetime,
                maxFailedLoginsPerUser, maxFailedLoginsPerIp, failedLoginWindow, maxRegistrationsPerIp,
                registrationWindow, argon2Concurrency, argon2MaxQueued, maxFailedLoginsPerUser, FAILURE_BACKOFF,
                MAX_FAILURE_BACKOFF, KNOWN_ADDRESSES, maxRoomsPerUser, maxRoomCreationsPerIp, ROOM_CREATION_WINDOW,
                mailbox, maxQueuedBytes, maxSelfTests);
    }

    /** The defaults of the {@code registry} command, with data in {@code dataDir}. */
    public static Builder builder(Path dataDir) {
        return new Builder(dataDir);
    }

    public Builder toBuilder() {
        Builder b = new Builder(dataDir);
        b.host = host;
        b.tcpPort = tcpPort;
        b.udpPort = udpPort;
        b.keepAliveTimeout = keepAliveTimeout;
        b.unauthenticatedTimeout = unauthenticatedTimeout;
        b.unauthenticatedLifetime = unauthenticatedLifetime;
        b.tlsCert = tlsCert;
        b.tlsKey = tlsKey;
        b.maxConnections = maxConnections;
        b.argon2 = argon2;
        b.argon2Concurrency = argon2Concurrency;
        b.argon2MaxQueued = argon2MaxQueued;
        b.tokenLifetime = tokenLifetime;
        b.maxFailedLoginsPerUser = maxFailedLoginsPerUser;
        b.maxFailedLoginsPerIp = maxFailedLoginsPerIp;
        b.failedLoginWindow = failedLoginWindow;
        b.maxRegistrationsPerIp = maxRegistrationsPerIp;
        b.registrationWindow = registrationWindow;
        b.requestBurst = requestBurst;
        b.requestsPerSecond = requestsPerSecond;
        b.maxQueuedBytes = maxQueuedBytes;
        b.shutdownGrace = shutdownGrace;
        b.statsInterval = statsInterval;
        b.maxRoomsPerUser = maxRoomsPerUser;
        b.maxRoomCreationsPerIp = maxRoomCreationsPerIp;
        b.mailbox = mailbox;
        b.database = database;
        b.maxRoomsPerSession = maxRoomsPerSession;
        b.tlsEngine = tlsEngine;
        b.relays = relays;
        b.cluster = cluster;
        b.metricsPort = metricsPort;
        b.maxSelfTests = maxSelfTests;
        return b;
    }

    /** How often clients should send KEEP_ALIVE: a third of the timeout, so one lost datagram is harmless. */
    public Duration keepAliveInterval() {
        return keepAliveTimeout.dividedBy(3);
    }

    private static void checkPort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " must be 0-65535: " + port);
        }
    }

    private static void positive(String name, Duration d) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    private static void atLeastOne(String name, int value) {
        if (value < 1) {
            throw new IllegalArgumentException(name + " must be at least 1: " + value);
        }
    }

    /** Mutable only until {@link #build()}; the record is what gets passed around. */
    public static final class Builder {
        private String host = DEFAULT_HOST;
        private int tcpPort = DEFAULT_PORT;
        private Integer udpPort;
        private Path dataDir;
        private Duration keepAliveTimeout = DEFAULT_KEEPALIVE_TIMEOUT;
        private Duration unauthenticatedTimeout = DEFAULT_UNAUTHENTICATED_TIMEOUT;
        private Duration unauthenticatedLifetime = DEFAULT_UNAUTHENTICATED_LIFETIME;
        private Path tlsCert;
        private Path tlsKey;
        private int maxConnections = DEFAULT_MAX_CONNECTIONS;
        private Argon2Params argon2 = Argon2Params.DEFAULT;
        private int argon2Concurrency = Math.max(1, Runtime.getRuntime().availableProcessors());
        private int argon2MaxQueued = DEFAULT_ARGON2_MAX_QUEUED;
        private Duration tokenLifetime = DEFAULT_TOKEN_LIFETIME;
        private int maxFailedLoginsPerUser = DEFAULT_MAX_FAILED_LOGINS_PER_USER;
        private int maxFailedLoginsPerIp = DEFAULT_MAX_FAILED_LOGINS_PER_IP;
        private Duration failedLoginWindow = Duration.ofMinutes(1);
        private int maxRegistrationsPerIp = DEFAULT_MAX_REGISTRATIONS_PER_IP;
        private Duration registrationWindow = DEFAULT_REGISTRATION_WINDOW;
        private int requestBurst = 200;
        private int requestsPerSecond = 200;
        private int maxQueuedBytes = DEFAULT_MAX_QUEUED_BYTES;
        private Duration shutdownGrace = Duration.ofSeconds(2);
        private Duration statsInterval = DEFAULT_STATS_INTERVAL;
        private int maxRoomsPerUser = DEFAULT_MAX_ROOMS_PER_USER;
        private int maxRoomCreationsPerIp = DEFAULT_MAX_ROOM_CREATIONS_PER_IP;
        private MailboxSettings mailbox = MailboxSettings.DEFAULTS;
        private String database;
        private int maxRoomsPerSession = DEFAULT_MAX_ROOMS_PER_SESSION;
        private TlsEngine.Choice tlsEngine = TlsEngine.Choice.AUTO;
        private RelaySettings relays = RelaySettings.DEFAULTS;
        private ClusterSettings cluster;
        private Integer metricsPort;
        private int maxSelfTests = DEFAULT_MAX_SELF_TESTS;

        private Builder(Path dataDir) {
            this.dataDir = dataDir;
        }

        public Builder host(String v) { host = v; return this; }
        public Builder tcpPort(int v) { tcpPort = v; return this; }
        public Builder udpPort(Integer v) { udpPort = v; return this; }
        public Builder dataDir(Path v) { dataDir = v; return this; }
        public Builder keepAliveTimeout(Duration v) { keepAliveTimeout = v; return this; }
        public Builder unauthenticatedTimeout(Duration v) { unauthenticatedTimeout = v; return this; }
        public Builder unauthenticatedLifetime(Duration v) { unauthenticatedLifetime = v; return this; }
        public Builder tls(Path cert, Path key) { tlsCert = cert; tlsKey = key; return this; }
        public Builder maxConnections(int v) { maxConnections = v; return this; }
        public Builder argon2(Argon2Params v) { argon2 = v; return this; }
        public Builder argon2Concurrency(int v) { argon2Concurrency = v; return this; }
        public Builder argon2MaxQueued(int v) { argon2MaxQueued = v; return this; }
        public Builder tokenLifetime(Duration v) { tokenLifetime = v; return this; }
        public Builder maxFailedLoginsPerUser(int v) { maxFailedLoginsPerUser = v; return this; }
        public Builder maxFailedLoginsPerIp(int v) { maxFailedLoginsPerIp = v; return this; }
        public Builder failedLoginWindow(Duration v) { failedLoginWindow = v; return this; }
        public Builder registrationLimit(int perIp, Duration window) { maxRegistrationsPerIp = perIp; registrationWindow = window; return this; }
        public Builder requestRate(int burst, int perSecond) { requestBurst = burst; requestsPerSecond = perSecond; return this; }
        public Builder maxQueuedBytes(int v) { maxQueuedBytes = v; return this; }
        public Builder shutdownGrace(Duration v) { shutdownGrace = v; return this; }
        public Builder statsInterval(Duration v) { statsInterval = v; return this; }
        public Builder maxRoomsPerUser(int v) { maxRoomsPerUser = v; return this; }
        public Builder maxRoomCreationsPerIp(int v) { maxRoomCreationsPerIp = v; return this; }
        public Builder mailbox(MailboxSettings v) { mailbox = v; return this; }
        public Builder database(String jdbcUrl) { database = jdbcUrl; return this; }
        public Builder maxRoomsPerSession(int v) { maxRoomsPerSession = v; return this; }
        public Builder tlsEngine(TlsEngine.Choice v) { tlsEngine = v; return this; }
        public Builder relays(RelaySettings v) { relays = v; return this; }
        public Builder cluster(ClusterSettings v) { cluster = v; return this; }
        public Builder metricsPort(Integer v) { metricsPort = v; return this; }
        public Builder maxSelfTests(int v) { maxSelfTests = v; return this; }

        public RegistryConfig build() {
            return new RegistryConfig(host, tcpPort, udpPort, dataDir, keepAliveTimeout, unauthenticatedTimeout,
                    unauthenticatedLifetime, tlsCert, tlsKey, maxConnections, argon2, argon2Concurrency, argon2MaxQueued,
                    tokenLifetime,
                    maxFailedLoginsPerUser, maxFailedLoginsPerIp, failedLoginWindow, maxRegistrationsPerIp,
                    registrationWindow, requestBurst, requestsPerSecond, maxQueuedBytes, shutdownGrace,
                    statsInterval, maxRoomsPerUser, maxRoomCreationsPerIp, mailbox, database, maxRoomsPerSession,
                    tlsEngine, relays, cluster, metricsPort, maxSelfTests);
        }
    }
}
