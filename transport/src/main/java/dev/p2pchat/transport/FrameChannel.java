package dev.p2pchat.transport;

import dev.p2pchat.protocol.EncodedFrame;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.HeaderNames;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One framed TLS connection, the only kind p2pchat has: the registry's connections, the peer's connection to the
 * registry, peer-server links, outgoing peer links and the bench's clients are all this class.
 *
 * <p>Reading: one virtual thread runs the whole life of the channel: the TLS handshake (server side), then frames,
 * each handed to the {@link Listener} on that thread; the next frame is read when the listener returns. Answers to
 * this side's own {@link #call calls} are matched by {@code id} and never reach the listener. Every deadline is
 * part of the channel and enforced by the {@link Deadlines} watchdog, however slowly bytes arrive: the handshake
 * as a whole, each frame from its first byte to its last, an idle limit, and one deadline the owner sets.
 *
 * <p>Writing: {@link #send} queues an already-encoded frame (a push to many is encoded once) and never blocks; one
 * writer virtual thread drains the queue while it has frames and ends when it is empty, so an idle channel parks
 * one thread. The queue is bounded in bytes: a send beyond {@link ChannelSettings#maxQueuedBytes()} closes the
 * channel as not reading, and above half of it the channel stops reading the other side's requests until the
 * queue drains, so a client that pipelines faster than it reads is slowed down rather than cut off.
 *
 * <p>Closing: one policy. A graceful close writes what is queued (within {@link ChannelSettings#closeGrace()})
 * and then closes; an abortive close drops the queue and resets. Either way the reader wakes up, every pending
 * call fails with the {@link Closure}'s reason, and {@link Listener#onClosed} runs exactly once, last. The closure
 * is logged here at one level per kind; owners add what only they know.
 */
public final class FrameChannel implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FrameChannel.class);
    private static final long NONE = Long.MIN_VALUE;

    /** Called on the channel's reader thread. */
    public interface Listener {
        /** After the handshake, before the first frame is read. */
        default void onOpen(FrameChannel channel) {
        }

        /** A frame that does not answer one of this side's calls: a request, a push, or a late answer. */
        void onFrame(FrameChannel channel, Frame frame);

        /** A frame that could not be read; when {@code e.framingLost()} the channel closes after this returns. */
        void onBadFrame(FrameChannel channel, ProtocolException e);

        /** Exactly once, when the channel has ended for whatever reason. */
        default void onClosed(FrameChannel channel, Closure closure) {
        }
    }

    /** A server tells the other side why a deadline closed it; a client just closes. */
    private enum Role { SERVER, CLIENT }

    private final SSLSocket socket;
    private final String name;
    private final Role role;
    private final ChannelSettings settings;
    private final Deadlines deadlines;
    private final ConcurrentLinkedQueue<EncodedFrame> queue = new ConcurrentLinkedQueue<>();
    private final AtomicLong queuedBytes = new AtomicLong();
    /** True while a writer thread owns the socket's output. */
    private final AtomicBoolean writing = new AtomicBoolean();
    private final ReentrantLock drainLock = new ReentrantLock();
    private final Condition drained = drainLock.newCondition();
    private final Map<String, CompletableFuture<Frame>> calls = new ConcurrentHashMap<>();
    private final AtomicLong nextCallId = new AtomicLong();
    private final AtomicReference<Closure> closure = new AtomicReference<>();
    private final CompletableFuture<Closure> closed = new CompletableFuture<>();
    private final WatchedInput input;

    private volatile Listener listener;
    private volatile Thread reader;
    /** The writer while it runs; cleared when it ends idle, so an idle channel keeps no dead thread reachable. */
    private final AtomicReference<Thread> writer = new AtomicReference<>();
    private volatile boolean handshaken;
    /** Set by a graceful close: the writer closes the socket once the queue is empty. */
    private volatile boolean flushThenClose;
    private volatile long closingSinceNanos = NONE;
    private volatile long frameStartedNanos = NONE;
    private volatile long dispatchStartedNanos = NONE;
    private volatile long writeStartedNanos = NONE;
    private volatile long lastActivityNanos;
    private volatile Duration idleTimeout;
    private volatile long ownerDeadlineNanos = NONE;
    private volatile String ownerDeadlineReason;
    private volatile Frame ownerDeadlineFarewell;
    /** The reason of the last ERROR the other side sent without an id: usually why it is about to close. */
    private volatile String lastWord;

    private FrameChannel(SSLSocket socket, String name, Role role, ChannelSettings settings, Deadlines deadlines,
            boolean handshaken) throws IOException {
        this.socket = socket;
        this.name = name;
        this.role = role;
        this.settings = Objects.requireNonNull(settings, "settings");
        this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
        this.idleTimeout = settings.idleTimeout();
        this.handshaken = handshaken;
        this.input = new WatchedInput(socket.getInputStream());
        this.lastActivityNanos = System.nanoTime();
    }

    /**
     * A socket a server accepted; its handshake runs on the reader thread once {@link #start} is called, within
     * {@link ChannelSettings#handshakeTimeout()}.
     */
    public static FrameChannel accepted(SSLSocket socket, ChannelSettings settings, String name) throws IOException {
        return accepted(socket, settings, Deadlines.shared(), name);
    }

    public static FrameChannel accepted(SSLSocket socket, ChannelSettings settings, Deadlines deadlines, String name)
            throws IOException {
        return new FrameChannel(socket, name, Role.SERVER, settings, deadlines, false);
    }

    /**
     * Connects from {@code source} (null: any local address) and completes the handshake before returning, so a
     * refused certificate shows up here; the caller checks the session, then calls {@link #start}.
     */
    public static FrameChannel connect(SSLContext tls, String host, int port, InetAddress source,
            ChannelSettings settings, String name) throws IOException {
        SSLSocket socket = Tls.connect(tls, host, port, source, settings.handshakeTimeout());
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            return new FrameChannel(socket, name, Role.CLIENT, settings, Deadlines.shared(), true);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * The client end of a TLS session already handshaken on {@code socket}, such as one layered inside another TLS
     * connection (a link through a relay); the caller checks the session, then calls {@link #start}.
     */
    public static FrameChannel handshaken(SSLSocket socket, ChannelSettings settings, String name)
            throws IOException {
        return new FrameChannel(socket, name, Role.CLIENT, settings, Deadlines.shared(), true);
    }

    /** Starts the reader virtual thread, named after the channel. Once. */
    public FrameChannel start(Listener newListener) {
        Objects.requireNonNull(newListener, "listener");
        if (listener != null) {
            throw new IllegalStateException("already started");
        }
        listener = newListener;
        reader = Thread.ofVirtual().name(name).start(this::run);
        return this;
    }

    public String name() {
        return name;
    }

    /** The TLS session (the other side's certificate); after the handshake. */
    public SSLSession session() {
        return socket.getSession();
    }

    public InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    public int remotePort() {
        return socket.getPort();
    }

    public InetAddress localAddress() {
        return socket.getLocalAddress();
    }

    /** The reader thread, for waiting on it; null before {@link #start}. */
    public Thread thread() {
        return reader;
    }

    /** False from the moment a close began. */
    public boolean isOpen() {
        return closure.get() == null;
    }

    /** Completes, with why, once the channel has ended and {@link Listener#onClosed} has run. */
    public CompletableFuture<Closure> closed() {
        return closed;
    }

    /** Bytes queued for the other side and not yet written. */
    public long queuedBytes() {
        return queuedBytes.get();
    }

    // ---- sending ---------------------------------------------------------------------------------------------

    /** Queues a frame. False when the channel is closing or the frame would pass the bound (it then closes). */
    public boolean send(EncodedFrame frame) {
        if (closure.get() != null) {
            return false;
        }
        long total = queuedBytes.addAndGet(frame.size());
        if (total > settings.maxQueuedBytes()) {
            queuedBytes.addAndGet(-frame.size());
            abort(new Closure(Closure.Kind.NOT_READING, "it is not reading (" + (total - frame.size())
                    + " bytes waiting to be sent, at most " + settings.maxQueuedBytes() + ")"));
            return false;
        }
        queue.add(frame);
        wakeWriter();
        return true;
    }

    public boolean send(Frame frame) {
        return send(EncodedFrame.of(frame));
    }

    /**
     * Sends a request and returns its answer to come, matched by {@code id}: the request's own, or a fresh one.
     * The future fails with an {@link IOException} when the channel closes first; it has no timeout of its own
     * (callers use {@link CompletableFuture#get(long, TimeUnit)} or {@link CompletableFuture#orTimeout}).
     *
     * @throws IllegalStateException when a call with the request's id is already waiting
     */
    public CompletableFuture<Frame> call(Frame request) {
        String id = request.id() != null ? request.id() : "c" + nextCallId.incrementAndGet();
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        if (calls.putIfAbsent(id, answer) != null) {
            throw new IllegalStateException("a call with id " + id + " is already waiting on " + name);
        }
        answer.whenComplete((frame, failure) -> calls.remove(id, answer));
        if (!send(request.withId(id))) {
            answer.completeExceptionally(closedException());
        }
        return answer;
    }

    /** Calls waiting for their answer. */
    public int pendingCalls() {
        return calls.size();
    }

    // ---- the owner's deadlines -------------------------------------------------------------------------------

    /** Changes the idle limit from now on; null: none. */
    public void idleTimeout(Duration idle) {
        idleTimeout = idle;
    }

    /**
     * Closes the channel {@code after} from now, sending {@code farewell} first (null: nothing), unless
     * {@link #cancelDeadline()} comes first. Time the owner spends handling frames does not count.
     */
    public void closeAt(Duration after, String reason, Frame farewell) {
        ownerDeadlineReason = reason;
        ownerDeadlineFarewell = farewell;
        ownerDeadlineNanos = System.nanoTime() + after.toNanos();
    }

    public void cancelDeadline() {
        ownerDeadlineNanos = NONE;
    }

    /** Counts as traffic for the idle limit (a request that is still being answered, say). */
    public void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /**
     * On the reader thread while a frame is being handled (a login waiting for Argon2): false when the other side
     * has hung up meanwhile. Reads ahead at most one byte, for at most a millisecond; the byte is kept for the
     * next frame.
     */
    public boolean stillConnected() {
        if (closure.get() != null || socket.isClosed()) {
            return false;
        }
        try {
            socket.setSoTimeout(1);
            return input.peek() >= 0;
        } catch (SocketTimeoutException e) {
            return true;
        } catch (IOException e) {
            return false;
        } finally {
            try {
                socket.setSoTimeout(0);
            } catch (IOException ignored) {
                // closed meanwhile: the reader finds out
            }
        }
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    /** Graceful close by this side. */
    @Override
    public void close() {
        close("closed by this side");
    }

    /** Writes what is queued (within the close grace), then closes. */
    public void close(String reason) {
        closeGracefully(Closure.local(reason));
    }

    /** Drops what is queued and resets the connection: nothing more is written. */
    public void abort(String reason) {
        abort(Closure.local(reason));
    }

    private void closeGracefully(Closure why) {
        if (!closure.compareAndSet(null, why)) {
            return;
        }
        closingSinceNanos = System.nanoTime();
        flushThenClose = true;
        signalDrained();
        if (handshaken) {
            wakeWriter();
        } else if (reader != null && !queue.isEmpty()) {
            // The handshake is under way on the reader: it starts the writer when done, which flushes what is
            // queued (a SHUTDOWN push, say) and closes; the watchdog closes the socket after the close grace.
            deadlines.add(this);
        } else {
            closeSocket(true);
        }
    }

    private void abort(Closure why) {
        closure.compareAndSet(null, why);
        queue.clear();
        signalDrained();
        closeSocket(true);
    }

    /** Closes gracefully after telling a server's client why, when it is a server. */
    private void expire(Closure why, Frame farewell) {
        if (closure.get() != null) {
            return;
        }
        if (farewell != null && role == Role.SERVER) {
            send(farewell);
        }
        closeGracefully(why);
    }

    /** The watchdog's look at this channel. */
    void checkDeadlines(long now) {
        if (closure.get() != null) {
            long since = closingSinceNanos;
            if (since != NONE && now - since > settings.closeGrace().toNanos()) {
                closeSocket(true); // the writer could not flush in time
            }
            return;
        }
        long write = writeStartedNanos;
        if (write != NONE && now - write > settings.writeTimeout().toNanos()) {
            abort(new Closure(Closure.Kind.NOT_READING, "it is not reading (a write was blocked for "
                    + settings.writeTimeout().toMillis() + " ms)"));
            return;
        }
        long frame = frameStartedNanos;
        if (frame != NONE && now - frame > settings.frameTimeout().toNanos()) {
            String reason = "a frame was not complete within " + millis(settings.frameTimeout());
            expire(new Closure(Closure.Kind.FRAME_TIMEOUT, reason),
                    new ErrorReply(Status.REQUEST_TIMEOUT, reason + "; closing the connection").toFrame());
            return;
        }
        if (dispatchStartedNanos != NONE) {
            return; // the owner is busy with a frame: its time is not the other side's to pay
        }
        long owner = ownerDeadlineNanos;
        if (owner != NONE && now - owner >= 0) {
            expire(new Closure(Closure.Kind.DEADLINE, ownerDeadlineReason), ownerDeadlineFarewell);
            return;
        }
        Duration idle = idleTimeout;
        if (idle != null && frame == NONE && write == NONE && calls.isEmpty()
                && now - lastActivityNanos > idle.toNanos()) {
            String reason = "nothing sent or received for " + millis(idle);
            expire(new Closure(Closure.Kind.IDLE_TIMEOUT, reason),
                    new ErrorReply(Status.REQUEST_TIMEOUT, reason + "; closing the connection").toFrame());
        }
    }

    // ---- the reader ------------------------------------------------------------------------------------------

    private void run() {
        Closure end = null;
        try {
            if (!handshaken) {
                try {
                    Tls.handshake(socket, settings.handshakeTimeout());
                } catch (SocketTimeoutException e) {
                    end = new Closure(Closure.Kind.HANDSHAKE_TIMEOUT, "TLS handshake not done within "
                            + millis(settings.handshakeTimeout()));
                    return;
                }
                socket.setTcpNoDelay(true);
                handshaken = true;
            }
            lastActivityNanos = System.nanoTime();
            deadlines.add(this);
            wakeWriter(); // frames queued before the handshake finished
            if (closure.get() == null) {
                listener.onOpen(this);
            }
            end = readLoop();
        } catch (SSLException e) {
            end = new Closure(Closure.Kind.FAILED, "TLS failed: " + e.getMessage());
        } catch (IOException e) {
            end = new Closure(Closure.Kind.FAILED, "connection failed: " + e.getMessage());
        } catch (RuntimeException e) {
            LOG.error("Channel {} failed", name, e);
            end = new Closure(Closure.Kind.INTERNAL, "internal error: " + e);
        } finally {
            finish(end);
        }
    }

    private Closure readLoop() throws IOException {
        FrameReader frames = new FrameReader(input);
        while (closure.get() == null) {
            awaitDrain();
            if (closure.get() != null) {
                break;
            }
            Frame frame;
            try {
                frame = frames.read();
            } catch (ProtocolException e) {
                frameStartedNanos = NONE;
                dispatch(() -> listener.onBadFrame(this, e), frames);
                if (e.framingLost()) {
                    return new Closure(Closure.Kind.PROTOCOL, "unreadable data: " + e.reason());
                }
                continue;
            }
            if (frame == null) {
                String said = lastWord;
                return new Closure(Closure.Kind.PEER_CLOSED, "the other side closed the connection"
                        + (said == null ? "" : " (" + said + ")"));
            }
            frameStartedNanos = NONE;
            lastActivityNanos = System.nanoTime();
            if (completesCall(frame)) {
                markNextFrame(frames);
                continue;
            }
            if (frame.id() == null && frame.isResponse() && frame.verb().equals(ErrorReply.VERB)) {
                lastWord = frame.header(HeaderNames.REASON);
            }
            dispatch(() -> listener.onFrame(this, frame), frames);
        }
        return closure.get();
    }

    /** Runs the listener with the frame clock stopped; its time moves the owner's deadline back. */
    private void dispatch(Runnable handling, FrameReader frames) {
        long started = System.nanoTime();
        dispatchStartedNanos = started;
        try {
            handling.run();
        } finally {
            long now = System.nanoTime();
            long owner = ownerDeadlineNanos;
            if (owner != NONE) {
                ownerDeadlineNanos = owner + (now - started);
            }
            lastActivityNanos = now;
            dispatchStartedNanos = NONE;
            markNextFrame(frames);
        }
    }

    /** When the next frame's first bytes are already here, its deadline runs from now. */
    private void markNextFrame(FrameReader frames) {
        if (frames.buffered() > 0 || input.hasPeeked()) {
            frameStartedNanos = System.nanoTime();
        }
    }

    private boolean completesCall(Frame frame) {
        String id = frame.id();
        if (id == null || !frame.isResponse()) {
            return false;
        }
        CompletableFuture<Frame> waiting = calls.remove(id);
        if (waiting == null) {
            return false; // a late answer, after its caller gave up: the listener may log it
        }
        waiting.complete(frame);
        return true;
    }

    /** Back-pressure: while more than half the bound waits to be written, read nothing more. */
    private void awaitDrain() {
        long half = settings.maxQueuedBytes() / 2;
        if (queuedBytes.get() <= half) {
            return;
        }
        drainLock.lock();
        try {
            while (queuedBytes.get() > half && closure.get() == null) {
                // timed, so that a signal missed between the check and the wait costs 50 ms, not a hang
                drained.await(50, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abort(Closure.local("interrupted"));
        } finally {
            drainLock.unlock();
        }
    }

    private void signalDrained() {
        drainLock.lock();
        try {
            drained.signalAll();
        } finally {
            drainLock.unlock();
        }
    }

    /** Last on the reader thread: makes sure the socket is closed, fails the calls, tells the listener. */
    private void finish(Closure end) {
        Closure mine = end != null ? end : new Closure(Closure.Kind.FAILED, "connection ended");
        if (closure.compareAndSet(null, mine)) {
            closingSinceNanos = System.nanoTime();
            flushThenClose = true;
            wakeWriter();
        }
        Closure why = closure.get();
        Thread last = writer.get();
        boolean flushed = true;
        try {
            flushed = last == null || !handshaken || last.join(settings.closeGrace());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!flushed) {
            LOG.debug("{}: queued frames not written within {}", name, millis(settings.closeGrace()));
        }
        closeSocket(!flushed || !handshaken);
        deadlines.remove(this);
        queue.clear();
        IOException failure = closedException();
        calls.values().forEach(call -> call.completeExceptionally(failure));
        log(why);
        try {
            Listener l = listener;
            if (l != null) {
                l.onClosed(this, why);
            }
        } catch (RuntimeException e) {
            LOG.error("Closing {}: the owner failed", name, e);
        } finally {
            closed.complete(why);
        }
    }

    private void log(Closure why) {
        if (why.kind() == Closure.Kind.INTERNAL) {
            LOG.error("Closed {}: {}", name, why.reason());
        } else if (why.isOtherSidesFault()) {
            LOG.info("Closed {}: {}", name, why.reason());
        } else {
            LOG.debug("Closed {}: {}", name, why.reason());
        }
    }

    private IOException closedException() {
        Closure why = closure.get();
        return new ChannelClosedException(name + " is closed" + (why == null ? "" : ": " + why.reason()), why);
    }

    /** The reason of the last {@code ERROR} without an id the other side sent (why it closed, usually), or null. */
    public String lastWord() {
        return lastWord;
    }

    // ---- the writer ------------------------------------------------------------------------------------------

    private void wakeWriter() {
        if (handshaken && writing.compareAndSet(false, true)) {
            Thread next = Thread.ofVirtual().name(name + "-out").unstarted(this::writeLoop);
            writer.set(next);
            next.start();
        }
    }

    private void writeLoop() {
        try {
            OutputStream out = socket.getOutputStream();
            while (true) {
                EncodedFrame next = queue.poll();
                if (next == null) {
                    if (flushThenClose) {
                        closeSocket(false);
                        return; // stays "writing": no writer starts again on a closed socket
                    }
                    writing.set(false);
                    // a frame queued after the poll found this writer still running: take it, unless another did
                    if ((queue.isEmpty() && !flushThenClose) || !writing.compareAndSet(false, true)) {
                        writer.compareAndSet(Thread.currentThread(), null); // unless a new writer took over
                        return;
                    }
                    continue;
                }
                writeStartedNanos = System.nanoTime();
                next.writeTo(out);
                out.flush();
                long now = System.nanoTime();
                writeStartedNanos = NONE;
                lastActivityNanos = now;
                if (queuedBytes.addAndGet(-next.size()) <= settings.maxQueuedBytes() / 2) {
                    signalDrained();
                }
            }
        } catch (IOException e) {
            writeStartedNanos = NONE;
            abort(new Closure(Closure.Kind.FAILED, "writing failed: " + e.getMessage()));
        }
    }

    private void closeSocket(boolean abortive) {
        try {
            if (abortive && !socket.isClosed()) {
                socket.setSoLinger(true, 0); // no close_notify wait behind a stuck peer
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

    private static String millis(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
    }

    @Override
    public String toString() {
        return "FrameChannel[" + name + "]";
    }

    /**
     * The socket's input as the frame reader sees it: the first byte of a frame starts that frame's deadline, and
     * one byte can be read ahead (to notice a hang-up) and kept for the reader.
     */
    private final class WatchedInput extends InputStream {
        private final InputStream in;
        private int peeked = -1;

        WatchedInput(InputStream in) {
            this.in = in;
        }

        boolean hasPeeked() {
            return peeked >= 0;
        }

        /** The next byte without consuming it; -1 at the end of the stream. */
        int peek() throws IOException {
            if (peeked < 0) {
                peeked = in.read();
            }
            return peeked;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (peeked >= 0) {
                b[off] = (byte) peeked;
                peeked = -1;
                startFrameClock();
                return 1;
            }
            int n = in.read(b, off, len);
            if (n > 0) {
                startFrameClock();
            }
            return n;
        }

        private void startFrameClock() {
            if (frameStartedNanos == NONE) {
                frameStartedNanos = System.nanoTime();
            }
        }
    }
}
