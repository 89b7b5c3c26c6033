package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.HeaderNames;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's outgoing mutual-TLS link to another peer's server: it sends requests and matches the replies
 * that come back on the same link by {@code id}. The TLS handshake has already checked that the other side
 * holds the certificate the registry lists for it.
 */
public final class PeerLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

    private final PeerInfo target;
    private final SSLSocket socket;
    private final OutputStream out;
    private final Clock clock;
    private final Map<String, CompletableFuture<PeerReply>> pending = new ConcurrentHashMap<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile String closeReason = "closed";
    /** The reason of the last ERROR the other peer sent without an id: why it is about to close, usually. */
    private volatile String lastWord;
    private volatile long lastActivityMillis;
    /** Makes "register a request" and "close because idle" exclusive. */
    private final Object idleLock = new Object();

    private PeerLink(PeerInfo target, SSLSocket socket, Clock clock) throws IOException {
        this.target = target;
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.clock = clock;
        this.lastActivityMillis = clock.millis();
    }

    static PeerLink open(SSLContext context, PeerInfo target, Duration timeout, Clock clock) throws IOException {
        SSLSocket socket = Tls.connect(context, target.ip(), target.port(), timeout);
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            PeerLink link = new PeerLink(target, socket, clock);
            Thread.ofVirtual().name("link-to-" + target.username()).start(link::readLoop);
            LOG.debug("Link to {} at {}:{} open", target.username(), target.ip(), target.port());
            return link;
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    public PeerInfo target() {
        return target;
    }

    public boolean isOpen() {
        return !closed.get();
    }

    /**
     * Closes the link if nothing was sent or received since {@code sinceMillis} and no request awaits its answer.
     * Atomic with {@link #send}: a request is either registered first (and the link stays) or refused before
     * anything is written. True when it closed the link.
     */
    boolean closeIfIdle(long sinceMillis, String reason) {
        synchronized (idleLock) {
            if (closed.get() || !pending.isEmpty() || lastActivityMillis > sinceMillis) {
                return false;
            }
            close(reason);
            return true;
        }
    }

    /**
     * Writes the request (tagged with {@code id}) and returns its reply to come. The future fails with an
     * IOException when the link closes first; it has no timeout of its own.
     *
     * @throws IOException when the link is closed or the write fails (the link is then closed)
     */
    public CompletableFuture<PeerReply> send(PeerRequest request, String id) throws IOException {
        CompletableFuture<PeerReply> reply = new CompletableFuture<>();
        synchronized (idleLock) {
            if (pending.putIfAbsent(id, reply) != null) {
                throw new IllegalStateException("request " + id + " is already in flight on this link");
            }
            lastActivityMillis = clock.millis();
        }
        if (closed.get()) {
            pending.remove(id);
            throw new IOException("link to " + target.username() + " is closed (" + closeReason + ")");
        }
        Frame frame = request.toFrame().withId(id);
        try {
            byte[] bytes = FrameWriter.encode(frame);
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            pending.remove(id);
            close("write failed: " + e.getMessage());
            throw e;
        }
        reply.whenComplete((r, e) -> pending.remove(id, reply));
        return reply;
    }

    @Override
    public void close() {
        close("closed by this peer");
    }

    void close(String reason) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeReason = reason;
        try {
            socket.close();
        } catch (IOException e) {
            LOG.debug("Closing link to {} failed", target.username(), e);
        }
        IOException failure = new IOException("link to " + target.username() + " closed: " + reason);
        pending.values().forEach(f -> f.completeExceptionally(failure));
    }

    private void readLoop() {
        String reason = target.username() + " closed the link";
        try {
            FrameReader reader = new FrameReader(socket.getInputStream());
            while (!closed.get()) {
                Frame frame;
                try {
                    frame = reader.read();
                } catch (ProtocolException e) {
                    if (e.framingLost()) {
                        reason = "unreadable data: " + e.reason();
                        break;
                    }
                    LOG.info("Ignoring a malformed frame from {}: {}", target.username(), e.reason());
                    continue;
                }
                if (frame == null) {
                    String said = lastWord;
                    reason = said == null ? reason : reason + " (" + said + ")";
                    break;
                }
                lastActivityMillis = clock.millis();
                dispatch(frame);
            }
        } catch (IOException e) {
            reason = closed.get() ? closeReason : "link to " + target.username() + " failed: " + e.getMessage();
        } catch (RuntimeException e) {
            reason = "internal error: " + e;
            LOG.error("Link reader for {} failed", target.username(), e);
        } finally {
            close(reason);
        }
    }

    private void dispatch(Frame frame) {
        String id = frame.id();
        CompletableFuture<PeerReply> waiting = id == null ? null : pending.get(id);
        if (waiting == null) {
            if (id == null && frame.verb().equals(ErrorReply.VERB) && frame.isResponse()) {
                lastWord = frame.header(HeaderNames.REASON);
            }
            LOG.debug("Unexpected {} from {} (id {})", frame.startLine(), target.username(), id);
            return;
        }
        try {
            Message message = Messages.decode(frame);
            if (message instanceof PeerReply reply) {
                waiting.complete(reply);
            } else {
                waiting.completeExceptionally(new IOException("unexpected " + frame.verb() + " from "
                        + target.username()));
            }
        } catch (ProtocolException e) {
            waiting.completeExceptionally(new IOException("unreadable reply from " + target.username() + ": "
                    + e.reason()));
        }
    }
}
