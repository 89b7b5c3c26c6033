package dev.p2pchat.bench.irc;

import dev.p2pchat.bench.load.OpenLoop;
import dev.p2pchat.bench.report.LoadResult;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The same workload as the registry scenario, in IRC: each session connects over TLS at its slot on the same
 * ramp, registers (NICK/USER, the IRC login, which checks no password), JOINs its channel (as many members per
 * channel as per room), keeps alive with a PING at the same interval, and in the hold phase sends WHOIS (the
 * IRC SEARCH_USER) on the same open-loop schedule at the same total rate. Runs in this process only.
 */
public final class IrcLoad implements AutoCloseable {
    /** How long after its end the hold phase may still send requests that fell behind. */

    private final String host;
    private final int port;
    private final SSLContext tls;
    private final int sessions;
    private final int rooms;
    private final String runId;
    private final Duration timeout;
    private final LoadResult result;
    private final IrcConnection[] connections;
    private final boolean[] ready;
    private final AtomicInteger registered = new AtomicInteger();
    private final AtomicLong requests = new AtomicLong();
    private volatile boolean keepAliveRunning;
    private Thread keepAliveThread;

    public IrcLoad(String host, int port, String fingerprint, int sessions, int rooms, String runId, Duration timeout,
            LoadResult result) {
        this.host = host;
        this.port = port;
        this.tls = Tls.client(PinnedCertificateTrust.expecting(fingerprint));
        this.sessions = sessions;
        this.rooms = rooms;
        this.runId = runId;
        this.timeout = timeout;
        this.result = result;
        this.connections = new IrcConnection[sessions];
        this.ready = new boolean[sessions];
    }

    private String nick(int g) {
        return "b" + runId + "u" + g;
    }

    public int registered() {
        return registered.get();
    }

    public long requests() {
        return requests.get();
    }

    public void login(long rampStartNanos, double rampRate) throws InterruptedException {
        List<Thread> threads = new ArrayList<>(sessions);
        for (int g = 0; g < sessions; g++) {
            int s = g;
            long slot = rampStartNanos + (long) (g * 1e9 / rampRate);
            threads.add(Thread.ofVirtual().start(() -> loginOne(s, slot)));
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private void loginOne(int g, long slot) {
        OpenLoop.sleepUntil(slot);
        try {
            long t0 = System.nanoTime();
            IrcConnection c = IrcConnection.open(tls, host, port, timeout);
            connections[g] = c;
            result.recordLatency("login/TLS_CONNECT", System.nanoTime() - t0);
            String nick = nick(g);
            if (!timed(c, "login/NICK_USER", "NICK " + nick + "\r\nUSER " + nick + " 0 * :bench\r\n",
                    Set.of("001"), System.nanoTime())) {
                return;
            }
            if (!timed(c, "login/JOIN", "JOIN #" + "b" + runId + "r" + (g % rooms) + "\r\n", Set.of("366"),
                    System.nanoTime())) {
                return;
            }
            result.recordLatency("login/SESSION_READY_FROM_SLOT", System.nanoTime() - slot);
            ready[g] = true;
            registered.incrementAndGet();
        } catch (IOException e) {
            result.error("login io " + e.getClass().getSimpleName());
        }
    }

    private boolean timed(IrcConnection c, String key, String lines, Set<String> ends, long due) {
        try {
            IrcConnection.Answer a = c.call(lines, ends, timeout);
            result.recordLatency(key, System.nanoTime() - due);
            requests.incrementAndGet();
            if (a.error() != null) {
                result.error(key + " numeric " + a.error());
                return false;
            }
            return true;
        } catch (TimeoutException e) {
            result.recordLatency(key, System.nanoTime() - due);
            result.error(key + " timeout");
            return false;
        } catch (IOException e) {
            result.error(key + " io " + e.getClass().getSimpleName());
            return false;
        }
    }

    /** A PING per session per interval, spread over the interval, on one platform thread. */
    public void startKeepAlives(Duration interval) {
        keepAliveRunning = true;
        keepAliveThread = Thread.ofPlatform().daemon().name("bench-irc-keepalive").start(() -> {
            long start = System.nanoTime();
            long step = Math.max(1, interval.toNanos() / Math.max(1, sessions));
            for (long round = 0; keepAliveRunning; round++) {
                for (int g = 0; g < sessions && keepAliveRunning; g++) {
                    OpenLoop.sleepUntil(start + round * interval.toNanos() + g * step);
                    IrcConnection c = connections[g];
                    if (c == null || !ready[g]) {
                        continue; // a PING before registration would be answered 451, like our KEEP_ALIVE before LOGIN
                    }
                    try {
                        c.write("PING :ka\r\n");
                        result.count("keepalive_sent");
                    } catch (IOException e) {
                        result.error("KEEP_ALIVE io " + e.getClass().getSimpleName());
                    }
                }
            }
        });
    }

    public void hold(long startNanos, long warmupMillis, long durationMillis, double rate) throws InterruptedException {
        long measureFrom = startNanos + TimeUnit.MILLISECONDS.toNanos(warmupMillis);
        long end = measureFrom + TimeUnit.MILLISECONDS.toNanos(durationMillis);
        List<Thread> threads = new ArrayList<>(sessions);
        if (rate > 0) {
            for (int g = 0; g < sessions; g++) {
                int s = g;
                threads.add(Thread.ofVirtual().start(() -> holdOne(s, startNanos, measureFrom, end, rate)));
            }
        }
        for (Thread t : threads) {
            t.join();
        }
        OpenLoop.sleepUntil(end);
    }

    private void holdOne(int g, long start, long measureFrom, long end, double rate) {
        long period = (long) (1e9 * sessions / rate);
        long phase = (long) (1e9 * g / rate);
        SplittableRandom random = new SplittableRandom(g * 1_000_003L + runId.hashCode());
        if (!ready[g]) {
            return; // never registered: not a session held, already counted as a login error
        }
        OpenLoop.hold(start, phase, period, end, result, due -> timed(connections[g],
                due < measureFrom ? "warmup/WHOIS" : "hold/WHOIS", "WHOIS " + nick(onlineNick(random)) + "\r\n",
                Set.of("318"), due));
    }

    /** A registered session, like the registry side's SEARCH_USER targets. */
    private int onlineNick(SplittableRandom random) {
        for (int tries = 0; tries < 8; tries++) {
            int g = random.nextInt(sessions);
            if (ready[g]) {
                return g;
            }
        }
        return random.nextInt(sessions);
    }

    @Override
    public void close() {
        keepAliveRunning = false;
        if (keepAliveThread != null) {
            keepAliveThread.interrupt();
        }
        result.add("keepalive_ok", IrcConnection.PONGS.get());
        for (IrcConnection c : connections) {
            if (c != null) {
                c.close();
            }
        }
    }
}
