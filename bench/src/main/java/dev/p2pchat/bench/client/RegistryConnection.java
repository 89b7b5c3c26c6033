package dev.p2pchat.bench.client;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.transport.ChannelSettings;
import dev.p2pchat.transport.Closure;
import dev.p2pchat.transport.FrameChannel;
import java.io.Closeable;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;

/**
 * The lightest client of the registry that still speaks the real protocol, on the same transport as the peer
 * ({@link FrameChannel}): id-matched calls, and a reader that runs all the time, so pushes (ROOM_MEMBER_JOINED,
 * USER_LOGOUT...) never pile up in the socket and make the registry think the client is slow; they are only
 * counted. {@link #closed()} completes when the connection ends, which is how the reconnect scenario notices a
 * registry crash.
 */
public final class RegistryConnection implements Closeable {
    private static final AtomicLong PUSHES = new AtomicLong();

    private final FrameChannel channel;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    private RegistryConnection(FrameChannel channel) {
        this.channel = channel;
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
        FrameChannel channel = FrameChannel.connect(tls, host, port, source, ChannelSettings.of(connectTimeout),
                "bench-reader");
        RegistryConnection connection = new RegistryConnection(channel);
        channel.start(new FrameChannel.Listener() {
            @Override
            public void onFrame(FrameChannel ch, Frame frame) {
                if (!frame.isResponse()) {
                    PUSHES.incrementAndGet();
                }
            }

            @Override
            public void onBadFrame(FrameChannel ch, ProtocolException e) {
            }

            @Override
            public void onClosed(FrameChannel ch, Closure closure) {
                connection.closed.complete(null);
            }
        });
        return connection;
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
        CompletableFuture<Frame> answer = channel.call(request);
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(false);
            throw e;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            answer.cancel(false);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    /** Completes when the connection has ended, for whatever reason. */
    public CompletableFuture<Void> closed() {
        return closed;
    }

    @Override
    public void close() {
        channel.abort("closed by the bench");
    }
}
