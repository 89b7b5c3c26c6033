package dev.p2pchat.registry.net;

import dev.p2pchat.protocol.EncodedFrame;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.limit.TokenBucket;
import dev.p2pchat.registry.service.Caller;
import dev.p2pchat.registry.service.MailboxCursor;
import dev.p2pchat.registry.service.RegistryService;
import dev.p2pchat.registry.session.Outbox;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.transport.ChannelSettings;
import dev.p2pchat.transport.Deadlines;
import dev.p2pchat.transport.Closure;
import dev.p2pchat.transport.FrameChannel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's TLS connection to the registry, on the shared transport ({@link FrameChannel}): the channel reads
 * frames on its own virtual thread and hands each request here; the answer, and pushes from other users' threads,
 * go through the channel's byte-bounded queue. What this class adds is the registry's rules: a connection that is
 * not logged in must send each request within {@code unauthenticatedTimeout} and log in within
 * {@code unauthenticatedLifetime} (time the registry spends answering, waiting for Argon2 above all, does not
 * count), every connection is held to a request rate, and a full registry answers {@code ERROR FULL 503}.
 */
public final class Connection implements Caller, Outbox, FrameChannel.Listener {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);

    /**
     * What every connection is told by the server.
     *
     * @param unauthenticatedTimeout the TLS handshake as a whole, each frame from first byte to last, and the
     *                               silence allowed before logging in
     * @param writeTimeout           a write blocked this long means the client stopped reading
     * @param maxQueuedBytes         bytes queued for one client at most (see {@link ChannelSettings})
     */
    public record Settings(Duration unauthenticatedTimeout, Duration unauthenticatedLifetime, int requestBurst,
                           int requestsPerSecond, int maxQueuedBytes, Duration writeTimeout, Duration closeGrace) {
        public ChannelSettings channel() {
            return new ChannelSettings(unauthenticatedTimeout, unauthenticatedTimeout, unauthenticatedTimeout,
                    maxQueuedBytes, writeTimeout, closeGrace);
        }
    }

    private final FrameChannel channel;
    private final String ip;
    private final Settings settings;
    private final RegistryService service;
    private final SessionRegistry sessions;
    private final TokenBucket requestRate;
    private final Status refusal;
    private final Runnable served;
    private final Runnable onClosed;
    private final ConnectionStats stats;
    private volatile Session session;
    /** Effects of the request being handled that wait for its answer; only touched on the reader thread. */
    private final java.util.List<Runnable> afterReply = new java.util.ArrayList<>();
    private MailboxCursor mailboxCursor = new MailboxCursor();

    /**
     * @param refusal  when not null, the connection is answered {@code ERROR <refusal>} right after the handshake
     *                 and closed (the registry is full)
     * @param served   run once its first request is answered, or when it is gone before ({@link Admission})
     * @param onClosed run once, last, when the connection is gone
     */
    public Connection(SSLSocket socket, Settings settings, Deadlines deadlines, RegistryService service,
            SessionRegistry sessions, Clock clock, Status refusal, ConnectionStats stats, Runnable served,
            Runnable onClosed) throws IOException {
        this.ip = socket.getInetAddress().getHostAddress();
        this.channel = FrameChannel.accepted(socket, settings.channel(), deadlines,
                "registry-conn-" + ip + ":" + socket.getPort());
        this.settings = settings;
        this.service = service;
        this.sessions = sessions;
        this.requestRate = new TokenBucket(settings.requestBurst(), settings.requestsPerSecond(), clock);
        this.refusal = refusal;
        this.served = served;
        this.onClosed = onClosed;
        this.stats = stats;
    }

    public String name() {
        return channel.name();
    }

    /** Starts the connection's reader virtual thread, named after the socket. */
    public Thread start() {
        stats.accepted.increment();
        notLoggedIn();
        channel.start(this);
        return channel.thread();
    }

    /** The reader thread, for waiting on it; null before {@link #start()}. */
    public Thread thread() {
        return channel.thread();
    }

    @Override
    public void onOpen(FrameChannel ch) {
        if (refusal != null) {
            LOG.info("Refused connection from {}: {}", name(), refusal);
            ch.send(new ErrorReply(refusal, "the registry is full; try again later").toFrame());
            ch.close("the registry is full");
            return;
        }
        LOG.debug("Connection from {}", name());
    }

    @Override
    public void onFrame(FrameChannel ch, Frame frame) {
        afterReply.clear();
        ch.send(answer(frame).withId(frame.id()));
        served.run();
        for (Runnable effect : java.util.List.copyOf(afterReply)) {
            try {
                effect.run();
            } catch (RuntimeException e) {
                LOG.error("Completing {} from {} after its answer failed", frame.verb(), name(), e);
            }
        }
        afterReply.clear();
    }

    @Override
    public void onBadFrame(FrameChannel ch, ProtocolException e) {
        LOG.info("Bad input from {}: {}", name(), e.reason());
        ch.send(ErrorReply.frameFor(e));
    }

    @Override
    public void onClosed(FrameChannel ch, Closure closure) {
        switch (closure.kind()) {
            case HANDSHAKE_TIMEOUT -> stats.handshakeTimeouts.increment();
            case FRAME_TIMEOUT, IDLE_TIMEOUT -> stats.unauthenticatedReadTimeouts.increment();
            case DEADLINE -> stats.unauthenticatedLifetimeEnds.increment();
            case NOT_READING -> stats.kickedSlow.increment();
            default -> {
            }
        }
        try {
            Session held = session;
            if (held != null && sessions.detach(held, this)) {
                LOG.info("{} disconnected without LOGOUT ({}); the session stays until the keep-alive timeout",
                        held.username(), closure.reason());
            }
        } finally {
            served.run();
            onClosed.run();
        }
    }

    private Frame answer(Frame frame) {
        if (!requestRate.tryTake()) {
            return new ErrorReply(Status.RATE_LIMITED, "too many requests; slow down").toFrame();
        }
        if (frame.isResponse()) {
            return new ErrorReply(Status.BAD_REQUEST, "the registry takes requests, not responses ("
                    + frame.verb() + ")").toFrame();
        }
        Message message;
        try {
            message = Messages.decode(frame);
        } catch (ProtocolException e) {
            LOG.info("Bad request from {}: {}", name(), e.reason());
            return ErrorReply.of(e).toFrame();
        }
        if (!(message instanceof RegistryRequest request)) {
            return new ErrorReply(Status.BAD_REQUEST, frame.verb() + " is not a request to the registry").toFrame();
        }
        try {
            return service.handle(this, request);
        } catch (RuntimeException e) {
            LOG.error("Handling {} from {} failed", frame.verb(), name(), e);
            return new ErrorReply(Status.SERVER_ERROR, "internal error; the request was not completed").toFrame();
        }
    }

    /** The rules of a connection that is not logged in: silence limit and lifetime, counted from now. */
    private void notLoggedIn() {
        Duration lifetime = settings.unauthenticatedLifetime();
        long seconds = lifetime.toSeconds();
        String limit = seconds > 0 ? seconds + " s" : lifetime.toMillis() + " ms";
        channel.idleTimeout(settings.unauthenticatedTimeout());
        channel.closeAt(lifetime, "not logged in within " + limit, new ErrorReply(Status.WRONG_STATE,
                "not logged in within " + limit + "; closing the connection").toFrame());
    }

    /** Tells the client the registry is stopping, then closes after the push is written. */
    public void shutdown(String reason) {
        channel.send(new RegistryPush.Shutdown(reason).toFrame());
        channel.close("the registry is shutting down");
    }

    @Override
    public void send(EncodedFrame frame) {
        channel.send(frame);
    }

    /** Abortive close from any thread: nothing more is written, the reader wakes up and cleans up. */
    @Override
    public void kick(String why) {
        if (channel.isOpen()) {
            LOG.info("Disconnecting {}: {}", name(), why);
            channel.abort(why);
        }
    }

    @Override
    public String ip() {
        return ip;
    }

    /** On this connection's own thread while its request waited (for Argon2): has the client hung up? */
    @Override
    public boolean isOpen() {
        return channel.stillConnected();
    }

    @Override
    public Outbox outbox() {
        return this;
    }

    @Override
    public Session session() {
        return session;
    }

    @Override
    public void afterReply(Runnable effect) {
        afterReply.add(effect);
    }

    @Override
    public MailboxCursor mailboxCursor() {
        return mailboxCursor;
    }

    @Override
    public void loggedIn(Session newSession) {
        session = newSession;
        mailboxCursor = new MailboxCursor();
        channel.idleTimeout(null);
        channel.cancelDeadline();
    }

    /** Back to the unauthenticated rules, with a fresh lifetime. */
    @Override
    public void loggedOut() {
        session = null;
        notLoggedIn();
    }

    @Override
    public String toString() {
        return "Connection[" + name() + "]";
    }
}
