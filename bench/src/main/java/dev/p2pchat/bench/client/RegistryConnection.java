package dev.p2pchat.bench.client;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.HeaderNames;
import dev.p2pchat.security.Tls;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The lightest client of the registry that still speaks the real protocol: one TLS socket, the protocol's own
 * {@link FrameReader} and {@link FrameWriter}, one request in flight at a time. A virtual thread reads all the
 * time, so pushes (ROOM_MEMBER_JOINED, USER_LOGOUT...) never pile up in the socket and make the registry think
 * the client is slow; they are only counted. The connection ends when the registry closes it, and
 * {@link #closed()} completes then, which is how the reconnect scenario notices a registry crash.
 */
public final class RegistryConnection implements Closeable {
    private static final AtomicLong PUSHES = new AtomicLong();

    private final SSLSocket socket;
    private final FrameReader reader;
    private final OutputStream out;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private volatile CompletableFuture<Frame> pending;
    private volatile String pendingId;
    private long nextId;

    private RegistryConnection(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.reader = new FrameReader(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects, completes the TLS handshake and starts reading. */
    public static RegistryConnection open(SSLContext tls, String host, int port, Duration connectTimeout)
            throws IOException {
        return open(tls, host, port, connectTimeout, null);
    }

    /**
     * Like {@link #open(SSLContext, String, int, Duration)}, from the local address {@code source} (null: any).
     * The registry limits some things per client IP (new accounts, failed logins); a load of thousands of users
     * all from 127.0.0.1 would hit those limits at once, where real users come from many addresses. Linux
     * answers for all of 127.0.0.0/8 on loopback, so each group of sessions gets its own 127.x.y.z.
     */
    public static RegistryConnection open(SSLContext tls, String host, int port, Duration connectTimeout,
            InetAddress source) throws IOException {
        SSLSocket socket = source == null ? Tls.connect(tls, host, port, connectTimeout)
                : connectFrom(tls, host, port, connectTimeout, source);
        try {
            socket.setTcpNoDelay(true);
            RegistryConnection connection = new RegistryConnection(socket);
            Thread.ofVirtual().name("bench-reader").start(connection::readLoop);
            return connection;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** {@link Tls#connect}, with the plain socket bound to {@code source} first. */
    private static SSLSocket connectFrom(SSLContext tls, String host, int port, Duration timeout, InetAddress source)
            throws IOException {
        Socket plain = new Socket();
        try {
            plain.bind(new InetSocketAddress(source, 0));
            plain.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, host, port, true);
            Tls.restrict(socket);
            socket.setUseClientMode(true);
            Tls.handshake(socket, timeout);
            return socket;
        } catch (IOException | RuntimeException e) {
            plain.close();
            throw e;
        }
    }

    /** Pushes received by every connection of this process so far. */
    public static long pushesSeen() {
        return PUSHES.get();
    }

    /**
     * Sends {@code request} with a fresh id and waits up to {@code timeout} for the response carrying it.
     *
     * @throws TimeoutException when no answer came in time (the connection stays usable)
     * @throws IOException when the connection failed or the registry closed it
     */
    public Frame call(Frame request, Duration timeout) throws IOException, TimeoutException {
        String id = Long.toString(++nextId);
        CompletableFuture<Frame> answer = new CompletableFuture<>();
        pendingId = id;
        pending = answer;
        if (closed.isDone()) {
            throw new EOFException("connection closed");
        }
        FrameWriter.write(request.withId(id), out);
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pending = null;
        }
    }

    private void readLoop() {
        IOException failure = null;
        try {
            while (true) {
                Frame frame = reader.read();
                if (frame == null) {
                    failure = new EOFException("registry closed the connection");
                    return;
                }
                if (!frame.isResponse()) {
                    PUSHES.incrementAndGet();
                    continue;
                }
                CompletableFuture<Frame> waiting = pending;
                String id = frame.header(HeaderNames.ID);
                if (waiting != null && (id == null || id.equals(pendingId))) {
                    waiting.complete(frame);
                }
            }
        } catch (IOException e) {
            failure = e;
        } catch (dev.p2pchat.protocol.ProtocolException e) {
            failure = new IOException("protocol error from registry: " + e.getMessage(), e);
        } finally {
            CompletableFuture<Frame> waiting = pending;
            if (waiting != null) {
                waiting.completeExceptionally(failure != null ? failure : new EOFException("closed"));
            }
            closed.complete(null);
            close();
        }
    }

    /** Completes when the connection has ended, for whatever reason. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing a socket that already failed: nothing left to release
        }
    }
}
