package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's own server: accepts mutual-TLS links from other peers, one virtual thread each. A link's first
 * request names its sender; the {@link Gatekeeper} must confirm that the certificate the client presented is
 * the one the registry lists for that user, or the link is answered with an error and dropped. Every later
 * request on the link must name the same sender. Requests go to the {@link RequestHandler}; its reply goes
 * back on the same link whenever it is ready (a chat request waits for the user).
 *
 * <p>It must never let one other peer exhaust it: links beyond {@link Limits#maxLinks()} are answered
 * {@code ERROR FULL 503} and closed, each link may send {@link Limits#requestsPerSecond()} requests (bursts of
 * {@link Limits#requestBurst()}) before it is answered {@code ERROR RATE_LIMITED 429}, and
 * {@link #closeIdleLinks()} closes links that have been quiet for {@link Limits#idleTimeout()}.
 */
public final class PeerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerServer.class);
    /** The certificate is not the one the registry lists for the claimed user. */
    public static final Status FORBIDDEN = new Status("FORBIDDEN", 403);
    private static final int BACKLOG = 50;
    /** Over-limit links being told FULL at once; beyond this they are closed without a word. */
    private static final int MAX_REFUSING = 16;

    /**
     * What one peer server allows.
     *
     * @param maxLinks          incoming links open at once
     * @param requestBurst      requests one link may send at once
     * @param requestsPerSecond requests one link may send per second, sustained
     * @param idleTimeout       a link with no traffic and no request in progress for this long is closed
     */
    public record Limits(int maxLinks, int requestBurst, int requestsPerSecond, Duration idleTimeout) {
        public static final Limits DEFAULT = new Limits(256, 200, 100, Duration.ofMinutes(10));

        public Limits {
            if (maxLinks < 1 || requestBurst < 1 || requestsPerSecond < 1) {
                throw new IllegalArgumentException("peer server limits must be positive");
            }
            Objects.requireNonNull(idleTimeout, "idleTimeout");
            if (idleTimeout.isNegative() || idleTimeout.isZero()) {
                throw new IllegalArgumentException("idleTimeout must be positive");
            }
        }
    }

    /** Decides whether a client presenting {@code fingerprint} may speak as {@code username}. */
    @FunctionalInterface
    public interface Gatekeeper {
        Admission admit(String username, String fingerprint);
    }

    public sealed interface Admission {
        record Admitted() implements Admission {
        }

        /** {@code status} 5xx tells the client to try again later; 4xx that it need not. */
        record Refused(Status status, String reason) implements Admission {
            public Refused {
                Objects.requireNonNull(status, "status");
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * Handles one admitted request. The returned future completes with the reply, or is cancelled by the
     * server when the link closes first.
     */
    @FunctionalInterface
    public interface RequestHandler {
        CompletableFuture<PeerReply> handle(PeerRequest request);
    }

    /** One accepted link: its socket, when it last carried a frame, and the requests it is waiting on. */
    private static final class Link {
        final SSLSocket socket;
        final Set<CompletableFuture<PeerReply>> inFlight = ConcurrentHashMap.newKeySet();
        /** Requests handed to the handler and not yet answered; counted before the handler runs. */
        final java.util.concurrent.atomic.AtomicInteger unanswered = new java.util.concurrent.atomic.AtomicInteger();
        volatile long lastActivityMillis;

        Link(SSLSocket socket, long nowMillis) {
            this.socket = socket;
            this.lastActivityMillis = nowMillis;
        }
    }

    private final SSLServerSocket serverSocket;
    private final Duration handshakeTimeout;
    private final Limits limits;
    private final Clock clock;
    private final Gatekeeper gatekeeper;
    private final RequestHandler handler;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refusing = new AtomicInteger();
    private volatile boolean closed;

    private PeerServer(SSLServerSocket serverSocket, Duration handshakeTimeout, Limits limits, Clock clock,
                       Gatekeeper gatekeeper, RequestHandler handler) {
        this.serverSocket = serverSocket;
        this.handshakeTimeout = handshakeTimeout;
        this.limits = limits;
        this.clock = clock;
        this.gatekeeper = gatekeeper;
        this.handler = handler;
    }

    /** With the {@link Limits#DEFAULT default limits} and the system clock. */
    public static PeerServer start(Identity identity, String host, int port, Duration handshakeTimeout,
                                   Gatekeeper gatekeeper, RequestHandler handler) throws IOException {
        return start(identity, host, port, handshakeTimeout, Limits.DEFAULT, Clock.systemUTC(), gatekeeper, handler);
    }

    public static PeerServer start(Identity identity, String host, int port, Duration handshakeTimeout,
                                   Limits limits, Clock clock, Gatekeeper gatekeeper, RequestHandler handler)
            throws IOException {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(clock, "clock");
        SSLServerSocket socket = Tls.listen(Tls.mutual(identity, PinnedCertificateTrust.anyClientCertificate()),
                InetAddress.getByName(host), port, true, BACKLOG);
        PeerServer server = new PeerServer(socket, handshakeTimeout, limits, clock, gatekeeper, handler);
        Thread.ofVirtual().name("peer-server-accept-" + socket.getLocalPort()).start(server::acceptLoop);
        LOG.info("Peer server listening on {}:{}", host, socket.getLocalPort());
        return server;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    public Limits limits() {
        return limits;
    }

    /** Incoming links open now, not counting those being refused. */
    public int linkCount() {
        return links.size();
    }

    /** Drops every accepted link (tests use it to simulate a network break); the server keeps listening. */
    public void dropConnections() {
        for (Link link : links) {
            closeQuietly(link.socket);
        }
    }

    /**
     * Closes every link that carried no frame for the idle timeout and has no request waiting for an answer (a
     * chat request waits for the user however long that takes). The other side reconnects when it needs to.
     * Call it now and then; returns how many links it closed.
     */
    public int closeIdleLinks() {
        long idleSince = clock.millis() - limits.idleTimeout().toMillis();
        int closedNow = 0;
        for (Link link : links) {
            if (link.unanswered.get() == 0 && link.lastActivityMillis <= idleSince) {
                LOG.debug("Closing idle link from {}", link.socket.getRemoteSocketAddress());
                closeQuietly(link.socket);
                closedNow++;
            }
        }
        return closedNow;
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        dropConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SSLSocket socket = (SSLSocket) serverSocket.accept();
                admit(socket);
            } catch (SocketException e) {
                if (!closed) {
                    LOG.warn("Peer server stopped accepting: {}", e.toString());
                }
                return;
            } catch (IOException e) {
                LOG.debug("Accept failed", e);
            }
        }
    }

    /** Serves the link if there is room for it; else tells it FULL (or, under a flood, just closes it). */
    private void admit(SSLSocket socket) {
        String name = "peer-link-from-" + socket.getRemoteSocketAddress();
        if (admitted.incrementAndGet() <= limits.maxLinks()) {
            Thread.ofVirtual().name(name).start(() -> {
                try {
                    serve(socket);
                } finally {
                    admitted.decrementAndGet();
                }
            });
            return;
        }
        admitted.decrementAndGet();
        if (refusing.incrementAndGet() > MAX_REFUSING) {
            refusing.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        Thread.ofVirtual().name(name).start(() -> {
            try {
                refuse(socket);
            } finally {
                refusing.decrementAndGet();
            }
        });
    }

    private void refuse(SSLSocket socket) {
        try {
            Tls.handshake(socket, handshakeTimeout);
            LOG.info("Refusing a link from {}: {} links are open", socket.getRemoteSocketAddress(), limits.maxLinks());
            write(socket.getOutputStream(), new ErrorReply(Status.FULL, "this peer has too many links open; try again later")
                    .toFrame());
        } catch (IOException e) {
            LOG.debug("Refusing a link from {}: {}", socket.getRemoteSocketAddress(), e.toString());
        } finally {
            closeQuietly(socket);
        }
    }

    /** One link's whole life: handshake, admission, request loop; one finally releases everything. */
    private void serve(SSLSocket socket) {
        Link link = new Link(socket, clock.millis());
        links.add(link);
        Set<CompletableFuture<PeerReply>> inFlight = link.inFlight;
        RequestRate rate = new RequestRate(limits.requestBurst(), limits.requestsPerSecond(), clock);
        String sender = null;
        try {
            if (closed) {
                return;
            }
            Tls.handshake(socket, handshakeTimeout);
            socket.setTcpNoDelay(true);
            String fingerprint = Fingerprints.peerFingerprint(socket.getSession());
            OutputStream out = socket.getOutputStream();
            FrameReader reader = new FrameReader(socket.getInputStream());
            while (true) {
                Frame frame;
                try {
                    frame = reader.read();
                } catch (ProtocolException e) {
                    write(out, ErrorReply.of(e).toFrame());
                    if (e.framingLost()) {
                        LOG.info("Dropping link from {}: {}", describe(socket, sender), e.reason());
                        return;
                    }
                    continue;
                }
                if (frame == null) {
                    return;
                }
                link.lastActivityMillis = clock.millis();
                String id = frame.id();
                if (!rate.tryTake()) {
                    write(out, new ErrorReply(Status.RATE_LIMITED, "too many requests; slow down").toFrame()
                            .withId(id));
                    continue;
                }
                PeerRequest request;
                try {
                    Message message = Messages.decode(frame);
                    if (!(message instanceof PeerRequest r)) {
                        write(out, new ErrorReply(Status.BAD_REQUEST, frame.verb() + " is not a peer request")
                                .toFrame().withId(id));
                        continue;
                    }
                    request = r;
                } catch (ProtocolException e) {
                    write(out, ErrorReply.of(e).toFrame().withId(id));
                    continue;
                }
                if (sender == null) {
                    Admission admission = gatekeeper.admit(request.senderUsername(), fingerprint);
                    if (admission instanceof Admission.Refused refused) {
                        LOG.info("Refusing link from {} claiming to be {}: {}", socket.getRemoteSocketAddress(),
                                request.senderUsername(), refused.reason());
                        write(out, new ErrorReply(refused.status(), refused.reason()).toFrame().withId(id));
                        return;
                    }
                    sender = request.senderUsername();
                } else if (!sender.equals(request.senderUsername())) {
                    LOG.info("Dropping link from {}: it now claims to be {}", sender, request.senderUsername());
                    write(out, new ErrorReply(FORBIDDEN, "this link belongs to " + sender).toFrame().withId(id));
                    return;
                }
                link.unanswered.incrementAndGet();
                CompletableFuture<PeerReply> reply = handler.handle(request);
                inFlight.add(reply);
                reply.whenComplete((r, e) -> {
                    link.lastActivityMillis = clock.millis(); // before it stops counting as in flight
                    inFlight.remove(reply);
                    link.unanswered.decrementAndGet();
                    Frame answer = r != null ? r.toFrame()
                            : e instanceof java.util.concurrent.CancellationException ? null
                            : new ErrorReply(Status.SERVER_ERROR, "internal error").toFrame();
                    if (e != null && answer != null) {
                        LOG.error("Handling {} failed", request.getClass().getSimpleName(), e);
                    }
                    if (answer != null) {
                        try {
                            write(out, answer.withId(id));
                        } catch (IOException io) {
                            LOG.debug("Could not answer {}: {}", describe(socket, request.senderUsername()), io.toString());
                        }
                    }
                });
            }
        } catch (IOException e) {
            LOG.debug("Link from {} ended: {}", describe(socket, sender), e.toString());
        } catch (RuntimeException e) {
            LOG.error("Link from {} failed", describe(socket, sender), e);
        } finally {
            inFlight.forEach(f -> f.cancel(false));
            links.remove(link);
            closeQuietly(socket);
        }
    }

    private static void write(OutputStream out, Frame frame) throws IOException {
        byte[] bytes = FrameWriter.encode(frame);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private static String describe(SSLSocket socket, String sender) {
        return sender != null ? sender : String.valueOf(socket.getRemoteSocketAddress());
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("Close failed", e);
        }
    }
}
