package dev.p2pchat.registry.net;

import dev.p2pchat.protocol.EncodedFrame;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.limit.TokenBucket;
import dev.p2pchat.registry.service.Caller;
import dev.p2pchat.registry.service.RegistryService;
import dev.p2pchat.registry.session.Outbox;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.net.SocketTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One peer's TLS connection to the registry. {@link #run()} is the whole life of the connection on its own
 * virtual thread: handshake, read a frame, dispatch, queue the answer, and one {@code finally} that releases
 * everything. Everything sent — answers and pushes from other users' threads — goes through one bounded queue
 * drained by a writer virtual thread, so frames never interleave and a pusher never blocks on this socket. The
 * writer runs only while the queue has frames: it is started by whoever queues into an empty queue with no writer,
 * and ends when it finds the queue empty, so an idle connection parks one thread (its reader), not two.
 * A client that stops reading until the queue is full is disconnected. A client that is not logged in is
 * disconnected when it sends nothing for {@code unauthenticatedTimeout}, and in any case once it has stayed
 * unauthenticated for {@code unauthenticatedLifetime}, however busy it keeps the connection.
 */
public final class Connection implements Caller, Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Connection.class);
    /** Queued after the last frame: the writer flushes, closes the socket and stops. */
    private static final byte[] END = new byte[0];

    /** What every connection is told by the server. */
    public record Settings(Duration unauthenticatedTimeout, Duration unauthenticatedLifetime, int requestBurst,
                           int requestsPerSecond, int outboundQueueFrames, Duration closeGrace) {
    }

    private final SSLSocket socket;
    private final String ip;
    private final String name;
    private final Settings settings;
    private final RegistryService service;
    private final SessionRegistry sessions;
    private final TokenBucket requestRate;
    private final Clock clock;
    private final Status refusal;
    private final Runnable onClosed;
    private final ConnectionStats stats;
    private final LinkedBlockingQueue<byte[]> outbound;
    /** True while a writer thread owns the socket's output; stays true once END was taken. */
    private final AtomicBoolean writing = new AtomicBoolean();
    private final String writerName;
    /** The writer thread now or last; only for waiting on it at the end. */
    private volatile Thread writer;
    /** Set once the TLS handshake is done: only then may frames be written. */
    private volatile boolean handshaken;
    private volatile boolean closing;
    private volatile Session session;
    private volatile Thread reader;
    /** The socket's input with one byte of push-back, so {@link #isOpen()} can look for a hang-up; reader thread only. */
    private PushbackInputStream input;
    /** Clock millis by which a connection that is not logged in must be; written by the reader thread only. */
    private long unauthenticatedDeadline;

    /**
     * @param refusal  when not null, the connection is answered {@code ERROR <refusal>} right after the handshake
     *                 and closed (the registry is full)
     * @param onClosed run once, last, when the connection is gone
     */
    public Connection(SSLSocket socket, Settings settings, RegistryService service, SessionRegistry sessions,
            Clock clock, Status refusal, ConnectionStats stats, Runnable onClosed) {
        this.socket = socket;
        this.ip = socket.getInetAddress().getHostAddress();
        this.name = ip + ":" + socket.getPort();
        this.settings = settings;
        this.service = service;
        this.sessions = sessions;
        this.requestRate = new TokenBucket(settings.requestBurst(), settings.requestsPerSecond(), clock);
        this.clock = clock;
        this.unauthenticatedDeadline = clock.millis() + settings.unauthenticatedLifetime().toMillis();
        this.refusal = refusal;
        this.onClosed = onClosed;
        this.stats = stats;
        this.outbound = new LinkedBlockingQueue<>(settings.outboundQueueFrames());
        this.writerName = "registry-out-" + name;
    }

    public String name() {
        return name;
    }

    /** Starts the connection's reader virtual thread, named after the socket. */
    public Thread start() {
        reader = Thread.ofVirtual().name("registry-conn-" + name).start(this::run);
        return reader;
    }

    /** The reader thread, for waiting on it; null before {@link #start()}. */
    public Thread thread() {
        return reader;
    }

    private void run() {
        try {
            stats.accepted.increment();
            socket.setTcpNoDelay(true);
            try {
                Tls.handshake(socket, settings.unauthenticatedTimeout());
            } catch (SocketTimeoutException e) {
                stats.handshakeTimeouts.increment();
                LOG.info("Closing {}: TLS handshake not done within {} ms", name,
                        settings.unauthenticatedTimeout().toMillis());
                return;
            }
            socket.setSoTimeout(timeoutMillis(settings.unauthenticatedTimeout()));
            handshaken = true;
            if (refusal != null) {
                LOG.info("Refused connection from {}: {}", name, refusal);
                send(new ErrorReply(refusal, "the registry is full; try again later").toFrame());
                return;
            }
            LOG.debug("Connection from {}", name);
            readLoop();
        } catch (SocketTimeoutException e) {
            stats.unauthenticatedReadTimeouts.increment();
            LOG.info("Closing {}: no complete request within {} ms while not logged in", name,
                    settings.unauthenticatedTimeout().toMillis());
        } catch (SSLException e) {
            LOG.debug("TLS with {} failed: {}", name, e.toString());
        } catch (IOException e) {
            LOG.debug("Connection {} went away: {}", name, e.toString());
        } catch (RuntimeException e) {
            LOG.error("Connection {} failed", name, e);
        } finally {
            Session held = session;
            if (held != null && sessions.detach(held, this)) {
                LOG.info("{} disconnected without LOGOUT; the session stays until the keep-alive timeout",
                        held.username());
            }
            finish();
            onClosed.run();
        }
    }

    private void readLoop() throws IOException {
        input = new PushbackInputStream(socket.getInputStream(), 1);
        FrameReader frames = new FrameReader(input);
        while (!closing) {
            if (session == null && !armUnauthenticatedTimeout()) {
                refuseStranger();
                return;
            }
            Frame frame;
            try {
                frame = frames.read();
            } catch (SocketTimeoutException e) {
                if (session == null && clock.millis() >= unauthenticatedDeadline) {
                    refuseStranger();
                    return;
                }
                throw e;
            } catch (ProtocolException e) {
                LOG.info("Bad input from {}: {}", name, e.reason());
                send(ErrorReply.of(e).toFrame());
                if (e.framingLost()) {
                    return;
                }
                continue;
            }
            if (frame == null) {
                LOG.debug("{} closed the connection", name);
                return;
            }
            Session before = session;
            long started = clock.millis();
            Frame reply = answer(frame);
            if (before == null && session == null) {
                // Time the registry spent answering (waiting for Argon2 above all) is not the client's to pay.
                unauthenticatedDeadline += clock.millis() - started;
            }
            send(reply.withId(frame.id()));
        }
    }

    /**
     * Sets the read timeout of a connection that is not logged in: the idle timeout, cut short by what is left of
     * its lifetime. False when the lifetime is over.
     */
    private boolean armUnauthenticatedTimeout() {
        long left = unauthenticatedDeadline - clock.millis();
        if (left <= 0) {
            return false;
        }
        setReadTimeout((int) Math.min(timeoutMillis(settings.unauthenticatedTimeout()), left));
        return true;
    }

    private void refuseStranger() {
        stats.unauthenticatedLifetimeEnds.increment();
        long seconds = settings.unauthenticatedLifetime().toSeconds();
        LOG.info("Closing {}: not logged in within {} ms", name, settings.unauthenticatedLifetime().toMillis());
        send(new ErrorReply(Status.WRONG_STATE, "not logged in within " + (seconds > 0 ? seconds + " s"
                : settings.unauthenticatedLifetime().toMillis() + " ms") + "; closing the connection").toFrame());
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
            LOG.info("Bad request from {}: {}", name, e.reason());
            return ErrorReply.of(e).toFrame();
        }
        if (!(message instanceof RegistryRequest request)) {
            return new ErrorReply(Status.BAD_REQUEST, frame.verb() + " is not a request to the registry").toFrame();
        }
        try {
            return service.handle(this, request);
        } catch (RuntimeException e) {
            LOG.error("Handling {} from {} failed", frame.verb(), name, e);
            return new ErrorReply(Status.SERVER_ERROR, "internal error; the request was not completed").toFrame();
        }
    }

    /** Starts a writer unless one is running; called after every offer to the queue. */
    private void wakeWriter() {
        if (handshaken && writing.compareAndSet(false, true)) {
            writer = Thread.ofVirtual().name(writerName).start(this::writeLoop);
        }
    }

    /** Writes what is queued, in order, and ends when the queue is empty (or at END, closing the socket). */
    private void writeLoop() {
        boolean done = false;
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                byte[] bytes = outbound.poll();
                if (bytes == null) {
                    writing.set(false);
                    // A frame queued after the poll found no writer running, or finds this one again here.
                    if (outbound.isEmpty() || !writing.compareAndSet(false, true)) {
                        return;
                    }
                    continue;
                }
                if (bytes == END) {
                    done = true;
                    return;
                }
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            LOG.debug("Writing to {} failed: {}", name, e.toString());
            done = true;
        } finally {
            if (done) {
                closing = true;
                closeSocket(false);
            }
        }
    }

    /** Queues a frame; a full queue means the client is not reading, and it is disconnected. */
    private void send(Frame frame) {
        enqueue(FrameWriter.encode(frame));
    }

    private void enqueue(byte[] frame) {
        if (closing) {
            return;
        }
        if (!outbound.offer(frame)) {
            stats.kickedSlow.increment();
            kick("it is not reading (" + settings.outboundQueueFrames() + " frames queued)");
            return;
        }
        wakeWriter();
    }

    /** Lets the writer flush what is queued, then makes sure the socket is closed. */
    private void finish() {
        closing = true;
        if (handshaken) {
            outbound.offer(END);
            wakeWriter();
            Thread last = writer;
            try {
                if (last != null && !last.join(settings.closeGrace())) {
                    closeSocket(true);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        closeSocket(!handshaken);
    }

    /** Tells the client the registry is stopping, then closes after the push is written. */
    public void shutdown(String reason) {
        send(new RegistryPush.Shutdown(reason).toFrame());
        closing = true;
        outbound.offer(END);
        wakeWriter();
    }

    @Override
    public void send(EncodedFrame frame) {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream(frame.size());
        try {
            frame.writeTo(bytes);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        enqueue(bytes.toByteArray());
    }

    /** Abortive close from any thread: nothing more is written, the reader wakes up and cleans up. */
    @Override
    public void kick(String why) {
        if (closing) {
            return;
        }
        LOG.info("Disconnecting {}: {}", name, why);
        closing = true;
        outbound.clear();
        outbound.offer(END);
        closeSocket(true);
    }

    private void closeSocket(boolean abortive) {
        try {
            if (abortive) {
                socket.setSoLinger(true, 0); // no close_notify wait behind a stuck writer
            }
        } catch (IOException ignored) {
            // already closed
        }
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing {}: {}", name, e.toString());
        }
    }

    @Override
    public String ip() {
        return ip;
    }

    /**
     * Called on this connection's own thread while its request waited (for Argon2): reads ahead one byte, for at
     * most a millisecond, to notice a client that hung up meanwhile. A byte that arrived is pushed back for the
     * frame reader.
     */
    @Override
    public boolean isOpen() {
        if (closing || socket.isClosed() || input == null) {
            return !closing && !socket.isClosed();
        }
        try {
            socket.setSoTimeout(1);
            int b = input.read();
            if (b < 0) {
                return false;
            }
            input.unread(b);
            return true;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            if (session != null) {
                setReadTimeout(0);
            } // else the read loop arms the unauthenticated time-out before its next read
        }
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
    public void loggedIn(Session newSession) {
        session = newSession;
        setReadTimeout(0);
    }

    /** Back to the unauthenticated rules, with a fresh lifetime; the read loop arms the timeout before reading. */
    @Override
    public void loggedOut() {
        session = null;
        unauthenticatedDeadline = clock.millis() + settings.unauthenticatedLifetime().toMillis();
    }

    private void setReadTimeout(int millis) {
        try {
            socket.setSoTimeout(millis);
        } catch (IOException e) {
            LOG.debug("Cannot set the read timeout of {}: {}", name, e.toString());
        }
    }

    private static int timeoutMillis(Duration d) {
        return (int) Math.min(Integer.MAX_VALUE, Math.max(1, d.toMillis()));
    }

    @Override
    public String toString() {
        return "Connection[" + name + "]";
    }
}
