package dev.p2pchat.registry.net;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's UDP socket: answers KEEP_ALIVE datagrams on one dedicated platform thread and sends TIMEOUT
 * notices. The thread is a platform thread on purpose: on a virtual thread the loop waited behind tens of thousands
 * of connection threads for a carrier while the socket buffer overflowed, and healthy sessions expired.
 * Anything that is not a well-formed KEEP_ALIVE is dropped without an answer (logged at debug), so the port
 * cannot be used to reflect traffic at someone else. A SUCCESS answer names the address it goes to ({@code observed}),
 * which the peer watches to notice that it moved.
 */
public final class KeepAliveEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveEndpoint.class);
    /** Asked of the kernel for the receive buffer: about 40,000 keep-alives of slack. The OS may grant less. */
    static final int RECEIVE_BUFFER_BYTES = 4 * 1024 * 1024;

    private final DatagramChannel channel;
    private final int port;
    private final LongAdder received = new LongAdder();
    private final LongAdder answered = new LongAdder();
    private final LongAdder refused = new LongAdder();
    private final LongAdder droppedMalformed = new LongAdder();
    private final LongAdder receiveErrors = new LongAdder();
    private Thread thread;

    /**
     * Counters since start: datagrams received; keep-alives answered (SUCCESS or FAILURE), of which refused
     * (FAILURE: no such session or token); datagrams dropped unanswered as malformed or not a KEEP_ALIVE; failed
     * receives. Datagrams the kernel dropped for a full buffer are not seen here (see /proc/net/snmp).
     */
    public record Stats(long received, long answered, long refused, long droppedMalformed, long receiveErrors,
                        int receiveBufferBytes) {
    }

    private KeepAliveEndpoint(DatagramChannel channel) throws IOException {
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    public static KeepAliveEndpoint bind(InetSocketAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_RCVBUF, RECEIVE_BUFFER_BYTES);
            int granted = channel.getOption(StandardSocketOptions.SO_RCVBUF);
            if (granted < RECEIVE_BUFFER_BYTES) {
                LOG.info("UDP receive buffer: asked for {} bytes, the OS granted {} (raise net.core.rmem_max)",
                        RECEIVE_BUFFER_BYTES, granted);
            }
            channel.bind(address);
            return new KeepAliveEndpoint(channel);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    public int port() {
        return port;
    }

    /** Serves keep-alives with {@code handler} until {@link #close()}. */
    public void start(BiFunction<RegistryRequest.KeepAlive, InetSocketAddress, RegistryReply.KeepAliveResponse> handler) {
        thread = Thread.ofPlatform().daemon().name("registry-udp-" + port).start(() -> serve(handler));
    }

    private void serve(BiFunction<RegistryRequest.KeepAlive, InetSocketAddress, RegistryReply.KeepAliveResponse> handler) {
        ByteBuffer buffer = ByteBuffer.allocate(Limits.MAX_DATAGRAM_BYTES + 1);
        while (channel.isOpen()) {
            SocketAddress from;
            try {
                buffer.clear();
                from = channel.receive(buffer);
            } catch (ClosedChannelException e) {
                return;
            } catch (IOException e) {
                receiveErrors.increment();
                LOG.warn("Receiving on UDP port {} failed: {}", port, e.toString());
                continue;
            }
            if (!(from instanceof InetSocketAddress sender)) {
                continue;
            }
            received.increment();
            try {
                Frame frame = FrameReader.decodeDatagram(buffer.array(), 0, buffer.position());
                Message message = frame.isResponse() ? null : Messages.decode(frame);
                if (!(message instanceof RegistryRequest.KeepAlive keepAlive)) {
                    droppedMalformed.increment();
                    LOG.debug("Dropped a {} datagram from {}", frame.verb(), sender);
                    continue;
                }
                RegistryReply.KeepAliveResponse response = handler.apply(keepAlive, sender);
                if (!response.status().isSuccess()) {
                    refused.increment();
                } else {
                    // Only to a live session: a peer that moved sees its new address here and reconnects.
                    response = response.observedAt(sender);
                }
                if (reply(response.toFrame().withId(frame.id()), sender)) {
                    answered.increment();
                }
            } catch (ProtocolException e) {
                droppedMalformed.increment();
                LOG.debug("Dropped a malformed datagram from {}: {}", sender, e.reason());
            } catch (RuntimeException e) {
                LOG.error("Handling a keep-alive from {} failed", sender, e);
            }
        }
    }

    /** Tells a peer its session expired; best effort, as UDP is. */
    public void sendTimeout(String username, InetSocketAddress to) {
        reply(new RegistryPush.Timeout(username).toFrame(), to);
    }

    public Stats stats() {
        int buffer;
        try {
            buffer = channel.getOption(StandardSocketOptions.SO_RCVBUF);
        } catch (IOException e) {
            buffer = -1;
        }
        return new Stats(received.sum(), answered.sum(), refused.sum(), droppedMalformed.sum(), receiveErrors.sum(),
                buffer);
    }

    private boolean reply(Frame frame, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(FrameWriter.encodeDatagram(frame)), to);
            return true;
        } catch (IOException e) {
            LOG.debug("Sending {} to {} failed: {}", frame.verb(), to, e.toString());
            return false;
        }
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.debug("Closing UDP port {}: {}", port, e.toString());
        }
        if (thread != null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
