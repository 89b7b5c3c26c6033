package dev.p2pchat.peer.registry;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.security.FingerprintMismatchException;
import dev.p2pchat.transport.ChannelSettings;
import dev.p2pchat.transport.Closure;
import dev.p2pchat.transport.FrameChannel;
import java.io.IOException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TLS connection to the registry, on the shared transport ({@link FrameChannel}). Requests are the channel's
 * id-matched calls; frames without an id are pushes and go to the {@link Handler} on the reader thread (which
 * must not block). Never reconnects by itself: {@link RegistrySession} does that.
 */
public final class RegistryConnection implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryConnection.class);

    /** Called on the connection's reader thread. */
    public interface Handler {
        void onPush(RegistryConnection connection, RegistryPush push);

        /** Exactly once, when the connection ends for any reason (including {@link #close()}). */
        void onClosed(RegistryConnection connection, String reason);
    }

    private final FrameChannel channel;
    /** System.nanoTime() of the last frame read from the registry (or of opening): how long it has been silent. */
    private volatile long lastHeard = System.nanoTime();

    private RegistryConnection(FrameChannel channel) {
        this.channel = channel;
    }

    /**
     * Connects, completes the handshake and checks the registry's certificate before anything is sent.
     *
     * @throws FingerprintMismatchException when the registry is not the one pinned
     */
    public static RegistryConnection open(String host, int port, RegistryTrust trust, Duration timeout,
                                          Handler handler) throws IOException, FingerprintMismatchException {
        FrameChannel channel = FrameChannel.connect(trust.context(), host, port, null, ChannelSettings.of(timeout),
                "registry-reader-" + host + ":" + port);
        try {
            trust.verify(host, port, channel.session());
        } catch (FingerprintMismatchException | RuntimeException e) {
            channel.abort("the registry's certificate was refused");
            throw e;
        }
        RegistryConnection connection = new RegistryConnection(channel);
        channel.start(connection.listener(handler));
        return connection;
    }

    private FrameChannel.Listener listener(Handler handler) {
        return new FrameChannel.Listener() {
            @Override
            public void onFrame(FrameChannel ch, Frame frame) {
                lastHeard = System.nanoTime();
                dispatch(handler, frame);
            }

            @Override
            public void onBadFrame(FrameChannel ch, ProtocolException e) {
                LOG.warn("{} a malformed frame from the registry: {}", e.framingLost() ? "Closing after" : "Ignoring",
                        e.reason());
            }

            @Override
            public void onClosed(FrameChannel ch, Closure closure) {
                handler.onClosed(RegistryConnection.this, describe(closure));
            }
        };
    }

    private String describe(Closure closure) {
        return switch (closure.kind()) {
            case PEER_CLOSED -> "the registry closed the connection"
                    + (channel.lastWord() == null ? "" : " (" + channel.lastWord() + ")");
            case FAILED -> "connection to the registry failed: " + closure.reason();
            case PROTOCOL -> "unreadable data from the registry: " + closure.reason();
            default -> closure.reason();
        };
    }

    /**
     * Sends a request and waits for its reply.
     *
     * @throws SocketTimeoutException when no reply came within {@code timeout}
     * @throws IOException when the connection is or becomes closed
     */
    public RegistryReply call(RegistryRequest request, Duration timeout) throws IOException {
        Frame frame = request.toFrame();
        CompletableFuture<Frame> answer = channel.call(frame);
        Frame reply;
        try {
            reply = answer.get(Math.max(1, timeout.toMillis()), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw new SocketTimeoutException("the registry did not answer " + frame.verb()
                    + " within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            throw new IOException("lost the connection to the registry (" + describe(closureOf(e.getCause())) + ")",
                    e.getCause());
        } catch (InterruptedException e) {
            answer.cancel(false);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for the registry", e);
        }
        try {
            Message message = Messages.decode(reply);
            if (message instanceof RegistryReply registryReply) {
                return registryReply;
            }
            throw new IOException("the registry answered " + frame.verb() + " with " + reply.startLine());
        } catch (ProtocolException e) {
            throw new IOException("unreadable reply from the registry: " + e.reason());
        }
    }

    private Closure closureOf(Throwable failure) {
        if (failure instanceof dev.p2pchat.transport.ChannelClosedException closed && closed.closure() != null) {
            return closed.closure();
        }
        return new Closure(Closure.Kind.FAILED, String.valueOf(failure.getMessage()));
    }

    /** The registry's address as this connection reached it; keep-alives go there. */
    public java.net.InetAddress remoteAddress() {
        return channel.remoteAddress();
    }

    /** How long nothing arrived from the registry on this connection. */
    public Duration silence() {
        return Duration.ofNanos(System.nanoTime() - lastHeard);
    }

    public boolean isOpen() {
        return channel.isOpen();
    }

    @Override
    public void close() {
        close("closed by this peer");
    }

    public void close(String reason) {
        channel.close(reason);
    }

    private void dispatch(Handler handler, Frame frame) {
        Message message;
        try {
            message = Messages.decode(frame);
        } catch (ProtocolException e) {
            LOG.warn("Ignoring an unreadable {} from the registry: {}", frame.verb(), e.reason());
            return;
        }
        if (message instanceof RegistryPush push) {
            handler.onPush(this, push);
        } else if (frame.id() != null && message instanceof RegistryReply) {
            LOG.debug("Reply {} with id {} arrived after its request gave up", frame.verb(), frame.id());
        } else if (frame.id() == null && message instanceof ErrorReply error) {
            LOG.debug("The registry says {}: {}", error.status(), error.reason());
        } else {
            LOG.warn("Ignoring unexpected {} from the registry", frame.startLine());
        }
    }
}
