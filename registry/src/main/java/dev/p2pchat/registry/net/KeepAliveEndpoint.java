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
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's UDP socket: answers KEEP_ALIVE datagrams on one virtual thread and sends TIMEOUT notices.
 * Anything that is not a well-formed KEEP_ALIVE is dropped without an answer (logged at debug), so the port
 * cannot be used to reflect traffic at someone else.
 */
public final class KeepAliveEndpoint implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KeepAliveEndpoint.class);

    private final DatagramChannel channel;
    private final int port;
    private Thread thread;

    private KeepAliveEndpoint(DatagramChannel channel) throws IOException {
        this.channel = channel;
        this.port = ((InetSocketAddress) channel.getLocalAddress()).getPort();
    }

    public static KeepAliveEndpoint bind(InetSocketAddress address) throws IOException {
        DatagramChannel channel = DatagramChannel.open();
        try {
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
        thread = Thread.ofVirtual().name("registry-udp-" + port).start(() -> serve(handler));
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
                LOG.warn("Receiving on UDP port {} failed: {}", port, e.toString());
                continue;
            }
            if (!(from instanceof InetSocketAddress sender)) {
                continue;
            }
            try {
                Frame frame = FrameReader.decodeDatagram(buffer.array(), 0, buffer.position());
                Message message = frame.isResponse() ? null : Messages.decode(frame);
                if (!(message instanceof RegistryRequest.KeepAlive keepAlive)) {
                    LOG.debug("Dropped a {} datagram from {}", frame.verb(), sender);
                    continue;
                }
                reply(handler.apply(keepAlive, sender).toFrame().withId(frame.id()), sender);
            } catch (ProtocolException e) {
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

    private void reply(Frame frame, InetSocketAddress to) {
        try {
            channel.send(ByteBuffer.wrap(FrameWriter.encodeDatagram(frame)), to);
        } catch (IOException e) {
            LOG.debug("Sending {} to {} failed: {}", frame.verb(), to, e.toString());
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
