package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RelayTicket;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import dev.p2pchat.transport.Acceptor;
import dev.p2pchat.transport.ChannelSettings;
import dev.p2pchat.transport.Closure;
import dev.p2pchat.transport.FrameChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
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
    public static final Status FORBIDDEN = Status.FORBIDDEN;
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

    /**
     * Told of every link once its sender is admitted, with this side's handle to send requests back on it (so a
     * peer that cannot be dialled is reached over the link it opened).
     */
    @FunctionalInterface
    public interface AdmittedLinks {
        AdmittedLinks NONE = link -> {
        };

        void admitted(PeerLink link);
    }

    /** One accepted link: its channel, its requests, and (once admitted) this side's handle to send on it. */
    private final class Link {
        final FrameChannel channel;
        final LinkRequests requests;
        /** The relay this link comes through ({@code host:port}), or null for a link dialled to this server. */
        final String relayedVia;
        /** Whether this link came of a hole punch the other side asked for (this side dialled too). */
        final boolean punched;
        volatile PeerLink reverse;

        Link(FrameChannel channel, String relayedVia, boolean punched) {
            this.channel = channel;
            this.relayedVia = relayedVia;
            this.punched = punched;
            this.requests = new LinkRequests(handler, limits.requestBurst(), limits.requestsPerSecond(), clock);
        }

        /** Nothing went either way since {@code sinceMillis} and nothing waits for an answer either way. */
        boolean idleSince(long sinceMillis) {
            PeerLink back = reverse;
            return requests.unanswered() == 0 && requests.lastActivityMillis() <= sinceMillis
                    && (back == null || (back.pendingCalls() == 0 && back.lastActivityMillis() <= sinceMillis));
        }
    }

    private final SSLServerSocket serverSocket;
    /** This server's side of mutual TLS, also for links that come through a relay. */
    private final SSLContext tls;
    private final ChannelSettings channelSettings;
    private final Limits limits;
    private final Clock clock;
    private final Gatekeeper gatekeeper;
    private final RequestHandler handler;
    private final AdmittedLinks admittedLinks;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicInteger admitted = new AtomicInteger();
    private final AtomicInteger refusing = new AtomicInteger();
    private volatile boolean closed;

    private PeerServer(SSLServerSocket serverSocket, SSLContext tls, Duration handshakeTimeout, Limits limits,
                       Clock clock, Gatekeeper gatekeeper, RequestHandler handler, AdmittedLinks admittedLinks) {
        this.tls = tls;
        this.admittedLinks = admittedLinks;
        this.serverSocket = serverSocket;
        // The handshake, each frame and the wait for a link's first request all get the handshake time-out.
        this.channelSettings = ChannelSettings.of(handshakeTimeout).withIdleTimeout(handshakeTimeout);
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
        return start(identity, host, port, handshakeTimeout, limits, clock, gatekeeper, handler, AdmittedLinks.NONE);
    }

    /** As above; {@code admittedLinks} hears of every admitted link, to send requests back on it. */
    public static PeerServer start(Identity identity, String host, int port, Duration handshakeTimeout,
                                   Limits limits, Clock clock, Gatekeeper gatekeeper, RequestHandler handler,
                                   AdmittedLinks admittedLinks) throws IOException {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(admittedLinks, "admittedLinks");
        Objects.requireNonNull(clock, "clock");
        SSLContext tls = Tls.mutual(identity, PinnedCertificateTrust.anyClientCertificate());
        // A shared port: hole punches connect out from it (HolePunch).
        SSLServerSocket socket = Tls.listen(tls, InetAddress.getByName(host), port, true, BACKLOG, true);
        PeerServer server = new PeerServer(socket, tls, handshakeTimeout, limits, clock, gatekeeper, handler,
                admittedLinks);
        Acceptor.start(socket, "peer-server-accept-" + socket.getLocalPort(), server::admit);
        LOG.info("Peer server listening on {}:{}", host, socket.getLocalPort());
        return server;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** The address this server listens on; null when it listens on every address. */
    public InetAddress bindAddress() {
        InetAddress bound = serverSocket.getInetAddress();
        return bound == null || bound.isAnyLocalAddress() ? null : bound;
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
            link.channel.abort("dropped");
        }
    }

    /**
     * Closes every link that carried no frame either way for the idle timeout and has no request waiting for an
     * answer in either direction (a chat request waits for the user however long that takes). The other side reconnects when it needs to.
     * Call it now and then; returns how many links it closed. (A link that has sent no request yet is closed by
     * its channel after the handshake time-out, without waiting for this.)
     */
    public int closeIdleLinks() {
        long idleSince = clock.millis() - limits.idleTimeout().toMillis();
        int closedNow = 0;
        for (Link link : links) {
            if (link.idleSince(idleSince)) {
                LOG.debug("Closing idle link {}", link.channel.name());
                link.channel.close("idle for " + limits.idleTimeout().toSeconds() + " s");
                closedNow++;
            }
        }
        return closedNow;
    }

    /**
     * Stops taking new links and keeps the open ones, as a peer behind a NAT is (tests use it: nobody can dial
     * this peer, but the links it opens work both ways).
     */
    public void stopAccepting() {
        closeQuietly(serverSocket);
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        dropConnections();
    }

    /**
     * The registry pushed {@code RELAY_OFFER}: another peer, who could not reach this one, waits at a relay. Joins it
     * there (within the handshake time-out to connect, and the relay's wait for the other side) and serves the link
     * that peer then opens through it. {@code ticket}'s host is already resolved.
     *
     * @throws IOException when the relay cannot be reached or refuses
     */
    public void acceptViaRelay(RelayTicket ticket) throws IOException {
        serveLayered(RelayJoin.join(ticket, channelSettings.handshakeTimeout()), RelayJoin.address(ticket), false);
    }

    /**
     * The registry pushed {@code PUNCH_NOW}: another peer, who could not reach this one nor be reached by it, dials
     * this peer's listening port at the moment the registry named, and this peer dials it from that port at the same
     * moment ({@link HolePunch}). The connection that forms is served as if it had been dialled to this server: this
     * side runs the TLS server, the other must present the certificate the registry lists for the user it names.
     * {@code startNanos} is when the push arrived ({@link System#nanoTime}).
     *
     * @throws IOException when no connection formed within {@link HolePunch#bound}
     */
    public void acceptPunched(HolePunch.Plan plan, long startNanos) throws IOException {
        if (closed) {
            throw new IOException("this peer is shutting down");
        }
        serveLayered(HolePunch.connect(bindAddress(), port(), plan, startNanos), null, true);
    }

    /**
     * Serves a link that another peer opened on a connection this side made (through a relay: {@code outer} has
     * joined there, and what follows is that peer's TLS; or by a hole punch): this server's side of mutual TLS runs
     * on it, and the link is admitted, limited and served like one dialled to this server. {@code via} names the
     * relay ({@code host:port}), or is null.
     */
    private void serveLayered(Socket outer, String via, boolean punched) throws IOException {
        if (closed) {
            outer.close();
            throw new IOException("this peer is shutting down");
        }
        SSLSocket inner;
        try {
            inner = (SSLSocket) tls.getSocketFactory().createSocket(outer, null, true);
            Tls.restrict(inner);
            inner.setUseClientMode(false);
            inner.setNeedClientAuth(true);
        } catch (IOException | RuntimeException e) {
            outer.close();
            throw e;
        }
        admit(inner, via, punched);
    }

    private void admit(Socket accepted) {
        admit(accepted, null, false);
    }

    /** Serves the link if there is room for it; else tells it FULL (or, under a flood, just closes it). */
    private void admit(Socket accepted, String relayedVia, boolean punched) {
        SSLSocket socket = (SSLSocket) accepted;
        String name = relayedVia != null ? "peer-link-via-relay-" + relayedVia
                : (punched ? "peer-link-punched-from-" : "peer-link-from-") + socket.getRemoteSocketAddress();
        boolean room = admitted.incrementAndGet() <= limits.maxLinks();
        if (!room) {
            admitted.decrementAndGet();
            if (refusing.incrementAndGet() > MAX_REFUSING) {
                refusing.decrementAndGet();
                closeQuietly(socket);
                return;
            }
        }
        AtomicInteger counter = room ? admitted : refusing;
        FrameChannel channel;
        try {
            channel = FrameChannel.accepted(socket, channelSettings, name);
        } catch (IOException e) {
            counter.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        if (closed) {
            counter.decrementAndGet();
            closeQuietly(socket);
            return;
        }
        channel.start(room ? new LinkHandler(new Link(channel, relayedVia, punched)) : new Refusal(counter));
    }

    /** Tells an over-limit link FULL right after its handshake, then closes it. */
    private final class Refusal implements FrameChannel.Listener {
        private final AtomicInteger counter;

        Refusal(AtomicInteger counter) {
            this.counter = counter;
        }

        @Override
        public void onOpen(FrameChannel channel) {
            LOG.info("Refusing a link from {}: {} links are open", channel.remoteAddress(), limits.maxLinks());
            channel.send(new ErrorReply(Status.FULL, "this peer has too many links open; try again later").toFrame());
            channel.close("full");
        }

        @Override
        public void onFrame(FrameChannel channel, Frame frame) {
        }

        @Override
        public void onBadFrame(FrameChannel channel, ProtocolException e) {
        }

        @Override
        public void onClosed(FrameChannel channel, Closure closure) {
            counter.decrementAndGet();
        }
    }

    /**
     * One link's requests: the first names the sender and must pass the {@link Gatekeeper}; every later one must
     * name the same sender. Until the first arrives the channel's idle limit is the handshake time-out, so links
     * that send nothing cannot fill the server.
     */
    private final class LinkHandler implements FrameChannel.Listener {
        private final Link link;
        private String fingerprint;
        private String sender;

        LinkHandler(Link link) {
            this.link = link;
        }

        @Override
        public void onOpen(FrameChannel channel) {
            try {
                fingerprint = Fingerprints.peerFingerprint(channel.session());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                channel.abort("no client certificate");
                return;
            }
            links.add(link);
        }

        @Override
        public void onBadFrame(FrameChannel channel, ProtocolException e) {
            channel.send(ErrorReply.frameFor(e));
            if (e.framingLost()) {
                LOG.info("Dropping link from {}: {}", describe(), e.reason());
            }
        }

        @Override
        public void onFrame(FrameChannel channel, Frame frame) {
            String id = frame.id();
            PeerRequest request = link.requests.decode(channel, frame);
            if (request == null) {
                return;
            }
            if (sender == null) {
                Admission admission = gatekeeper.admit(request.senderUsername(), fingerprint);
                if (admission instanceof Admission.Refused refused) {
                    LOG.info("Refusing link from {} claiming to be {}: {}", channel.remoteAddress(),
                            request.senderUsername(), refused.reason());
                    channel.send(new ErrorReply(refused.status(), refused.reason()).toFrame().withId(id));
                    channel.close("refused");
                    return;
                }
                sender = request.senderUsername();
                channel.idleTimeout(null); // from now on closeIdleLinks() decides, with the chat's own clock
                link.reverse = PeerLink.inbound(channel, new PeerInfo(sender, null,
                        channel.remoteAddress().getHostAddress(), channel.remotePort(), fingerprint), clock,
                        link.relayedVia, link.punched);
                admittedLinks.admitted(link.reverse);
            } else if (!sender.equals(request.senderUsername())) {
                LOG.info("Dropping link from {}: it now claims to be {}", sender, request.senderUsername());
                channel.send(new ErrorReply(FORBIDDEN, "this link belongs to " + sender).toFrame().withId(id));
                channel.close("claimed another sender");
                return;
            }
            link.requests.serve(channel, request, id);
        }

        @Override
        public void onClosed(FrameChannel channel, Closure closure) {
            link.requests.cancelAll();
            links.remove(link);
            admitted.decrementAndGet();
            LOG.debug("Link from {} ended: {}", describe(), closure.reason());
        }

        private String describe() {
            return sender != null ? sender : link.channel.name();
        }
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("Close failed", e);
        }
    }
}
