package dev.p2pchat.peer.registry;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.FingerprintMismatchException;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's standing with the registry across connections: the current {@link RegistryConnection}, the
 * login it must restore, the UDP keep-alive, and the loop that reconnects with backoff whenever the
 * connection or the session is lost (registry restarted or killed, SHUTDOWN, TIMEOUT, network error).
 *
 * <p>After reconnecting it re-checks the registry's certificate, says HELLO, tries RESUME with the session
 * token and falls back to LOGIN with the cached password digest, lets the {@link Listener} restore the room,
 * and only then lets waiting callers through. Callers never wait longer than the request timeout.
 *
 * <p>UDP keep-alives can go on succeeding while the TLS connection is dead (a home router forgot the idle TCP
 * mapping; the machine moved to another network), and then the registry's pushes are lost. So while logged in the
 * connection is pinged ({@code HELLO_P2P}, which changes nothing) whenever it has been silent for the ping
 * interval, under common NAT idle timeouts; a ping or request left unanswered for the request timeout, or a
 * keep-alive seen coming from a new address, drops it, and the loop reconnects and RESUMEs, announcing the
 * candidates as they are now.
 */
public final class RegistrySession implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistrySession.class);
    private static final Duration DEFAULT_KEEPALIVE_INTERVAL = Duration.ofSeconds(10);
    /** Under the 30 s after which many home routers forget an idle TCP mapping. */
    public static final Duration DEFAULT_PING_INTERVAL = Duration.ofSeconds(25);
    private static final Duration MIN_PING_CHECK = Duration.ofMillis(50);

    /** Where one registry node listens. */
    public record Address(String host, int port) {
        public Address {
            Objects.requireNonNull(host, "host");
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    /**
     * {@code addresses}: the nodes of one registry (a cluster presents one certificate on all of them), tried in
     * order from the one that last answered, each once per attempt. {@code pingInterval}: how long the connection
     * may be silent while logged in before it is pinged (null: {@link #DEFAULT_PING_INTERVAL}).
     */
    public record Settings(List<Address> addresses, RegistryTrust trust, Duration requestTimeout, Backoff backoff,
                           Duration pingInterval) {
        public Settings {
            addresses = List.copyOf(addresses);
            if (addresses.isEmpty()) {
                throw new IllegalArgumentException("no registry address");
            }
            Objects.requireNonNull(trust, "trust");
            Objects.requireNonNull(requestTimeout, "requestTimeout");
            Objects.requireNonNull(backoff, "backoff");
            pingInterval = pingInterval == null ? DEFAULT_PING_INTERVAL : pingInterval;
            if (pingInterval.isNegative() || pingInterval.isZero()) {
                throw new IllegalArgumentException("the ping interval must be positive");
            }
        }

        public Settings(String host, int port, RegistryTrust trust, Duration requestTimeout, Backoff backoff,
                        Duration pingInterval) {
            this(List.of(new Address(host, port)), trust, requestTimeout, backoff, pingInterval);
        }

        public Settings(String host, int port, RegistryTrust trust, Duration requestTimeout, Backoff backoff) {
            this(host, port, trust, requestTimeout, backoff, DEFAULT_PING_INTERVAL);
        }

        public Settings(List<Address> addresses, RegistryTrust trust, Duration requestTimeout, Backoff backoff) {
            this(addresses, trust, requestTimeout, backoff, DEFAULT_PING_INTERVAL);
        }

        /** The first node's host. */
        public String host() {
            return addresses.getFirst().host();
        }

        /** The first node's port. */
        public int port() {
            return addresses.getFirst().port();
        }

        String describe() {
            return addresses.stream().map(Address::toString).collect(java.util.stream.Collectors.joining(" or "));
        }
    }

    /**
     * The login to restore after a reconnect. The digest never leaves memory except in LOGIN. {@code certificate}
     * (base64 DER, may be null) lets others leave mailbox items for this user; {@code candidates} are the
     * addresses announced besides the one the registry observes.
     */
    public record Credentials(String username, String passwordDigest, int port, String fingerprint,
                              String certificate, List<Candidate> candidates) {
        public Credentials {
            candidates = List.copyOf(candidates);
        }

        public Credentials withCandidates(List<Candidate> now) {
            return new Credentials(username, passwordDigest, port, fingerprint, certificate, now);
        }

        public Credentials(String username, String passwordDigest, int port, String fingerprint) {
            this(username, passwordDigest, port, fingerprint, null, List.of());
        }

        @Override
        public String toString() {
            return "Credentials[" + username + "]";
        }
    }

    /** Sends one request on the connection being restored, before ordinary callers may use it. */
    @FunctionalInterface
    public interface Caller {
        RegistryReply call(RegistryRequest request) throws IOException;
    }

    public interface Listener {
        /** A push from the registry; called on the reader thread, must not block. */
        void onPush(RegistryPush push);

        /**
         * The rooms to ask RESUME to restore after a registry restart (empty for none): sent as {@code room_name}
         * (the first, which a registry without several rooms restores) and, when several, {@code rooms}.
         */
        java.util.List<String> roomsToRestore();

        /** The connection or session is gone; reconnecting has begun. */
        void onConnectionLost(String detail);

        /**
         * Called on the reconnect thread once the connection is back and, if {@code auth} is not null, the user
         * logged in again. Restore what else the session had (the room) through {@code caller}; an
         * IOException makes the whole reconnection start over.
         */
        void onRestored(RegistryReply.Auth auth, Caller caller) throws IOException;

        /** Everything is back; callers may proceed. */
        void onReconnected(String detail);

        /** The registry refused to log the user in again (password changed, account gone): now logged out. */
        void onLoginLost(String detail);

        /**
         * The server at the registry's address presented another certificate than the pinned one. Called once
         * per outage; reconnecting goes on with backoff and {@link #onReconnected} follows when the pinned
         * registry answers again.
         */
        void onCertificateRefused(String detail);
    }

    private final Settings settings;
    private final Listener listener;
    private final KeepAlive keepAlive;
    private final Object lock = new Object();

    private RegistryConnection current;
    private CompletableFuture<RegistryConnection> ready = new CompletableFuture<>();
    private boolean reconnecting;
    /** Whether the listener heard onConnectionLost for the outage under way (only logged-in sessions are announced). */
    private boolean announced;
    /** Logged out and disconnected: reconnect only when a caller needs the registry. */
    private boolean idle;
    private boolean closed;
    /** An impostor certificate was refused in the outage under way (reported once, cleared on reconnect). */
    private boolean refusingCertificate;
    private Thread reconnectThread;
    private volatile Credentials credentials;
    private volatile String token;
    private volatile Integer helloUdpPort;
    /** Where the candidates to announce at a reconnect come from (this machine's addresses now); null: the login's. */
    private volatile java.util.function.Supplier<List<Candidate>> candidateSource;
    /** A ping is under way (at most one at a time). */
    private final java.util.concurrent.atomic.AtomicBoolean pinging = new java.util.concurrent.atomic.AtomicBoolean();
    private final ScheduledExecutorService timer;
    /** The index in {@link Settings#addresses()} of the node that answered last: tried first next time. */
    private volatile int preferred;

    private RegistrySession(Settings settings, Listener listener, ScheduledExecutorService timer, Clock clock)
            throws IOException {
        this.settings = settings;
        this.listener = listener;
        this.timer = timer;
        this.keepAlive = new KeepAlive(timer, clock, new KeepAlive.Listener() {
            @Override
            public void onSessionExpired(String detail) {
                dropConnection(detail);
            }

            @Override
            public void onUnanswered(String detail) {
                dropConnection(detail);
            }

            @Override
            public void onMoved(String detail) {
                // The connection left from the old address: dead, or at best listed there. A new one is listed here.
                dropConnection(detail);
            }
        });
    }

    /**
     * Connects and says HELLO. Fails rather than retrying: a registry that is unreachable at start-up is
     * most likely misconfigured, and the user should hear about it.
     */
    public static RegistrySession open(Settings settings, Listener listener, ScheduledExecutorService timer,
                                       Clock clock) throws IOException, FingerprintMismatchException {
        RegistrySession session = new RegistrySession(settings, listener, timer, clock);
        try {
            RegistryConnection connection = session.connect();
            session.hello(connection);
            synchronized (session.lock) {
                session.current = connection;
                session.ready.complete(connection);
            }
            if (!connection.isOpen()) {
                // Closed before it became current, so its close went unnoticed: handle it now.
                session.lost(connection, "the registry closed the connection");
            }
            session.schedulePings();
            return session;
        } catch (IOException | FingerprintMismatchException | RuntimeException e) {
            session.close();
            throw e;
        }
    }

    /**
     * Sends a request once the session is usable, waiting for a reconnection if one is under way.
     * The whole call, waiting included, takes at most the request timeout.
     *
     * @throws NotConnectedException when the registry could not be reached in time
     * @throws IOException when the connection broke while waiting for the answer
     */
    public RegistryReply call(RegistryRequest request) throws IOException {
        return call(request, System.nanoTime() + settings.requestTimeout().toNanos(), true);
    }

    private RegistryReply call(RegistryRequest request, long deadline, boolean mayRetry) throws IOException {
        CompletableFuture<RegistryConnection> waitFor;
        boolean wake;
        synchronized (lock) {
            waitFor = ready;
            wake = idle;
            idle = false;
        }
        if (wake) {
            ensureReconnecting();
        }
        RegistryConnection connection;
        try {
            connection = waitFor.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new NotConnectedException("the registry at " + settings.describe()
                    + " cannot be reached right now; reconnecting in the background");
        } catch (ExecutionException e) {
            throw new NotConnectedException(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotConnectedException("interrupted while waiting for the registry");
        }
        Duration remaining = Duration.ofNanos(Math.max(deadline - System.nanoTime(), 1_000_000));
        try {
            return connection.call(request, remaining);
        } catch (SocketTimeoutException e) {
            // A live registry answers in milliseconds: find out now whether the connection died under us.
            ping(connection);
            throw e;
        } catch (IOException e) {
            if (!mayRetry || connection.isOpen() || credentials != null || !safeToRepeat(request)) {
                throw e;
            }
            // The registry closes a connection that has not logged in when it falls idle or grows too old, and
            // that can cross a request on the wire. HELLO and LOGIN are safe to send again on a new connection.
            LOG.debug("Registry connection closed under {}; trying once more", request.getClass().getSimpleName());
            lost(connection, "closed before answering");
            return call(request, deadline, false);
        }
    }

    /** Where to get the candidates to announce when the session is restored (they change when the machine moves). */
    public void announceCandidatesFrom(java.util.function.Supplier<List<Candidate>> source) {
        candidateSource = source;
    }

    private void schedulePings() {
        Duration check = settings.pingInterval().dividedBy(5);
        long period = Math.max(MIN_PING_CHECK.toMillis(), check.toMillis());
        try {
            timer.scheduleWithFixedDelay(this::pingIfSilent, period, period, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.debug("Not pinging the registry: shutting down");
        }
    }

    /** On the timer: pings the current connection of a logged-in session that has been silent for a while. */
    private void pingIfSilent() {
        RegistryConnection connection;
        synchronized (lock) {
            if (closed || reconnecting || current == null || !ready.isDone()) {
                return;
            }
            connection = current;
        }
        if (credentials != null && connection.silence().compareTo(settings.pingInterval()) >= 0) {
            ping(connection);
        }
    }

    /**
     * Sends {@code HELLO_P2P} on {@code connection} off the caller's thread; no answer within the request timeout
     * drops the connection, and the reconnect loop takes over. At most one ping at a time.
     */
    private void ping(RegistryConnection connection) {
        if (credentials == null || !connection.isOpen() || !pinging.compareAndSet(false, true)) {
            return;
        }
        Thread.ofVirtual().name("registry-ping").start(() -> {
            try {
                connection.call(new RegistryRequest.HelloP2p(), settings.requestTimeout());
            } catch (IOException e) {
                boolean stillCurrent;
                synchronized (lock) {
                    stillCurrent = connection == current;
                }
                if (stillCurrent && connection.isOpen()) {
                    LOG.info("The registry connection is dead ({}); reconnecting", e.getMessage());
                    connection.close("no answer to a ping within " + settings.requestTimeout().toMillis() + " ms");
                }
            } finally {
                pinging.set(false);
            }
        });
    }

    private static boolean safeToRepeat(RegistryRequest request) {
        return request instanceof RegistryRequest.HelloP2p || request instanceof RegistryRequest.Login;
    }

    /** Logs in; on success remembers the credentials for re-login and starts the keep-alive. */
    public RegistryReply login(Credentials credentials) throws IOException {
        RegistryReply reply = call(new RegistryRequest.Login(credentials.username(), credentials.passwordDigest(),
                credentials.port(), credentials.fingerprint(), credentials.certificate(), credentials.candidates()));
        if (reply instanceof RegistryReply.Auth auth && auth.status().isSuccess()) {
            this.credentials = credentials;
            startKeepAlive(auth, null);
        }
        return reply;
    }

    /** Forgets the login first, so that a reconnect racing with LOGOUT does not log back in. */
    public RegistryReply logout() throws IOException {
        forgetLogin();
        return call(new RegistryRequest.Logout());
    }

    public void forgetLogin() {
        credentials = null;
        token = null;
        keepAlive.stop();
    }

    /** Stops sending keep-alives until the next login or reconnect (see {@link KeepAlive#fallSilent()}). */
    public void silenceKeepAlive() {
        keepAlive.fallSilent();
    }

    public boolean isConnected() {
        synchronized (lock) {
            return current != null && current.isOpen() && ready.isDone() && !ready.isCompletedExceptionally();
        }
    }

    public boolean isReconnecting() {
        synchronized (lock) {
            return reconnecting;
        }
    }

    /** Closes the current connection as if the network had dropped it; the session reconnects by itself. */
    public void dropConnection(String detail) {
        RegistryConnection connection;
        synchronized (lock) {
            connection = current;
        }
        if (connection != null) {
            connection.close(detail);
        }
    }

    @Override
    public void close() {
        RegistryConnection connection;
        Thread thread;
        synchronized (lock) {
            if (closed) {
                return;
            }
            closed = true;
            connection = current;
            current = null;
            thread = reconnectThread;
            if (!ready.isDone()) {
                ready.completeExceptionally(new IOException("this peer is shutting down"));
            } else {
                ready = CompletableFuture.failedFuture(new IOException("this peer is shutting down"));
            }
        }
        if (thread != null) {
            thread.interrupt();
        }
        if (connection != null) {
            connection.close();
        }
        keepAlive.close();
    }

    /**
     * Connects to the node that answered last, else to each of the others in a random order: a node that refuses the
     * connection or cannot be reached costs one attempt, and the session RESUMEs on the next (its token is valid on
     * every node of a cluster). Random, so that the peers of a node that dies spread over the others instead of all
     * landing on the one after it in their list (docs/BENCHMARKS.md run S: 30,000 sessions on one node of three).
     * Throws what the last node failed with, a refused certificate before anything else.
     */
    private RegistryConnection connect() throws IOException, FingerprintMismatchException {
        List<Address> addresses = settings.addresses();
        IOException lastFailure = null;
        FingerprintMismatchException refused = null;
        for (int index : nodeOrder(preferred, addresses.size())) {
            try {
                RegistryConnection connection = connect(addresses.get(index));
                if (index != preferred) {
                    LOG.info("Connected to registry node {}", addresses.get(index));
                }
                preferred = index;
                return connection;
            } catch (FingerprintMismatchException e) {
                refused = e;
            } catch (IOException e) {
                LOG.debug("Registry node {} cannot be reached: {}", addresses.get(index), e.toString());
                lastFailure = e;
            }
        }
        if (refused != null) {
            throw refused;
        }
        throw lastFailure;
    }

    private RegistryConnection connect(Address address) throws IOException, FingerprintMismatchException {
        return RegistryConnection.open(address.host(), address.port(), settings.trust(), settings.requestTimeout(),
                new RegistryConnection.Handler() {
                    @Override
                    public void onPush(RegistryConnection connection, RegistryPush push) {
                        if (push instanceof RegistryPush.Shutdown shutdown) {
                            connection.close(shutdown.reason() == null ? "the registry is shutting down"
                                    : shutdown.reason());
                        } else {
                            listener.onPush(push);
                        }
                    }

                    @Override
                    public void onClosed(RegistryConnection connection, String reason) {
                        lost(connection, reason);
                    }
                });
    }

    private void hello(RegistryConnection connection) throws IOException {
        RegistryReply reply = connection.call(new RegistryRequest.HelloP2p(), settings.requestTimeout());
        if (!(reply instanceof RegistryReply.HelloBack hello) || !hello.status().isSuccess()) {
            connection.close("HELLO refused");
            throw new IOException("the registry did not accept HELLO_P2P: " + reply);
        }
        helloUdpPort = hello.udpPort();
    }

    private void lost(RegistryConnection connection, String detail) {
        boolean loggedIn = credentials != null;
        synchronized (lock) {
            if (closed || connection != current) {
                return;
            }
            current = null;
            if (ready.isDone()) {
                ready = new CompletableFuture<>();
            }
            if (!loggedIn) {
                // Nobody logged in: the registry drops idle connections, and there is nothing to restore.
                idle = true;
                LOG.debug("Registry connection closed while logged out ({}); reconnecting on demand", detail);
                return;
            }
            announced = true;
        }
        keepAlive.stop();
        LOG.info("Lost the registry: {}", detail);
        listener.onConnectionLost(detail);
        ensureReconnecting();
    }

    private void ensureReconnecting() {
        synchronized (lock) {
            if (reconnecting || closed) {
                return;
            }
            reconnecting = true;
            reconnectThread = Thread.ofVirtual().name("registry-reconnect").start(this::reconnectLoop);
        }
    }

    private void reconnectLoop() {
        int attempt = 0;
        boolean immediately;
        synchronized (lock) {
            immediately = !announced;
        }
        while (true) {
            synchronized (lock) {
                if (closed) {
                    reconnecting = false;
                    return;
                }
            }
            try {
                if (immediately) {
                    immediately = false;
                } else {
                    Thread.sleep(settings.backoff().delay(attempt++));
                }
            } catch (InterruptedException e) {
                continue; // close() interrupts; the loop head notices
            }
            RegistryConnection connection = null;
            boolean wasAnnounced;
            try {
                connection = connect();
                hello(connection);
                RegistryReply.Auth auth = null;
                Credentials login = withCurrentCandidates(credentials);
                if (login != null) {
                    auth = reauthenticate(connection, login);
                }
                RegistryConnection restoring = connection;
                listener.onRestored(auth, request -> restoring.call(request, settings.requestTimeout()));
                if (auth != null && credentials != null) {
                    startKeepAlive(auth, connection);
                }
                synchronized (lock) {
                    if (closed) {
                        connection.close();
                        reconnecting = false;
                        return;
                    }
                    if (!connection.isOpen()) {
                        continue;
                    }
                    current = connection;
                    reconnecting = false;
                    if (ready.isCompletedExceptionally()) {
                        ready = CompletableFuture.completedFuture(connection);
                    } else {
                        ready.complete(connection);
                    }
                    refusingCertificate = false;
                    wasAnnounced = announced;
                    announced = false;
                }
                if (!wasAnnounced) {
                    return;
                }
                LOG.info("Reconnected to the registry after {} attempt(s)", attempt);
                listener.onReconnected(auth == null ? "reconnected to the registry"
                        : "reconnected to the registry and logged in again as " + login.username());
                return;
            } catch (FingerprintMismatchException e) {
                // Whoever answers is not the pinned registry: never talk to it, but keep looking, since the
                // real one may come back on the same address (an impostor, a misrouted port, a test server).
                // Said once per episode, not at every attempt.
                closeQuietly(connection);
                String explained = settings.trust().explain(e);
                boolean firstTime;
                synchronized (lock) {
                    firstTime = !refusingCertificate;
                    refusingCertificate = true;
                    IOException refused = new IOException("the registry's certificate changed; not connecting to it"
                            + " (still trying to reach the pinned one)");
                    if (!ready.isDone()) {
                        ready.completeExceptionally(refused);
                    }
                }
                keepAlive.stop();
                if (firstTime) {
                    LOG.error("{}", explained);
                    listener.onCertificateRefused(explained);
                } else {
                    LOG.debug("Registry certificate still not the pinned one (attempt {})", attempt);
                }
            } catch (LoginRefusedException e) {
                credentials = null;
                token = null;
                listener.onLoginLost(e.getMessage());
                attempt = 0;
                closeQuietly(connection);
            } catch (IOException | RuntimeException e) {
                LOG.debug("Reconnect attempt {} failed: {}", attempt, e.toString());
                if (connection != null) {
                    preferAnotherNode();
                }
                closeQuietly(connection);
            }
        }
    }

    /** {@code first}, then the other indexes below {@code nodes} in a random order. */
    static List<Integer> nodeOrder(int first, int nodes) {
        List<Integer> others = new ArrayList<>(nodes);
        for (int i = 0; i < nodes; i++) {
            if (i != first) {
                others.add(i);
            }
        }
        Collections.shuffle(others, ThreadLocalRandom.current());
        others.addFirst(first);
        return others;
    }

    /**
     * After a node took the connection and then failed the attempt (it answered {@code FULL 503}, or closed): the
     * next attempt starts at another node, chosen at random, so a full node does not keep its peers away.
     */
    private void preferAnotherNode() {
        int nodes = settings.addresses().size();
        if (nodes > 1) {
            preferred = nodeOrder(preferred, nodes).get(1);
        }
    }

    /** The login with the candidates this machine has now, when they can be known; null stays null. */
    private Credentials withCurrentCandidates(Credentials login) {
        java.util.function.Supplier<List<Candidate>> source = candidateSource;
        if (login == null || source == null) {
            return login;
        }
        try {
            return login.withCandidates(source.get());
        } catch (RuntimeException e) {
            LOG.debug("Could not list this machine's addresses again: {}", e.toString());
            return login;
        }
    }

    private static void closeQuietly(RegistryConnection connection) {
        if (connection != null) {
            connection.close("reconnect attempt abandoned");
        }
    }

    /** RESUME with the token; if the registry forgot it, LOGIN with the cached digest. */
    private RegistryReply.Auth reauthenticate(RegistryConnection connection, Credentials login)
            throws IOException, LoginRefusedException {
        String currentToken = token;
        if (currentToken != null) {
            java.util.List<String> rooms = listener.roomsToRestore();
            RegistryReply reply = connection.call(new RegistryRequest.Resume(login.username(), currentToken,
                    login.port(), login.fingerprint(), rooms.isEmpty() ? null : rooms.getFirst(), login.certificate(),
                    login.candidates(), rooms.size() > 1 ? rooms : java.util.List.of()), settings.requestTimeout());
            if (reply instanceof RegistryReply.Auth auth && auth.status().isSuccess()) {
                LOG.debug("Session resumed");
                return auth;
            }
            LOG.debug("RESUME refused ({}); logging in again", reply);
        }
        RegistryReply reply = connection.call(new RegistryRequest.Login(login.username(), login.passwordDigest(),
                login.port(), login.fingerprint(), login.certificate(), login.candidates()), settings.requestTimeout());
        if (reply instanceof RegistryReply.Auth auth && auth.status().isSuccess()) {
            return auth;
        }
        Status status = reply instanceof RegistryReply r ? r.status() : null;
        if (status != null && (status.equals(Status.ONLINE) || status.code() >= 429)) {
            // The registry still holds the old session (it expires by itself) or is busy: try again later.
            throw new SocketTimeoutException("the registry still has the old session: " + status);
        }
        String reason = reply instanceof RegistryReply.Auth auth && auth.reason() != null ? auth.reason()
                : reply instanceof dev.p2pchat.protocol.ErrorReply error ? error.reason() : "login refused";
        throw new LoginRefusedException("could not log in again as " + login.username() + ": " + reason);
    }

    private void startKeepAlive(RegistryReply.Auth auth, RegistryConnection via) {
        token = auth.token();
        RegistryConnection connection = via;
        if (connection == null) {
            synchronized (lock) {
                connection = current;
            }
        }
        Integer udpPort = auth.udpPort() != null ? auth.udpPort() : helloUdpPort;
        Credentials login = credentials;
        if (udpPort == null || login == null) {
            LOG.warn("The registry named no UDP port; not sending keep-alives");
            return;
        }
        if (auth.keepaliveToken() == null) {
            // Never fall back to the session token: keep-alives travel in clear, and that token RESUMEs the session.
            LOG.warn("The registry sent no keep-alive token; not sending keep-alives");
            return;
        }
        Duration timeout = auth.keepaliveTimeout();
        Duration interval = auth.keepaliveInterval();
        if (interval == null || interval.isZero()) {
            interval = timeout != null ? timeout.dividedBy(3) : DEFAULT_KEEPALIVE_INTERVAL;
        }
        if (timeout == null || timeout.isZero()) {
            timeout = interval.multipliedBy(3);
        }
        java.net.InetAddress address;
        try {
            address = connection != null ? connection.remoteAddress()
                    : java.net.InetAddress.getByName(settings.addresses().get(preferred).host());
        } catch (java.net.UnknownHostException e) {
            LOG.warn("Cannot resolve {} for keep-alives", settings.addresses().get(preferred).host());
            return;
        }
        keepAlive.start(login.username(), auth.keepaliveToken(), address, udpPort, interval, timeout);
    }

    /** The registry answered but will not take this login any more. */
    private static final class LoginRefusedException extends Exception {
        LoginRefusedException(String message) {
            super(message);
        }
    }
}
