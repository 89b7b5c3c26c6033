package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.transport.FrameChannel;
import java.time.Clock;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests the other side sends on one link, whichever side opened it: rate-capped, decoded, checked to come
 * from the link's one sender, handed to the {@link PeerServer.RequestHandler}, and answered on the same link
 * whenever the reply is ready. Tracks the requests still waiting for an answer, so that nobody closes the link
 * as idle while, say, a chat request waits for the user. Called on the link's reader thread.
 */
final class LinkRequests {
    private static final Logger LOG = LoggerFactory.getLogger(LinkRequests.class);

    private final PeerServer.RequestHandler handler;
    private final RequestRate rate;
    private final Clock clock;
    private final Set<CompletableFuture<PeerReply>> inFlight = ConcurrentHashMap.newKeySet();
    /** Requests handed to the handler and not yet answered; counted before the handler runs. */
    private final AtomicInteger unanswered = new AtomicInteger();
    private volatile long lastActivityMillis;

    LinkRequests(PeerServer.RequestHandler handler, int burst, int perSecond, Clock clock) {
        this.handler = handler;
        this.rate = new RequestRate(burst, perSecond, clock);
        this.clock = clock;
        this.lastActivityMillis = clock.millis();
    }

    /** The request in {@code frame}, or null once it has been answered with an error here. */
    PeerRequest decode(FrameChannel channel, Frame frame) {
        lastActivityMillis = clock.millis();
        String id = frame.id();
        if (frame.isResponse()) {
            // A late answer to one of this side's calls (its caller gave up): nothing to answer.
            LOG.debug("Late {} on {} (id {})", frame.startLine(), channel.name(), id);
            return null;
        }
        // File chunks are paced by the receiver's window (at most Limits.MAX_FILE_WINDOW unanswered), not by the
        // request rate: counting them would leave a chat message on the same link RATE_LIMITED behind a file.
        if (!PeerRequest.FileRequest.Chunk.VERB.equals(frame.verb()) && !rate.tryTake()) {
            channel.send(new ErrorReply(Status.RATE_LIMITED, "too many requests; slow down").toFrame().withId(id));
            return null;
        }
        try {
            Message message = Messages.decode(frame);
            if (message instanceof PeerRequest request) {
                return request;
            }
            channel.send(new ErrorReply(Status.BAD_REQUEST, frame.verb() + " is not a peer request")
                    .toFrame().withId(id));
        } catch (ProtocolException e) {
            channel.send(ErrorReply.frameFor(e.withId(id)));
        }
        return null;
    }

    /** Hands an admitted request to the handler; its reply goes back with the request's id. */
    void serve(FrameChannel channel, PeerRequest request, String id) {
        unanswered.incrementAndGet();
        CompletableFuture<PeerReply> reply = handler.handle(request);
        inFlight.add(reply);
        reply.whenComplete((r, e) -> {
            lastActivityMillis = clock.millis(); // before it stops counting as in flight
            inFlight.remove(reply);
            unanswered.decrementAndGet();
            Frame answer = r != null ? r.toFrame()
                    : e instanceof CancellationException ? null
                    : new ErrorReply(Status.SERVER_ERROR, "internal error").toFrame();
            if (e != null && answer != null) {
                LOG.error("Handling {} failed", request.getClass().getSimpleName(), e);
            }
            if (answer != null) {
                channel.send(answer.withId(id));
            }
        });
    }

    /** Requests the handler has not answered yet. */
    int unanswered() {
        return unanswered.get();
    }

    /** When the other side last sent something or a reply of ours last went out. */
    long lastActivityMillis() {
        return lastActivityMillis;
    }

    /** The link closed: nobody will read the answers. */
    void cancelAll() {
        inFlight.forEach(f -> f.cancel(false));
    }
}
