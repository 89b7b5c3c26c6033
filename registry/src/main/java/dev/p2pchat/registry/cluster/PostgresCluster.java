package dev.p2pchat.registry.cluster;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.registry.session.Endpoint;
import dev.p2pchat.registry.session.PresenceUpdate;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.StoreException;
import dev.p2pchat.security.TokenSigner;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's part in a cluster of registries sharing one PostgreSQL database. It owns three threads and never
 * touches {@link SessionRegistry}'s state but through its public methods:
 * <ul>
 *   <li>the <b>publisher</b> drains, in order, the {@link PresenceUpdate}s of the local sessions into the
 *       {@code cluster_presence} table, each with a {@code NOTIFY} in the same statement, so the other nodes hear
 *       of a change exactly when it commits;</li>
 *   <li>the <b>listener</b> waits on a connection of its own for the other nodes' notifications, keeps
 *       {@link RemotePresence} (the read cache SEARCH_USER and DISCOVER_PEERS use) and tells the local room members;
 *   </li>
 *   <li>the <b>lease</b> thread renews this node's row every third of the lease, and deletes the nodes whose
 *       lease ran out: their users' rows go with them (a cascade) and one {@code NOTIFY} tells every node.</li>
 * </ul>
 * Only {@link #claim} blocks a request, for one round trip: the login's atomic insert. Nothing secret is written
 * to a notification (any role that may LISTEN on the database reads them): tokens appear only as SHA-256 hashes.
 */
public final class PostgresCluster implements Cluster {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresCluster.class);
    private static final int POOL_SIZE = 3;
    private static final int LISTEN_WAIT_MILLIS = 500;
    private static final String TOKEN_SECRET = "token";

    private static final String CLAIM = """
            INSERT INTO cluster_presence AS p (user_key, username, node_id, seq, token_hash, attached, ip, port,
                fingerprint, candidates, rooms, certificate)
            VALUES (?, ?, ?, nextval('cluster_claim_seq'), ?, TRUE, ?, ?, ?, ?, '', ?)
            ON CONFLICT (user_key) DO UPDATE SET username = EXCLUDED.username, node_id = EXCLUDED.node_id,
                seq = EXCLUDED.seq, token_hash = EXCLUDED.token_hash, attached = TRUE, ip = EXCLUDED.ip,
                port = EXCLUDED.port, fingerprint = EXCLUDED.fingerprint, candidates = EXCLUDED.candidates,
                certificate = EXCLUDED.certificate,
                rooms = CASE WHEN p.token_hash = EXCLUDED.token_hash THEN p.rooms ELSE '' END
            WHERE p.node_id <> EXCLUDED.node_id
              AND (NOT p.attached OR p.token_hash = EXCLUDED.token_hash
                   OR NOT EXISTS (SELECT 1 FROM cluster_nodes n WHERE n.node_id = p.node_id
                                  AND n.lease_until > now()))
            RETURNING seq""";
    /** Inserts the row when there is none; updates it only while it is this node's (seq kept). */
    private static final String PUBLISH_ONLINE = """
            WITH up AS (
                INSERT INTO cluster_presence AS p (user_key, username, node_id, seq, token_hash, attached, ip, port,
                    fingerprint, candidates, rooms, certificate)
                VALUES (?, ?, ?, nextval('cluster_claim_seq'), ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (user_key) DO UPDATE SET username = EXCLUDED.username, token_hash = EXCLUDED.token_hash,
                    attached = EXCLUDED.attached, ip = EXCLUDED.ip, port = EXCLUDED.port,
                    fingerprint = EXCLUDED.fingerprint, candidates = EXCLUDED.candidates, rooms = EXCLUDED.rooms,
                    certificate = EXCLUDED.certificate
                WHERE p.node_id = EXCLUDED.node_id
                RETURNING seq)
            SELECT seq, pg_notify(?, 'S' || chr(9) || seq || chr(9) || ?) FROM up""";
    private static final String PUBLISH_OFFLINE = """
            WITH gone AS (
                DELETE FROM cluster_presence WHERE user_key = ? AND node_id = ? AND token_hash = ? RETURNING seq)
            SELECT seq, pg_notify(?, 'G' || chr(9) || seq || chr(9) || ?) FROM gone""";
    private static final String REAP = """
            WITH dead AS (DELETE FROM cluster_nodes WHERE lease_until < now() RETURNING node_id)
            SELECT node_id, pg_notify(?, 'D' || chr(9) || node_id) FROM dead""";

    private final HikariDataSource pool;
    private final String jdbcUrl;
    private final String node;
    private final String channel;
    private final Duration lease;
    private final byte[] tokenSecret;
    private final RemotePresence remote;
    /** The claim seq of each user this node holds, by folded name: a word from another node about an older one is stale. */
    private final Map<String, Long> localSeqs = new ConcurrentHashMap<>();
    /** The last state published of each local session: published again should this node lose its lease. */
    private final Map<String, PresenceUpdate.Online> published = new ConcurrentHashMap<>();
    private final LinkedBlockingQueue<PresenceUpdate> outgoing = new LinkedBlockingQueue<>();
    private final AtomicLong eventsReceived = new AtomicLong();
    private final AtomicLong eventsSent = new AtomicLong();
    private volatile long leaseRenewedNanos = System.nanoTime();
    private volatile SessionRegistry sessions;
    private volatile java.util.function.Consumer<String> roomListener = name -> { };
    private volatile boolean closed;
    private Thread publisher;
    private Thread listener;
    private Thread leaseKeeper;

    private PostgresCluster(HikariDataSource pool, String jdbcUrl, String node, String channel, Duration lease,
            byte[] tokenSecret) {
        this.pool = pool;
        this.jdbcUrl = jdbcUrl;
        this.node = node;
        this.channel = channel;
        this.lease = lease;
        this.tokenSecret = tokenSecret;
        this.remote = new RemotePresence(node);
    }

    /**
     * Connects to the database (whose migrations the store has applied), and reads or makes the cluster's token
     * secret. The node joins the cluster at {@link #start}.
     */
    public static PostgresCluster open(String jdbcUrl, Duration lease) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("registry-cluster");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(lease.toMillis());
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the cluster's PostgreSQL database: " + e.getMessage(), e);
        }
        try (Connection c = pool.getConnection()) {
            String schema;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT current_schema()")) {
                rs.next();
                schema = rs.getString(1);
            }
            byte[] secret = new byte[TokenSigner.SECRET_BYTES];
            new SecureRandom().nextBytes(secret);
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO cluster_secrets (name, secret) VALUES (?, ?) ON CONFLICT (name) DO NOTHING")) {
                insert.setString(1, TOKEN_SECRET);
                insert.setBytes(2, secret);
                insert.executeUpdate();
            }
            try (PreparedStatement select = c.prepareStatement("SELECT secret FROM cluster_secrets WHERE name = ?")) {
                select.setString(1, TOKEN_SECRET);
                try (ResultSet rs = select.executeQuery()) {
                    rs.next();
                    secret = rs.getBytes(1);
                }
            }
            byte[] id = new byte[6];
            new SecureRandom().nextBytes(id);
            return new PostgresCluster(pool, jdbcUrl, "node-" + HexFormat.of().formatHex(id), channelFor(schema),
                    lease, secret);
        } catch (SQLException | RuntimeException e) {
            pool.close();
            throw new StoreException("cannot join the cluster: " + e.getMessage(), e);
        }
    }

    /** One channel per schema: clusters in different schemas of one database do not hear each other. */
    static String channelFor(String schema) {
        String name = "p2pchat_cluster_" + schema.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.length() > 63 ? name.substring(0, 63) : name;
    }

    /** Every node signs tokens with this, so that a session begun on one resumes on any other. */
    public TokenSigner tokenSigner() {
        return new TokenSigner(tokenSecret.clone());
    }

    /** This node's name in the cluster's tables and events. */
    public String node() {
        return node;
    }

    /** For {@link SessionRegistry}'s constructor: queues a local session's change for the publisher, never blocks. */
    public void publish(PresenceUpdate update) {
        if (!closed) {
            outgoing.add(update);
        }
    }

    /**
     * Joins the cluster: takes a lease, listens, loads who the live nodes hold, then starts the three threads.
     * Events that arrive while the snapshot loads wait on the listening connection and are applied after it.
     */
    public void start(SessionRegistry sessionRegistry) {
        this.sessions = sessionRegistry;
        try {
            renewOrJoin();
            Connection listening = listen();
            loadSnapshot();
            listener = Thread.ofPlatform().daemon().name("cluster-listen-" + node).start(() -> listenLoop(listening));
        } catch (SQLException e) {
            throw new StoreException("cannot join the cluster: " + e.getMessage(), e);
        }
        publisher = Thread.ofPlatform().daemon().name("cluster-publish-" + node).start(this::publishLoop);
        leaseKeeper = Thread.ofPlatform().daemon().name("cluster-lease-" + node).start(this::leaseLoop);
        LOG.info("Joined the registry cluster as {} (lease {} ms, {} users on other nodes)", node, lease.toMillis(),
                remote.size());
    }

    @Override
    public Claim claim(String username, String token, Endpoint endpoint) {
        String key = SessionRegistry.fold(username);
        byte[] hash = hash(token);
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement revoked = c.prepareStatement(
                    "SELECT 1 FROM cluster_revoked_tokens WHERE token_hash = ?")) {
                revoked.setBytes(1, hash);
                try (ResultSet rs = revoked.executeQuery()) {
                    if (rs.next()) {
                        return Claim.TOKEN_REVOKED;
                    }
                }
            }
            try (PreparedStatement claim = c.prepareStatement(CLAIM)) {
                claim.setString(1, key);
                claim.setString(2, username);
                claim.setString(3, node);
                claim.setBytes(4, hash);
                claim.setString(5, endpoint.ip());
                claim.setInt(6, endpoint.port());
                claim.setString(7, endpoint.fingerprint());
                claim.setString(8, candidates(endpoint));
                claim.setString(9, ClusterEvent.certificateField(endpoint.certificate()));
                try (ResultSet rs = claim.executeQuery()) {
                    if (rs.next()) {
                        long seq = rs.getLong(1);
                        localSeqs.merge(key, seq, Math::max);
                        // The session is here now: what the cache said of it elsewhere is about to be evicted there.
                        remote.forget(username);
                        return Claim.CLAIMED;
                    }
                }
            }
            try (PreparedStatement holder = c.prepareStatement(
                    "SELECT node_id FROM cluster_presence WHERE user_key = ?")) {
                holder.setString(1, key);
                try (ResultSet rs = holder.executeQuery()) {
                    // Ours (this node's SessionRegistry decides), or gone since the insert: either way ours to take.
                    return !rs.next() || node.equals(rs.getString(1)) ? Claim.CLAIMED : Claim.ONLINE_ELSEWHERE;
                }
            }
        } catch (SQLException e) {
            throw new StoreException("cannot claim the session of " + username + " in the cluster: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Optional<RemoteUser> find(String username) {
        return remote.find(username);
    }

    @Override
    public List<PeerInfo> peers() {
        return remote.peers();
    }

    @Override
    public List<PeerInfo> inRoom(String roomName) {
        return remote.inRoom(roomName);
    }

    @Override
    public Map<String, Integer> memberCounts() {
        return remote.memberCounts();
    }

    @Override
    public long membershipVersion() {
        return remote.version();
    }

    @Override
    public boolean pushElsewhere(String username, RegistryPush push) {
        if (remote.find(username).isEmpty()) {
            return false;
        }
        String payload = ClusterEvent.push(username,
                Base64.getEncoder().encodeToString(FrameWriter.encode(push.toFrame())));
        if (payload.getBytes(StandardCharsets.UTF_8).length > ClusterEvent.MAX_PAYLOAD_BYTES) {
            return false; // its node pushes it from the mailbox at the next login or MAILBOX_ACK
        }
        return broadcast(payload);
    }

    /** One NOTIFY; false (logged) when the database cannot take it. */
    private boolean broadcast(String payload) {
        try (Connection c = pool.getConnection();
             PreparedStatement notify = c.prepareStatement("SELECT pg_notify(?, ?)")) {
            notify.setString(1, channel);
            notify.setString(2, payload);
            notify.execute();
            eventsSent.incrementAndGet();
            return true;
        } catch (SQLException e) {
            LOG.warn("Cannot send a cluster event ({}): {}", payload.substring(0, 1), e.getMessage());
            return false;
        }
    }

    @Override
    public void roomCreated(String roomName) {
        broadcast(String.join("\t", ClusterEvent.RoomCreated.KIND, roomName));
    }

    @Override
    public void onRoomCreated(java.util.function.Consumer<String> listener) {
        roomListener = listener;
    }

    @Override
    public Stats stats() {
        return new Stats(remote.nodes().size(), remote.size(),
                Duration.ofNanos(System.nanoTime() - leaseRenewedNanos), eventsReceived.get(), eventsSent.get());
    }

    /**
     * Leaves without a word: the lease runs out and the other nodes log out whoever did not RESUME elsewhere by
     * then (a restart within the lease keeps every session). Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Thread thread : new Thread[] {publisher, listener, leaseKeeper}) {
            if (thread != null) {
                thread.interrupt();
            }
        }
        for (Thread thread : new Thread[] {publisher, listener, leaseKeeper}) {
            if (thread != null) {
                try {
                    thread.join(2_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        pool.close();
    }

    /** Stops renewing the lease, as a node that hangs would: for tests of what the others then do. */
    public void stopLeaseForTest() {
        leaseKeeper.interrupt();
    }

    // --- the publisher ---

    private void publishLoop() {
        while (!closed) {
            PresenceUpdate update;
            try {
                update = outgoing.take();
            } catch (InterruptedException e) {
                return;
            }
            boolean done = false;
            while (!done && !closed) {
                try {
                    publishNow(update);
                    done = true;
                } catch (SQLException | RuntimeException e) {
                    LOG.warn("Cannot publish the presence of {} (retrying): {}", update.username(), e.getMessage());
                    if (!pause(lease.dividedBy(10))) {
                        return;
                    }
                }
            }
        }
    }

    private void publishNow(PresenceUpdate update) throws SQLException {
        String key = SessionRegistry.fold(update.username());
        try (Connection c = pool.getConnection()) {
            switch (update) {
                case PresenceUpdate.Online online -> {
                    try (PreparedStatement s = c.prepareStatement(PUBLISH_ONLINE)) {
                        Endpoint e = online.endpoint();
                        s.setString(1, key);
                        s.setString(2, online.username());
                        s.setString(3, node);
                        s.setBytes(4, hash(online.token()));
                        s.setBoolean(5, online.attached());
                        s.setString(6, e.ip());
                        s.setInt(7, e.port());
                        s.setString(8, e.fingerprint());
                        s.setString(9, candidates(e));
                        s.setString(10, String.join(",", online.rooms()));
                        s.setString(11, ClusterEvent.certificateField(e.certificate()));
                        s.setString(12, channel);
                        s.setString(13, ClusterEvent.stateTail(node, online));
                        try (ResultSet rs = s.executeQuery()) {
                            if (rs.next()) {
                                localSeqs.merge(key, rs.getLong(1), Math::max);
                                published.put(key, online);
                                eventsSent.incrementAndGet();
                            }
                        }
                    }
                }
                case PresenceUpdate.Offline offline -> {
                    if (offline.reason() != PresenceUpdate.Reason.REPLACED) {
                        try (PreparedStatement s = c.prepareStatement("INSERT INTO cluster_revoked_tokens "
                                + "(token_hash, expires_at) VALUES (?, ?) ON CONFLICT (token_hash) DO NOTHING")) {
                            s.setBytes(1, hash(offline.token()));
                            s.setTimestamp(2, Timestamp.from(offline.tokenExpires()));
                            s.executeUpdate();
                        }
                    }
                    try (PreparedStatement s = c.prepareStatement(PUBLISH_OFFLINE)) {
                        s.setString(1, key);
                        s.setString(2, node);
                        s.setBytes(3, hash(offline.token()));
                        s.setString(4, channel);
                        s.setString(5, String.join("\t", node, offline.username(), offline.reason().name()));
                        try (ResultSet rs = s.executeQuery()) {
                            if (rs.next()) {
                                long seq = rs.getLong(1);
                                localSeqs.remove(key, seq);
                                published.remove(key);
                                eventsSent.incrementAndGet();
                            }
                        }
                    }
                }
            }
        }
    }

    // --- the listener ---

    private Connection listen() throws SQLException {
        Connection c = DriverManager.getConnection(jdbcUrl);
        try (Statement s = c.createStatement()) {
            s.execute("LISTEN \"" + channel + "\"");
        } catch (SQLException e) {
            c.close();
            throw e;
        }
        return c;
    }

    /** Who the live nodes hold now, applied as if each had just been announced. */
    private void loadSnapshot() throws SQLException {
        try (Connection c = pool.getConnection(); PreparedStatement s = c.prepareStatement("""
                SELECT p.seq, p.node_id, p.username, p.attached, p.ip, p.port, p.fingerprint, p.candidates, p.rooms,
                    p.certificate
                FROM cluster_presence p JOIN cluster_nodes n ON n.node_id = p.node_id
                WHERE p.node_id <> ? AND n.lease_until > now()""")) {
            s.setString(1, node);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String payload = String.join("\t", ClusterEvent.State.KIND, Long.toString(rs.getLong(1)),
                            rs.getString(2), rs.getString(3), rs.getBoolean(4) ? "1" : "0", rs.getString(5),
                            Integer.toString(rs.getInt(6)), rs.getString(7), rs.getString(8), rs.getString(9),
                            rs.getString(10));
                    handle(payload);
                }
            }
        }
    }

    private void listenLoop(Connection first) {
        Connection listening = first;
        while (!closed) {
            try {
                if (listening == null) {
                    listening = listen();
                    loadSnapshot(); // what was missed while deaf; a user that left meanwhile stays until its node's lease
                }
                PGNotification[] notifications = listening.unwrap(PGConnection.class)
                        .getNotifications(LISTEN_WAIT_MILLIS);
                if (notifications != null) {
                    for (PGNotification notification : notifications) {
                        handle(notification.getParameter());
                    }
                }
            } catch (SQLException e) {
                if (closed) {
                    break;
                }
                LOG.warn("Lost the cluster's event connection (reconnecting): {}", e.getMessage());
                closeQuietly(listening);
                listening = null;
                if (!pause(lease.dividedBy(10))) {
                    break;
                }
            }
        }
        closeQuietly(listening);
    }

    private void handle(String payload) {
        ClusterEvent event;
        try {
            event = ClusterEvent.parse(payload);
        } catch (RuntimeException e) {
            LOG.warn("Ignored a cluster event that does not parse: {}", e.toString());
            return;
        }
        eventsReceived.incrementAndGet();
        try {
            switch (event) {
                case ClusterEvent.State state -> onState(state);
                case ClusterEvent.Gone gone -> {
                    if (!gone.node().equals(node)) {
                        announce(remote.apply(gone));
                    }
                }
                case ClusterEvent.NodeDown down -> onNodeDown(down.node());
                case ClusterEvent.Push push -> onPush(push);
                case ClusterEvent.RoomCreated created -> roomListener.accept(created.roomName());
            }
        } catch (RuntimeException e) {
            LOG.error("Applying a cluster event failed", e);
        }
    }

    private void onState(ClusterEvent.State state) {
        RemoteUser user = state.user();
        if (user.node().equals(node)) {
            return;
        }
        String key = SessionRegistry.fold(user.username());
        Long mine = localSeqs.get(key);
        if (mine != null) {
            if (mine >= user.seq()) {
                return; // about a session this node has taken over since
            }
            localSeqs.remove(key, mine);
            published.remove(key);
            if (sessions.evict(user.username(), "logged in elsewhere")) {
                LOG.info("{} moved to registry node {}", user.username(), user.node());
            }
        }
        announce(remote.apply(state));
    }

    private void onNodeDown(String down) {
        if (down.equals(node)) {
            LOG.error("This node's cluster lease ran out (a pause longer than {} ms?): joining again", lease.toMillis());
            rejoin();
            return;
        }
        List<RemotePresence.Announcement> gone = remote.nodeDown(down);
        LOG.info("Registry node {} lost its lease: its users are offline ({} room notices)", down, gone.size());
        announce(gone);
    }

    private void onPush(ClusterEvent.Push push) {
        if (sessions.find(push.username()).filter(s -> s.isAttached() && !s.isEnded()).isEmpty()) {
            return;
        }
        try {
            Frame frame = new FrameReader(new ByteArrayInputStream(Base64.getDecoder().decode(push.frameBase64())))
                    .read();
            Message message = Messages.decode(frame);
            if (message instanceof RegistryPush registryPush) {
                sessions.pushTo(push.username(), registryPush);
            }
        } catch (IOException | ProtocolException | IllegalArgumentException e) {
            LOG.warn("Ignored a push from another node that does not decode: {}", e.toString());
        }
    }

    private void announce(List<RemotePresence.Announcement> announcements) {
        for (RemotePresence.Announcement a : announcements) {
            sessions.announce(a.room(), a.username(), a.push());
        }
    }

    // --- the lease ---

    private void leaseLoop() {
        Duration every = lease.dividedBy(3);
        while (!closed) {
            if (!pause(every)) {
                return;
            }
            try {
                renewOrJoin();
                reap();
            } catch (SQLException | RuntimeException e) {
                LOG.warn("Cannot renew this node's cluster lease: {}", e.getMessage());
            }
        }
    }

    /** Renews the lease; when the row is gone (the others took this node for dead), joins again. */
    private void renewOrJoin() throws SQLException {
        try (Connection c = pool.getConnection()) {
            int renewed;
            try (PreparedStatement s = c.prepareStatement("UPDATE cluster_nodes SET lease_until = now() + "
                    + "make_interval(secs => ?) WHERE node_id = ?")) {
                s.setDouble(1, lease.toMillis() / 1000.0);
                s.setString(2, node);
                renewed = s.executeUpdate();
            }
            if (renewed == 0) {
                try (PreparedStatement s = c.prepareStatement("INSERT INTO cluster_nodes (node_id, lease_until) "
                        + "VALUES (?, now() + make_interval(secs => ?)) ON CONFLICT (node_id) DO NOTHING")) {
                    s.setString(1, node);
                    s.setDouble(2, lease.toMillis() / 1000.0);
                    s.executeUpdate();
                }
                if (!published.isEmpty()) {
                    rejoin();
                }
            }
            leaseRenewedNanos = System.nanoTime();
        }
    }

    /** Publishes every local session again: the rows went with this node's lost lease. */
    private void rejoin() {
        for (PresenceUpdate.Online online : List.copyOf(published.values())) {
            publish(online);
        }
    }

    /** Deletes the nodes whose lease ran out; one NOTIFY per node tells everyone, this node included. */
    private void reap() throws SQLException {
        try (Connection c = pool.getConnection()) {
            try (PreparedStatement s = c.prepareStatement(REAP)) {
                s.setString(1, channel);
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        LOG.info("Registry node {} missed its lease: took it out of the cluster", rs.getString(1));
                    }
                }
            }
            try (Statement s = c.createStatement()) {
                s.executeUpdate("DELETE FROM cluster_revoked_tokens WHERE expires_at < now()");
            }
        }
    }

    // --- helpers ---

    private boolean pause(Duration duration) {
        try {
            TimeUnit.MILLISECONDS.sleep(Math.max(1, duration.toMillis()));
            return !closed;
        } catch (InterruptedException e) {
            return false;
        }
    }

    private static String candidates(Endpoint endpoint) {
        String text = dev.p2pchat.protocol.Candidate.formatList(endpoint.candidates());
        return text == null ? "" : text;
    }

    /** SHA-256 of a token: names a session in the tables without holding anything that resumes it. */
    static byte[] hash(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static void closeQuietly(Connection c) {
        if (c != null) {
            try {
                c.close();
            } catch (SQLException e) {
                LOG.debug("Closing the event connection: {}", e.toString());
            }
        }
    }

    @Override
    public String toString() {
        return "PostgresCluster[" + node + ", " + Arrays.asList(remote.nodes()) + "]";
    }
}
