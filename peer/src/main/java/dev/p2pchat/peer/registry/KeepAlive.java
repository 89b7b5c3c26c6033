package dev.p2pchat.peer.registry;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP side of a session: sends {@code KEEP_ALIVE} with the keep-alive token every interval from one socket,
 * and on the same socket hears {@code KEEP_ALIVE_RESPONSE} and {@code TIMEOUT}. It must never send the session
 * token: datagrams travel in clear, and that token would RESUME the session. Datagrams that do not come
 * from the registry's address and UDP port are ignored, so nobody else can end the session.
 *
 * <p>A keep-alive left unanswered is sent again soon ({@value #TRIES} tries per interval, spaced a ninth of the
 * timeout at most), so that loss on the way does not add up to a whole timeout of silence. The address the
 * registry saw each answered keep-alive come from ({@code observed}) is watched: when it changes, this peer has
 * moved, its registry connection is most likely dead and the registry lists it at an address that is no longer its
 * own, which {@link Listener#onMoved} reports.
 */
public final class KeepAlive implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAlive.class);
    /** Consecutive FAILURE answers that mean the registry no longer knows the token. */
    private static final int REFUSALS_TO_GIVE_UP = 2;
    /** Keep-alives sent per interval when none is answered: the first and its quick repeats. */
    static final int TRIES = 3;

    /** Called on the keep-alive threads; must not block. */
    public interface Listener {
        /** The registry sent TIMEOUT: it ended the session. */
        void onSessionExpired(String detail);

        /** The registry stopped answering for a whole timeout, or refused the token repeatedly. */
        void onUnanswered(String detail);

        /**
         * The registry saw this session's keep-alives come from another address than before: this peer moved
         * (another network, a new lease, a NAT that restarted). Keep-alives stop until the next {@link #start}.
         */
        default void onMoved(String detail) {
        }
    }

    private final DatagramSocket socket;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Listener listener;
    private final Object lock = new Object();
    private Session session;

    private record Session(long generation, String username, String token, InetAddress registry, int udpPort,
                           Duration timeout, Duration retrySpacing, ScheduledFuture<?> task) {
    }

    private long generation;
    private volatile boolean silent;
    private volatile Instant lastAnswer;
    private volatile int refusals;
    /** When the latest keep-alive of the interval under way went out first; its repeats check for an answer since. */
    private volatile Instant lastSent;
    /** The address the registry first saw this session's keep-alives come from; null until one was answered. */
    private volatile String observedAddress;

    public KeepAlive(ScheduledExecutorService timer, Clock clock, Listener listener) throws SocketException {
        this.socket = new DatagramSocket();
        this.timer = timer;
        this.clock = clock;
        this.listener = listener;
        Thread.ofVirtual().name("keepalive-receiver").start(this::receiveLoop);
    }

    /** Starts (or restarts, for a new keep-alive token) sending; the first keep-alive goes out at once. */
    public void start(String username, String token, InetAddress registry, int udpPort, Duration interval,
                      Duration timeout) {
        synchronized (lock) {
            stopLocked();
            silent = false;
            long gen = ++generation;
            lastAnswer = clock.instant();
            refusals = 0;
            observedAddress = null;
            Duration spacing = timeout.dividedBy(9);
            if (spacing.compareTo(interval.dividedBy(TRIES)) > 0) {
                spacing = interval.dividedBy(TRIES);
            }
            ScheduledFuture<?> task = timer.scheduleAtFixedRate(() -> tick(gen), 0, Math.max(1, interval.toMillis()),
                    TimeUnit.MILLISECONDS);
            session = new Session(gen, username, token, registry, udpPort, timeout, spacing, task);
            LOG.debug("Keep-alive every {} ms to {}:{}", interval.toMillis(), registry.getHostAddress(), udpPort);
        }
    }

    public void stop() {
        synchronized (lock) {
            stopLocked();
        }
    }

    private void stopLocked() {
        if (session != null) {
            session.task().cancel(false);
            session = null;
        }
    }

    /**
     * Stops sending (until the next {@link #start}) while still listening, as if the datagrams were lost on the
     * way: the registry will time the session out. For tests of that path.
     */
    public void fallSilent() {
        silent = true;
    }

    public int localPort() {
        return socket.getLocalPort();
    }

    @Override
    public void close() {
        stop();
        socket.close();
    }

    private void tick(long gen) {
        Session s;
        synchronized (lock) {
            s = session;
        }
        if (s == null || s.generation() != gen || silent) {
            return;
        }
        Duration silence = Duration.between(lastAnswer, clock.instant());
        if (silence.compareTo(s.timeout()) > 0) {
            endSession(gen, () -> listener.onUnanswered("the registry stopped answering keep-alives for "
                    + silence.toSeconds() + " s"));
            return;
        }
        Instant sent = clock.instant();
        lastSent = sent;
        send(s);
        for (int i = 1; i < TRIES; i++) {
            try {
                timer.schedule(() -> repeat(gen, sent), Math.max(1, s.retrySpacing().toMillis() * i),
                        TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                return; // shutting down
            }
        }
    }

    /** Sends the interval's keep-alive again unless it (or a repeat) was answered, or a newer one went out. */
    private void repeat(long gen, Instant sent) {
        Session s;
        synchronized (lock) {
            s = session;
        }
        if (s == null || s.generation() != gen || silent || !sent.equals(lastSent) || lastAnswer.isAfter(sent)) {
            return;
        }
        LOG.debug("No answer to a keep-alive yet; sending it again");
        send(s);
    }

    private void send(Session s) {
        byte[] bytes = FrameWriter.encodeDatagram(new RegistryRequest.KeepAlive(s.username(), s.token(), s.timeout())
                .toFrame());
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, s.registry(), s.udpPort()));
        } catch (IOException e) {
            LOG.debug("Sending a keep-alive failed: {}", e.toString());
        }
    }

    private void receiveLoop() {
        byte[] buffer = new byte[Limits.MAX_DATAGRAM_BYTES + 1];
        while (!socket.isClosed()) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
            } catch (IOException e) {
                if (!socket.isClosed()) {
                    LOG.debug("Keep-alive socket failed", e);
                }
                return;
            }
            try {
                handle(packet);
            } catch (RuntimeException e) {
                LOG.error("Handling a datagram from the registry failed", e);
            }
        }
    }

    private void handle(DatagramPacket packet) {
        Session s;
        synchronized (lock) {
            s = session;
        }
        if (s == null || !packet.getAddress().equals(s.registry()) || packet.getPort() != s.udpPort()) {
            LOG.debug("Ignoring a datagram from {}:{}", packet.getAddress().getHostAddress(), packet.getPort());
            return;
        }
        Message message;
        try {
            Frame frame = FrameReader.decodeDatagram(packet.getData(), packet.getOffset(), packet.getLength());
            message = Messages.decode(frame);
        } catch (ProtocolException e) {
            LOG.debug("Ignoring an unreadable datagram from the registry: {}", e.reason());
            return;
        }
        switch (message) {
            case RegistryReply.KeepAliveResponse r when r.status().isSuccess() -> {
                lastAnswer = clock.instant();
                refusals = 0;
                noticeObserved(s, r.observed());
            }
            case RegistryReply.KeepAliveResponse r -> {
                lastAnswer = clock.instant();
                if (++refusals >= REFUSALS_TO_GIVE_UP) {
                    endSession(s.generation(), () -> listener.onUnanswered("the registry refused our keep-alives"
                            + (r.reason() == null ? "" : ": " + r.reason())));
                }
            }
            case RegistryPush.Timeout t when t.username().equals(s.username()) ->
                    endSession(s.generation(), () -> listener.onSessionExpired("the registry timed out our session"));
            default -> LOG.debug("Ignoring {} on the keep-alive socket", message.getClass().getSimpleName());
        }
    }

    /**
     * Compares the address the registry saw with the one it saw first. Only the address counts: a NAT may give the
     * keep-alives a new port whenever its UDP mapping lapses, which moves nothing.
     */
    private void noticeObserved(Session s, dev.p2pchat.protocol.Candidate observed) {
        if (observed == null) {
            return;
        }
        String before = observedAddress;
        if (before == null) {
            observedAddress = observed.address();
            LOG.debug("The registry sees our keep-alives come from {}", observed.text());
        } else if (!before.equals(observed.address())) {
            LOG.info("Our address changed from {} to {}", before, observed.address());
            endSession(s.generation(), () -> listener.onMoved("this machine's address changed from " + before
                    + " to " + observed.address()));
        }
    }

    /** Stops this session's keep-alives and reports once. */
    private void endSession(long gen, Runnable report) {
        synchronized (lock) {
            if (session == null || session.generation() != gen) {
                return;
            }
            stopLocked();
        }
        report.run();
    }
}
