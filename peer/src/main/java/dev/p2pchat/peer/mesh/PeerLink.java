package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.transport.ChannelClosedException;
import dev.p2pchat.transport.Closure;
import dev.p2pchat.transport.FrameChannel;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mutual-TLS link to another peer, on the shared transport ({@link FrameChannel}), usable by both sides: this
 * side's requests are the channel's id-matched calls, and the other side's requests are served on the same link.
 * So a peer that cannot be dialled (behind a NAT) is still reached over the link it opened itself.
 *
 * <p>An <em>outgoing</em> link was opened by this peer: the TLS handshake has already checked that the other
 * side holds the certificate the registry lists for it, so every request it sends back must name that user. An
 * <em>inbound</em> link was accepted by this peer's {@link PeerServer}, which admitted its sender (and serves its
 * requests and decides when it is idle); this object only lets this side send on it.
 */
public final class PeerLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

    private final PeerInfo target;
    private final FrameChannel channel;
    private final Clock clock;
    /** The other side's requests on an outgoing link; null on an inbound one (its server serves them). */
    private final LinkRequests requests;
    /** The relay this link goes through ({@code host:port}), or null when it is direct. */
    private final String relayedVia;
    /** Whether this link came of a hole punch (both sides dialled at once). */
    private final boolean punched;
    private volatile long lastActivityMillis;
    /** Makes "register a request" and "close because idle" exclusive. */
    private final Object idleLock = new Object();

    private PeerLink(PeerInfo target, FrameChannel channel, Clock clock, LinkRequests requests, String relayedVia,
                     boolean punched) {
        this.relayedVia = relayedVia;
        this.punched = punched;
        this.target = target;
        this.channel = channel;
        this.clock = clock;
        this.requests = requests;
        this.lastActivityMillis = clock.millis();
    }

    /** An outgoing link whose channel completed mutual TLS with {@code target}'s certificate: starts it. */
    static PeerLink started(FrameChannel channel, PeerInfo target, Clock clock, PeerServer.RequestHandler handler,
                            PeerServer.Limits limits) {
        return started(channel, target, clock, handler, limits, null);
    }

    /** As above, for a link through the relay at {@code relayedVia} (null: direct). */
    static PeerLink started(FrameChannel channel, PeerInfo target, Clock clock, PeerServer.RequestHandler handler,
                            PeerServer.Limits limits, String relayedVia) {
        PeerLink link = new PeerLink(target, channel, clock,
                new LinkRequests(handler, limits.requestBurst(), limits.requestsPerSecond(), clock), relayedVia,
                false);
        channel.start(link.listener());
        LOG.debug("Link to {} at {}:{} open", target.username(), target.ip(), target.port());
        return link;
    }

    /**
     * This side's handle on a link {@link PeerServer} accepted and admitted as {@code who} (its address is where
     * the link came from): lets this peer send requests back on it.
     */
    static PeerLink inbound(FrameChannel channel, PeerInfo who, Clock clock, String relayedVia, boolean punched) {
        return new PeerLink(who, channel, clock, null, relayedVia, punched);
    }

    /** Whether this link came of a hole punch the other side asked for (this side served its TLS). */
    public boolean punched() {
        return punched;
    }

    /** The relay this link goes through ({@code host:port}), or null when it is direct. */
    public String relayedVia() {
        return relayedVia;
    }

    private FrameChannel.Listener listener() {
        return new FrameChannel.Listener() {
            @Override
            public void onFrame(FrameChannel ch, Frame frame) {
                lastActivityMillis = clock.millis();
                PeerRequest request = requests.decode(ch, frame);
                if (request == null) {
                    return;
                }
                if (!request.senderUsername().equals(target.username())) {
                    // The handshake proved this is target's peer; it may speak only as target.
                    LOG.info("Closing the link to {}: it sent a request as {}", target.username(),
                            request.senderUsername());
                    ch.send(new ErrorReply(PeerServer.FORBIDDEN, "this link belongs to " + target.username())
                            .toFrame().withId(frame.id()));
                    ch.close("claimed another sender");
                    return;
                }
                requests.serve(ch, request, frame.id());
            }

            @Override
            public void onBadFrame(FrameChannel ch, ProtocolException e) {
                ch.send(ErrorReply.frameFor(e));
                LOG.info("{} a malformed frame from {}: {}", e.framingLost() ? "Closing after" : "Ignoring",
                        target.username(), e.reason());
            }

            @Override
            public void onClosed(FrameChannel ch, Closure closure) {
                requests.cancelAll();
            }
        };
    }

    public PeerInfo target() {
        return target;
    }

    /** True when the other side opened this link (and this peer's server owns it). */
    public boolean isInbound() {
        return requests == null;
    }

    /** When this side last sent a request on the link or had an answer. */
    long lastActivityMillis() {
        return lastActivityMillis;
    }

    /** This side's requests still waiting for their answer. */
    int pendingCalls() {
        return channel.pendingCalls();
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the link if nothing was sent or received since {@code sinceMillis} and no request awaits its answer.
     * Atomic with {@link #send}: a request is either registered first (and the link stays) or refused before
     * anything is written. True when it closed the link. Never closes an inbound link: its server decides.
     */
    boolean closeIfIdle(long sinceMillis, String reason) {
        synchronized (idleLock) {
            if (requests == null || !channel.isOpen() || channel.pendingCalls() > 0 || lastActivityMillis > sinceMillis
                    || requests.unanswered() > 0 || requests.lastActivityMillis() > sinceMillis) {
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
     * @throws IOException when the link is closed
     */
    public CompletableFuture<PeerReply> send(PeerRequest request, String id) throws IOException {
        CompletableFuture<Frame> answer;
        synchronized (idleLock) {
            if (!channel.isOpen()) {
                throw new IOException("link to " + target.username() + " is closed (" + reason(null) + ")");
            }
            lastActivityMillis = clock.millis();
            answer = channel.call(request.toFrame().withId(id));
        }
        return answer.handle((frame, failure) -> {
            lastActivityMillis = clock.millis();
            if (failure != null) {
                throw new CompletionException(new IOException("link to " + target.username() + " closed: "
                        + reason(failure)));
            }
            try {
                Message message = Messages.decode(frame);
                if (message instanceof PeerReply reply) {
                    return reply;
                }
                throw new CompletionException(new IOException("unexpected " + frame.verb() + " from "
                        + target.username()));
            } catch (ProtocolException e) {
                throw new CompletionException(new IOException("unreadable reply from " + target.username() + ": "
                        + e.reason()));
            }
        });
    }

    /** Why the link closed, in the words the user sees. */
    private String reason(Throwable failure) {
        Closure closure = failure instanceof ChannelClosedException closed ? closed.closure()
                : channel.closed().getNow(null);
        if (closure == null) {
            return failure == null ? "closed" : String.valueOf(failure.getMessage());
        }
        return switch (closure.kind()) {
            case PEER_CLOSED -> target.username() + " closed the link"
                    + (channel.lastWord() == null ? "" : " (" + channel.lastWord() + ")");
            case FAILED -> "link to " + target.username() + " failed: " + closure.reason();
            default -> closure.reason();
        };
    }

    @Override
    public void close() {
        close("closed by this peer");
    }

    void close(String reason) {
        channel.close(reason);
    }

    /** Resets the connection: what the kernel still holds unsent is discarded, never delivered late. */
    void abort(String reason) {
        channel.abort(reason);
    }
}
