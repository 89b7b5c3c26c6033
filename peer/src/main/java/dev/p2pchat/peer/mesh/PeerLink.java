package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.transport.ChannelClosedException;
import dev.p2pchat.transport.ChannelSettings;
import dev.p2pchat.transport.Closure;
import dev.p2pchat.transport.FrameChannel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's outgoing mutual-TLS link to another peer's server, on the shared transport ({@link FrameChannel}):
 * requests are the channel's id-matched calls. The TLS handshake has already checked that the other side holds
 * the certificate the registry lists for it.
 */
public final class PeerLink implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLink.class);

    private final PeerInfo target;
    private final FrameChannel channel;
    private final Clock clock;
    private volatile long lastActivityMillis;
    /** Makes "register a request" and "close because idle" exclusive. */
    private final Object idleLock = new Object();

    private PeerLink(PeerInfo target, FrameChannel channel, Clock clock) {
        this.target = target;
        this.channel = channel;
        this.clock = clock;
        this.lastActivityMillis = clock.millis();
    }

    static PeerLink open(SSLContext context, PeerInfo target, Duration timeout, Clock clock) throws IOException {
        FrameChannel channel = FrameChannel.connect(context, target.ip(), target.port(), null,
                ChannelSettings.of(timeout), "link-to-" + target.username());
        PeerLink link = new PeerLink(target, channel, clock);
        channel.start(link.listener());
        LOG.debug("Link to {} at {}:{} open", target.username(), target.ip(), target.port());
        return link;
    }

    private FrameChannel.Listener listener() {
        return new FrameChannel.Listener() {
            @Override
            public void onFrame(FrameChannel ch, Frame frame) {
                lastActivityMillis = clock.millis();
                LOG.debug("Unexpected {} from {} (id {})", frame.startLine(), target.username(), frame.id());
            }

            @Override
            public void onBadFrame(FrameChannel ch, ProtocolException e) {
                LOG.info("{} a malformed frame from {}: {}", e.framingLost() ? "Closing after" : "Ignoring",
                        target.username(), e.reason());
            }
        };
    }

    public PeerInfo target() {
        return target;
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    /**
     * Closes the link if nothing was sent or received since {@code sinceMillis} and no request awaits its answer.
     * Atomic with {@link #send}: a request is either registered first (and the link stays) or refused before
     * anything is written. True when it closed the link.
     */
    boolean closeIfIdle(long sinceMillis, String reason) {
        synchronized (idleLock) {
            if (!channel.isOpen() || channel.pendingCalls() > 0 || lastActivityMillis > sinceMillis) {
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
}
