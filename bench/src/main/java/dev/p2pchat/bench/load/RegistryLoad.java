package dev.p2pchat.bench.load;

import dev.p2pchat.bench.client.KeepAlivePump;
import dev.p2pchat.bench.client.RegistryConnection;
import dev.p2pchat.bench.report.LoadResult;
import dev.p2pchat.peer.registry.Backoff;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.HeaderNames;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.PasswordDigest;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The registry load of one process: sessions {@code [from, to)} of a {@link LoadSpec}, one virtual thread each,
 * speaking the protocol directly. Three phases, each bounded in time and count:
 * <ol>
 *   <li>{@link #login}: at its slot on the global ramp, each session connects over TLS, says HELLO_P2P, registers,
 *       logs in and joins its room; from then on it sends UDP keep-alives.</li>
 *   <li>{@link #hold}: open loop — each session's requests are due at fixed times, and a latency runs from the
 *       time a request was due, not from when it could be sent, so a slow registry cannot hide its backlog
 *       (no coordinated omission).</li>
 *   <li>{@link #watchForRestart} and {@link #awaitResumed}: after the registry is killed and restarted, each
 *       session reconnects, RESUMEs with its token and rejoins its room, or logs in again if the token is refused.</li>
 * </ol>
 * Latency histograms are keyed {@code phase/VERB}; every non-2xx answer is an error keyed by verb and status.
 */
public final class RegistryLoad implements AutoCloseable {
    /** How long after its end the hold phase may still send requests that fell behind. */
    
    private static final int ROOM_CAPACITY = 1000;
    private static final long RECONNECT_BACKOFF_MIN_MS = 100;
    /**
     * TLS connects one client process makes at once while its sessions reconnect. Real peers reconnect from as many
     * machines; one process doing 10,000 client handshakes at once on its one core took longer than the
     * registry's 10 s handshake limit for most of them (runs W, X3), so what was measured was the load client's CPU.
     */
    public static final int MAX_RECONNECTS_AT_ONCE = 64;
    private static final long RECONNECT_BACKOFF_MAX_MS = 1000;

    private final LoadSpec spec;
    private final LoadResult result;
    private final SSLContext tls;
    private final Session[] sessions;
    private final Duration timeout;
    private final AtomicInteger loggedIn = new AtomicInteger();
    private final AtomicInteger resumed = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private final List<Thread> watchers = new ArrayList<>();
    private final java.util.concurrent.Semaphore reconnecting = new java.util.concurrent.Semaphore(MAX_RECONNECTS_AT_ONCE);
    private volatile KeepAlivePump pump;
    private volatile int udpPort;
    private volatile Duration keepAliveInterval;

    private static final class Session {
        final int g;
        final String username;
        final String password;
        final String room;
        final int fakePeerPort;
        final java.net.InetAddress source;
        final String fakePeerFingerprint;
        volatile String token;
        /** The separate token KEEP_ALIVE carries (AUTH's keepalive_token); the session token when there is none. */
        volatile String keepAliveToken;
        /** The UDP port the node holding the session announced in its AUTH; 0 until one did. */
        volatile int udpPort;
        volatile RegistryConnection connection;
        volatile boolean usable;
        boolean inRoom;
        volatile long resumedAtNanos;
        volatile boolean fullLogin;

        Session(LoadSpec spec, int g) {
            this.g = g;
            this.username = spec.username(g);
            this.password = PasswordDigest.sha256Hex(("bench-password-" + g).toCharArray());
            this.room = spec.roomName(g % spec.rooms());
            this.fakePeerPort = 20_000 + g % 40_000;
            this.source = sourceAddress(spec, g);
            // Peers are not started in this scenario: any well-formed fingerprint serves, the registry only stores it.
            this.fakePeerFingerprint = Fingerprints.sha256Hex((spec.runId() + "/" + g).getBytes(StandardCharsets.UTF_8));
        }
    }

    /** Sessions per client address: below the registry's 20 new accounts per IP and window. */
    static final int SESSIONS_PER_SOURCE_ADDRESS = 16;

    /**
     * 127.16.0.0 + g / 16 on loopback, so that per-IP limits meet as many addresses as real users would bring;
     * null (any address) when the registry is not on loopback.
     */
    static java.net.InetAddress sourceAddress(LoadSpec spec, int g) {
        if (!spec.host().startsWith("127.")) {
            return null;
        }
        int n = g / SESSIONS_PER_SOURCE_ADDRESS;
        byte[] ip = {127, (byte) (16 + n / 65_536), (byte) (n / 256 % 256), (byte) (n % 256)};
        try {
            return java.net.InetAddress.getByAddress(ip);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    public RegistryLoad(LoadSpec spec, LoadResult result) {
        this.spec = spec;
        this.result = result;
        this.tls = Tls.client(PinnedCertificateTrust.expecting(spec.fingerprint()));
        this.timeout = Duration.ofMillis(spec.timeoutMillis());
        this.sessions = new Session[spec.to() - spec.from()];
        for (int i = 0; i < sessions.length; i++) {
            sessions[i] = new Session(spec, spec.from() + i);
        }
    }

    public int loggedIn() {
        return loggedIn.get();
    }

    public long requests() {
        return requests.get();
    }

    public int resumed() {
        return resumed.get();
    }

    public int size() {
        return sessions.length;
    }

    /** The room owner's session: open for the whole run, with its own keep-alives, so the rooms stay as they are. */
    public record Setup(RegistryConnection owner, KeepAlivePump keepAlive, Duration keepAliveInterval, int udpPort)
            implements AutoCloseable {
        @Override
        public void close() {
            keepAlive.close();
            owner.close();
        }
    }

    /** Registers a room owner, creates every room of the spec, and learns the keep-alive interval and UDP port. */
    public static Setup createRooms(LoadSpec spec, LoadResult result) throws IOException {
        SSLContext tls = Tls.client(PinnedCertificateTrust.expecting(spec.fingerprint()));
        Duration timeout = Duration.ofMillis(spec.timeoutMillis());
        RegistryConnection owner = RegistryConnection.open(tls, spec.host(), spec.port(), timeout);
        try {
            String name = "b" + spec.runId() + "owner";
            String password = PasswordDigest.sha256Hex(("bench-owner-" + spec.runId()).toCharArray());
            String fp = Fingerprints.sha256Hex(name.getBytes(StandardCharsets.UTF_8));
            expect(owner.call(new RegistryRequest.Register(name, password).toFrame(), timeout), "REGISTER");
            Frame auth = owner.call(new RegistryRequest.Login(name, password, 19_999, fp).toFrame(), timeout);
            expect(auth, "LOGIN");
            String token = keepAliveToken(auth);
            Duration interval = Duration.ofMillis(Long.parseLong(auth.header(HeaderNames.KEEPALIVE_INTERVAL)));
            int udp = Integer.parseInt(auth.header(HeaderNames.UDP_PORT));
            KeepAlivePump keepAlive = new KeepAlivePump(spec.host(), udp, 1,
                    i -> new KeepAlivePump.Credentials(name, token), interval, new LoadResult());
            for (int r = 0; r < spec.rooms(); r++) {
                Frame created = owner.call(new RegistryRequest.CreateChatRoom(spec.roomName(r), null, ROOM_CAPACITY,
                        "bench room").toFrame(), timeout);
                // One account creating hundreds of rooms meets the per-connection request rate: wait, as a peer
                // would, and ask again (counted).
                for (int attempt = 0; Status.RATE_LIMITED.equals(created.status()) && attempt < 50; attempt++) {
                    result.count("setup_retries_after_429");
                    sleepMillis(200);
                    created = owner.call(new RegistryRequest.CreateChatRoom(spec.roomName(r), null, ROOM_CAPACITY,
                            "bench room").toFrame(), timeout);
                }
                expect(created, "CREATE_CHAT_ROOM");
            }
            return new Setup(owner, keepAlive, interval, udp);
        } catch (IOException | TimeoutException | RuntimeException e) {
            owner.close();
            result.error("setup " + e.getMessage());
            throw e instanceof IOException io ? io : new IOException("room setup failed: " + e.getMessage(), e);
        }
    }

    private static void expect(Frame answer, String what) throws IOException {
        if (answer.status() == null || !answer.status().isSuccess()) {
            throw new IOException(what + " answered " + answer.startLine() + " " + answer.header(HeaderNames.REASON));
        }
    }

    // ---------------------------------------------------------------- phase 1: ramp of logins

    /** Logs every session in at its slot on the global ramp starting at {@code rampStartNanos}; returns when all tried. */
    public void login(long rampStartNanos) throws InterruptedException {
        // Keep-alives run from the first login on: a ramp longer than the keep-alive timeout must not lose the
        // sessions that logged in early. The pump skips sessions that have no token yet.
        if (spec.udpPort() > 0) {
            udpPort = spec.udpPort();
            startKeepAlives();
        }
        List<Thread> threads = new ArrayList<>(sessions.length);
        for (Session s : sessions) {
            long slot = rampStartNanos + (long) (s.g * 1e9 / spec.rampRate());
            threads.add(Thread.ofVirtual().name("bench-session-" + s.g).start(() -> loginOne(s, slot)));
        }
        for (Thread t : threads) {
            t.join();
        }
        if (pump == null) {
            startKeepAlives();
        }
    }

    private void loginOne(Session s, long slot) {
        OpenLoop.sleepUntil(slot);
        try {
            long t0 = System.nanoTime();
            s.connection = RegistryConnection.open(tls, spec.host(), spec.port(), timeout, s.source);
            result.recordLatency("login/TLS_CONNECT", System.nanoTime() - t0);
            Frame hello = timed(s, "login", new RegistryRequest.HelloP2p().toFrame(), System.nanoTime());
            if (hello == null) {
                return;
            }
            noteUdpPort(hello);
            if (timed(s, "login", new RegistryRequest.Register(s.username, s.password).toFrame(), System.nanoTime()) == null) {
                return;
            }
            Frame auth = timed(s, "login", login(s), System.nanoTime());
            if (auth == null) {
                return;
            }
            acceptAuth(s, auth);
            if (timed(s, "login", new RegistryRequest.JoinChatRoom(s.room, null).toFrame(), System.nanoTime()) == null) {
                return;
            }
            s.inRoom = true;
            s.usable = true;
            result.recordLatency("login/SESSION_READY_FROM_SLOT", System.nanoTime() - slot);
            loggedIn.incrementAndGet();
        } catch (IOException e) {
            result.error("login io " + e.getClass().getSimpleName());
            closeQuietly(s);
        }
    }

    private Frame login(Session s) {
        return new RegistryRequest.Login(s.username, s.password, s.fakePeerPort, s.fakePeerFingerprint).toFrame();
    }

    private void acceptAuth(Session s, Frame auth) {
        s.token = auth.header(HeaderNames.TOKEN);
        s.keepAliveToken = keepAliveToken(auth);
        int udp = noteUdpPort(auth);
        if (udp != 0) {
            s.udpPort = udp;
        }
        String interval = auth.header(HeaderNames.KEEPALIVE_INTERVAL);
        if (interval != null && keepAliveInterval == null) {
            keepAliveInterval = Duration.ofMillis(Long.parseLong(interval));
        }
    }

    private static String keepAliveToken(Frame auth) {
        String k = auth.header(HeaderNames.KEEPALIVE_TOKEN);
        return k != null ? k : auth.header(HeaderNames.TOKEN);
    }

    /** Remembers the UDP port {@code frame} announces, and returns it (0: none). */
    private int noteUdpPort(Frame frame) {
        String udp = frame.header(HeaderNames.UDP_PORT);
        if (udp == null) {
            return 0;
        }
        udpPort = Integer.parseInt(udp);
        return udpPort;
    }

    private void startKeepAlives() {
        if (udpPort == 0 || sessions.length == 0) {
            result.error("keep-alive: the registry announced no UDP port");
            return;
        }
        Duration interval = spec.keepAliveMillis() > 0 ? Duration.ofMillis(spec.keepAliveMillis())
                : keepAliveInterval != null ? keepAliveInterval : Duration.ofSeconds(10);
        keepAliveIntervalUsed = interval;
        try {
            pump = new KeepAlivePump(spec.host(), udpPort, sessions.length, i -> {
                Session s = sessions[i];
                String token = s.keepAliveToken;
                RegistryConnection c = s.connection;
                // Not for a session whose connection is known to be gone: it will RESUME, and until then the
                // registry (restarted, say) would rightly refuse the keep-alive.
                return s.usable && token != null && c != null && !c.closed().isDone()
                        ? new KeepAlivePump.Credentials(s.username, token, s.udpPort) : null;
            }, interval, result);
        } catch (IOException e) {
            result.error("keep-alive io " + e.getClass().getSimpleName());
        }
    }

    /** The peer's reconnect schedule: 1 s doubling to 30 s with jitter; 8 attempts wait about two minutes at most. */
    private static final Backoff BUSY_BACKOFF = Backoff.withJitter(Duration.ofSeconds(1), Duration.ofSeconds(30));
    private static final int BUSY_RETRIES = 8;

    private volatile Duration keepAliveIntervalUsed;
    /** Per session thread: whether the last answer was 409 WRONG_STATE (a JOIN while already in the room). */
    private static final ThreadLocal<Boolean> WRONG_STATE = ThreadLocal.withInitial(() -> false);

    public Duration keepAliveIntervalUsed() {
        return keepAliveIntervalUsed;
    }

    /**
     * Sends one request and records its latency from {@code dueNanos} under {@code phase/VERB}. Returns the answer,
     * or null after recording an error (non-2xx answer, time-out, lost connection).
     */
    private Frame timed(Session s, String phase, Frame request, long dueNanos) {
        return timed(s, phase, request, dueNanos, request.verb());
    }

    /** @param label what the latency is recorded under, after the phase: the verb, or a finer kind of it */
    private Frame timed(Session s, String phase, Frame request, long dueNanos, String label) {
        String key = phase + "/" + label;
        RegistryConnection c = s.connection;
        if (c == null) {
            result.error(key + " no connection");
            return null;
        }
        try {
            Frame answer = c.call(request, timeout);
            requests.incrementAndGet();
            Status status = answer.status();
            // "registry busy, retry" (the Argon2 queue is full): nothing was done, so a real peer waits and asks
            // again with the same back-off it uses to reconnect; so does the bench, and it counts each retry. It
            // asks on a new connection, as the registry closes one that stays silent that long before login.
            for (int attempt = 0; status.equals(Status.FULL) && phase.equals("login")
                    && attempt < BUSY_RETRIES; attempt++) {
                result.count("login_retries_after_503");
                c.close();
                OpenLoop.sleepUntil(System.nanoTime() + BUSY_BACKOFF.delay(attempt).toNanos());
                c = RegistryConnection.open(tls, spec.host(), spec.port(), timeout, s.source);
                s.connection = c;
                expect(c.call(new RegistryRequest.HelloP2p().toFrame(), timeout), "HELLO_P2P before a retry");
                answer = c.call(request, timeout);
                requests.incrementAndGet();
                status = answer.status();
            }
            // from when it was due to the answer that counted, retries and their waits included
            result.recordLatency(key, System.nanoTime() - dueNanos);
            WRONG_STATE.set(status.code() == Status.WRONG_STATE.code());
            if (!status.isSuccess()) {
                result.error(key + " " + answer.verb() + " " + status);
                return null;
            }
            return answer;
        } catch (TimeoutException e) {
            result.recordLatency(key, System.nanoTime() - dueNanos);
            result.error(key + " timeout");
            return null;
        } catch (IOException e) {
            result.error(key + " io " + e.getClass().getSimpleName());
            s.usable = false;
            return null;
        }
    }

    // ---------------------------------------------------------------- phase 2: open-loop request mix

    /** Runs the request mix from {@code startNanos} for the spec's duration; returns when every session stopped. */
    public void hold(long startNanos) throws InterruptedException {
        long measureFrom = startNanos + TimeUnit.MILLISECONDS.toNanos(spec.warmupMillis());
        long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(spec.durationMillis());
        List<Thread> threads = new ArrayList<>(sessions.length);
        if (spec.requestRate() > 0) {
            for (Session s : sessions) {
                threads.add(Thread.ofVirtual().name("bench-hold-" + s.g).start(() -> holdOne(s, startNanos, measureFrom, end)));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        OpenLoop.sleepUntil(end);
        long usable = java.util.Arrays.stream(sessions).filter(s -> s.usable && !s.connection.closed().isDone()).count();
        result.add("sessions_still_connected_after_hold", usable);
    }

    /**
     * Records how many sessions are logged in with their connection open now, at the end of the run: after a
     * failover, whether the sessions that resumed are still held (a node past its file limit would have closed them).
     */
    public void countConnected() {
        result.add("sessions_connected_at_end", java.util.Arrays.stream(sessions)
                .filter(s -> s.usable && s.connection != null && !s.connection.closed().isDone()).count());
    }

    /** A user of this slice who is logged in (so SEARCH_USER should find them), drawn at random. */
    private String onlineUser(SplittableRandom random) {
        for (int tries = 0; tries < 8; tries++) {
            Session other = sessions[random.nextInt(sessions.length)];
            if (other.usable) {
                return other.username;
            }
        }
        return sessions[random.nextInt(sessions.length)].username;
    }

    /** A user of another slice, so on another registry node of the cluster, drawn at random. */
    private String otherNodeUser(SplittableRandom random) {
        int mine = spec.to() - spec.from();
        int r = random.nextInt(spec.total() - mine);
        return spec.username(r < spec.from() ? r : r + mine);
    }

    private void holdOne(Session s, long start, long measureFrom, long end) {
        if (!s.usable) {
            return; // never logged in: not one of the sessions held, already counted as a login error
        }
        long period = (long) (1e9 * spec.total() / spec.requestRate());
        long phase = (long) (1e9 * s.g / spec.requestRate());
        SplittableRandom random = new SplittableRandom(s.g * 1_000_003L + spec.runId().hashCode());
        OpenLoop.hold(start, phase, period, end, result, due -> sendOne(s, random, due, measureFrom));
    }

    /** One request of the mix, due at {@code due}; keeps the client's idea of its room in step. */
    private void sendOne(Session s, SplittableRandom random, long due, long measureFrom) {
        if (!s.usable) {
            result.error("hold/any session lost during the hold");
            return;
        }
        int pick = random.nextInt(100);
        Frame request;
        if (pick < 20 && spec.nodes() > 1) {
            Frame search = new RegistryRequest.SearchUser(otherNodeUser(random)).toFrame();
            timed(s, due < measureFrom ? "warmup" : "hold", search, due, search.verb() + "@other-node");
            return;
        } else if (pick < 40) {
            request = new RegistryRequest.SearchUser(onlineUser(random)).toFrame();
        } else if (pick < 65) {
            request = new RegistryRequest.DiscoverPeers(s.room).toFrame();
        } else if (pick < 80) {
            request = new RegistryRequest.ShowRoomsList(RegistryRequest.ListType.PARTIAL).toFrame();
        } else if (s.inRoom) {
            request = new RegistryRequest.RoomExit(s.room).toFrame();
        } else {
            request = new RegistryRequest.JoinChatRoom(s.room, null).toFrame();
        }
        Frame answer = timed(s, due < measureFrom ? "warmup" : "hold", request, due);
        if (request.verb().equals(RegistryRequest.RoomExit.VERB)) {
            // After a time-out the registry may still have done it: an answer that says "not in a room"
            // (or, for JOIN, "already in one") is counted as an error above and puts the client back in step.
            s.inRoom = false;
        } else if (request.verb().equals(RegistryRequest.JoinChatRoom.VERB)) {
            s.inRoom = answer != null || WRONG_STATE.get();
        }
    }

    // ---------------------------------------------------------------- phase 3: registry restart

    /**
     * Makes every logged-in session wait for its connection to drop, then resume at this registry or, with
     * {@code resumeAtPorts} given, at one of those cluster nodes; returns at once.
     */
    public void watchForRestart(long deadlineNanos, List<Integer> resumeAtPorts) {
        List<Integer> ports = resumeAtPorts.isEmpty() ? List.of(spec.port()) : List.copyOf(resumeAtPorts);
        for (Session s : sessions) {
            if (s.connection == null || !s.usable) {
                continue;
            }
            watchers.add(Thread.ofVirtual().name("bench-resume-" + s.g).start(() -> resumeOne(s, deadlineNanos, ports)));
        }
    }

    /** Waits for every watcher; afterwards records resume times relative to the kill and to the restart. */
    public void awaitResumed(long killNanos, long restartedNanos) throws InterruptedException {
        for (Thread t : watchers) {
            t.join();
        }
        for (Session s : sessions) {
            long at = s.resumedAtNanos;
            if (at != 0) {
                result.recordLatency("reconnect/RESUMED_AFTER_KILL", at - killNanos);
                result.recordLatency("reconnect/RESUMED_AFTER_RESTART", Math.max(0, at - restartedNanos));
            }
        }
    }

    /** Nanos (after the kill) of the last session to resume, or -1 if none did; for one process. */
    public long lastResumedNanos() {
        long last = -1;
        for (Session s : sessions) {
            last = Math.max(last, s.resumedAtNanos == 0 ? -1 : s.resumedAtNanos);
        }
        return last;
    }

    private void resumeOne(Session s, long deadline, List<Integer> ports) {
        RegistryConnection old = s.connection;
        try {
            old.closed().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            result.error("reconnect/connection never dropped");
            return;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        s.usable = false;
        SplittableRandom random = new SplittableRandom(s.g);
        long backoff = RECONNECT_BACKOFF_MIN_MS;
        // As RegistrySession does: a node at random, and another one after a failed attempt.
        int node = random.nextInt(ports.size());
        while (System.nanoTime() < deadline) {
            int port = ports.get(node);
            node = ports.size() == 1 ? 0 : (node + 1 + random.nextInt(ports.size() - 1)) % ports.size();
            try {
                s.connection = openPaced(port, s);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException e) {
                result.count("reconnect_connect_failures");
                sleepMillis(backoff / 2 + random.nextLong(backoff / 2 + 1));
                backoff = Math.min(RECONNECT_BACKOFF_MAX_MS, backoff * 2);
                continue;
            }
            if (resumeOrLogin(s)) {
                s.usable = true;
                s.resumedAtNanos = System.nanoTime();
                resumed.incrementAndGet();
                return;
            }
            closeQuietly(s);
            sleepMillis(backoff / 2 + random.nextLong(backoff / 2 + 1));
            backoff = Math.min(RECONNECT_BACKOFF_MAX_MS, backoff * 2);
        }
        result.error("reconnect/not resumed before the deadline");
    }

    private RegistryConnection openPaced(int port, Session s) throws IOException, InterruptedException {
        reconnecting.acquire();
        try {
            return RegistryConnection.open(tls, spec.host(), port, timeout, s.source);
        } finally {
            reconnecting.release();
        }
    }

    private boolean resumeOrLogin(Session s) {
        RegistryConnection c = s.connection;
        try {
            long t0 = System.nanoTime();
            // The RESUME extension takes the room back in the same round trip (room_name); JOIN only if it did not.
            Frame auth = c.call(new RegistryRequest.Resume(s.username, s.token, s.fakePeerPort,
                    s.fakePeerFingerprint, s.room).toFrame(), timeout);
            result.recordLatency("reconnect/RESUME", System.nanoTime() - t0);
            if (!auth.status().isSuccess()) {
                result.count("reconnect_resume_refused_" + auth.status().code());
                auth = timed(s, "reconnect", login(s), System.nanoTime());
                if (auth == null) {
                    return false;
                }
                s.fullLogin = true;
                result.count("reconnect_full_logins");
            }
            acceptAuth(s, auth);
            String restored = auth.header(HeaderNames.RESTORED);
            if (s.room.equals(restored)) {
                result.count("reconnect_room_restored_by_resume");
                return true;
            }
            if (timed(s, "reconnect", new RegistryRequest.JoinChatRoom(s.room, null).toFrame(), System.nanoTime()) == null) {
                return false;
            }
            s.inRoom = true;
            result.count("reconnect_rejoined_explicitly");
            return true;
        } catch (IOException e) {
            result.count("reconnect_io_during_resume");
            return false;
        } catch (TimeoutException e) {
            result.error("reconnect/RESUME timeout");
            return false;
        }
    }

    // ---------------------------------------------------------------- helpers

    private static void closeQuietly(Session s) {
        RegistryConnection c = s.connection;
        if (c != null) {
            c.close();
        }
        s.usable = false;
    }

    private static void sleepMillis(long millis) {
        OpenLoop.sleepUntil(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    @Override
    public void close() {
        KeepAlivePump p = pump;
        if (p != null) {
            p.close();
        }
        for (Session s : sessions) {
            closeQuietly(s);
        }
    }
}
