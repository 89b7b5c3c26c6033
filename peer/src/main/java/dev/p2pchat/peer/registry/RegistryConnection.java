package dev.p2pchat.peer.registry;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.security.FingerprintMismatchException;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TLS connection to the registry. Requests carry an {@code id} and wait for the reply echoing it;
 * frames without an id are pushes and go to the {@link Handler} on the reader thread (which must not block).
 * Never reconnects by itself: {@link RegistrySession} does that.
 */
public final class RegistryConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryConnection.class);

    /** Called on the connection's reader thread. */
    public interface Handler {
        void onPush(RegistryConnection connection, RegistryPush push);

        /** Exactly once, when the connection ends for any reason (including {@link #close()}). */
        void onClosed(RegistryConnection connection, String reason);
    }

    private final SSLSocket socket;
    private final OutputStream out;
    private final Handler handler;
    private final Map<String, CompletableFuture<RegistryReply>> pending = new ConcurrentHashMap<>();
    private final AtomicLong nextId = new AtomicLong(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String closeReason = "connection closed";
    /** The reason of the last ERROR the registry sent without an id: why it is about to close, usually. */
    private volatile String lastWord;

    private RegistryConnection(SSLSocket socket, Handler handler) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.handler = handler;
    }

    /**
     * Connects, completes the handshake and checks the registry's certificate before anything is sent.
     *
     * @throws FingerprintMismatchException when the registry is not the one pinned
     */
    public static RegistryConnection open(String host, int port, RegistryTrust trust, Duration timeout,
                                          Handler handler) throws IOException, FingerprintMismatchException {
        SSLSocket socket = Tls.connect(trust.context(), host, port, timeout);
        try {
            trust.verify(host, port, socket.getSession());
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            RegistryConnection connection = new RegistryConnection(socket, handler);
            Thread.ofVirtual().name("registry-reader-" + host + ":" + port).start(connection::readLoop);
            return connection;
        } catch (IOException | FingerprintMismatchException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws SocketTimeoutException when no reply came within {@code timeout}
     * @throws IOException when the connection is or becomes closed
     */
    public RegistryReply call(RegistryRequest request, Duration timeout) throws IOException {
        String id = "r" + nextId.getAndIncrement();
        CompletableFuture<RegistryReply> reply = new CompletableFuture<>();
        pending.put(id, reply);
        try {
            if (closed.get()) {
                throw new IOException(closeReason);
            }
            byte[] bytes = FrameWriter.encode(request.toFrame().withId(id));
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
            return reply.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new SocketTimeoutException("the registry did not answer " + request.toFrame().verb()
                    + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            throw cause instanceof IOException io ? io : new IOException(cause);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the registry", e);
        } catch (IOException e) {
            close("write failed: " + e.getMessage());
            throw e;
        } finally {
            pending.remove(id);
        }
    }

    /** The registry's address as this connection reached it; keep-alives go there. */
    public java.net.InetAddress remoteAddress() {
        return socket.getInetAddress();
    }

    public boolean isOpen() {
        return !closed.get();
    }

    @Override
    public void close() {
        close("closed by this peer");
    }

    public void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing the registry socket failed", e);
        }
        IOException failure = new IOException("lost the connection to the registry (" + reason + ")");
        pending.values().forEach(f -> f.completeExceptionally(failure));
        handler.onClosed(this, reason);
    }

    private void readLoop() {
        String reason = "the registry closed the connection";
        try {
            FrameReader reader = new FrameReader(socket.getInputStream());
            while (!closed.get()) {
                Frame frame;
                try {
                    frame = reader.read();
                } catch (ProtocolException e) {
                    if (e.framingLost()) {
                        reason = "unreadable data from the registry: " + e.reason();
                        LOG.warn("Registry sent {}; closing the connection", e.reason());
                        break;
                    }
                    LOG.warn("Ignoring a malformed frame from the registry: {}", e.reason());
                    continue;
                }
                if (frame == null) {
                    String said = lastWord;
                    reason = said == null ? reason : reason + " (" + said + ")";
                    break;
                }
                dispatch(frame);
            }
        } catch (IOException e) {
            reason = closed.get() ? closeReason : "connection to the registry failed: " + e.getMessage();
            LOG.debug("Registry connection ended", e);
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
            LOG.error("Registry reader failed", e);
        } finally {
            close(reason);
        }
    }

    private void dispatch(Frame frame) {
        Message message;
        try {
            message = Messages.decode(frame);
        } catch (ProtocolException e) {
            LOG.warn("Ignoring an unreadable {} from the registry: {}", frame.verb(), e.reason());
            CompletableFuture<RegistryReply> waiting = frame.id() == null ? null : pending.get(frame.id());
            if (waiting != null) {
                waiting.completeExceptionally(new IOException("unreadable reply from the registry: " + e.reason()));
            }
            return;
        }
        String id = frame.id();
        if (id != null && message instanceof RegistryReply reply) {
            CompletableFuture<RegistryReply> waiting = pending.get(id);
            if (waiting == null) {
                LOG.debug("Reply {} with id {} arrived after its request gave up", frame.verb(), id);
            } else {
                waiting.complete(reply);
            }
        } else if (message instanceof RegistryPush push) {
            handler.onPush(this, push);
        } else if (id == null && message instanceof ErrorReply error) {
            LOG.debug("The registry says {}: {}", error.status(), error.reason());
            lastWord = error.reason();
        } else {
            LOG.warn("Ignoring unexpected {} from the registry", frame.startLine());
        }
    }
}
