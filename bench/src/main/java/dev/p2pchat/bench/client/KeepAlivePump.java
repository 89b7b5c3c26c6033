package dev.p2pchat.bench.client;

import dev.p2pchat.bench.report.LoadResult;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryRequest;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.IntFunction;

/**
 * Sends every logged-in session's UDP KEEP_ALIVE once per interval, spread evenly over the interval, from a few
 * shared UDP sockets (one per session would cost a file descriptor each). Answers are counted, not timed.
 * One platform thread sends; one virtual thread per socket receives. Stops on {@link #close()}.
 */
public final class KeepAlivePump implements AutoCloseable {
    /**
     * What the pump needs of a session: null while it has no token (not logged in, or reconnecting). {@code udpPort}
     * is the UDP port of the node that holds the session (its AUTH announced it), 0 for the pump's own: after a
     * failover the session's keep-alives go where it resumed, not to the node that died.
     */
    public record Credentials(String username, String token, int udpPort) {
        public Credentials(String username, String token) {
            this(username, token, 0);
        }
    }

    private static final int SOCKETS = 4;

    private final DatagramSocket[] sockets = new DatagramSocket[SOCKETS];
    private final InetSocketAddress registry;
    private final IntFunction<Credentials> sessions;
    private final int count;
    private final Duration interval;
    private final LoadResult result;
    private final Thread sender;
    private volatile boolean running = true;
    private final String host;
    private final java.util.concurrent.ConcurrentHashMap<Integer, InetSocketAddress> nodes =
            new java.util.concurrent.ConcurrentHashMap<>();

    public KeepAlivePump(String host, int udpPort, int count, IntFunction<Credentials> sessions, Duration interval,
            LoadResult result) throws IOException {
        this.registry = new InetSocketAddress(host, udpPort);
        this.host = host;
        this.sessions = sessions;
        this.count = count;
        this.interval = interval;
        this.result = result;
        for (int i = 0; i < SOCKETS; i++) {
            sockets[i] = new DatagramSocket(new InetSocketAddress(InetAddress.getByName(host), 0));
            DatagramSocket socket = sockets[i];
            Thread.ofVirtual().name("bench-keepalive-rx").start(() -> receive(socket));
        }
        sender = Thread.ofPlatform().daemon().name("bench-keepalive-tx").start(this::sendLoop);
    }

    private void sendLoop() {
        long start = System.nanoTime();
        long step = Math.max(1, interval.toNanos() / Math.max(1, count));
        long round = 0;
        while (running) {
            long roundStart = start + round * interval.toNanos();
            for (int i = 0; i < count && running; i++) {
                long due = roundStart + i * step;
                long wait = due - System.nanoTime();
                if (wait > 2_000_000) {
                    sleepNanos(wait);
                }
                Credentials c = sessions.apply(i);
                if (c == null) {
                    continue;
                }
                byte[] bytes = FrameWriter.encodeDatagram(new RegistryRequest.KeepAlive(c.username(), c.token(),
                        interval).toFrame());
                try {
                    InetSocketAddress to = c.udpPort() == 0 || c.udpPort() == registry.getPort() ? registry
                            : nodes.computeIfAbsent(c.udpPort(), port -> new InetSocketAddress(host, port));
                    sockets[i % SOCKETS].send(new DatagramPacket(bytes, bytes.length, to));
                    result.count("keepalive_sent");
                } catch (IOException e) {
                    if (running) {
                        result.error("KEEP_ALIVE io " + e.getClass().getSimpleName());
                    }
                }
            }
            round++;
        }
    }

    private void receive(DatagramSocket socket) {
        byte[] buffer = new byte[2048];
        while (running) {
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            try {
                socket.receive(packet);
                Frame frame = FrameReader.decodeDatagram(packet.getData(), packet.getOffset(), packet.getLength());
                if (frame.status() == null) {
                    result.count("udp_push_" + frame.verb());
                } else if (frame.status().isSuccess()) {
                    result.count("keepalive_ok");
                } else {
                    result.error("KEEP_ALIVE " + frame.status());
                }
            } catch (ProtocolException e) {
                result.error("KEEP_ALIVE undecodable answer");
            } catch (IOException e) {
                if (running) {
                    result.error("KEEP_ALIVE io " + e.getClass().getSimpleName());
                }
                return;
            }
        }
    }

    private static void sleepNanos(long nanos) {
        try {
            Thread.sleep(Duration.ofNanos(nanos));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public static List<String> describe(Duration interval) {
        return List.of("UDP KEEP_ALIVE every " + interval.toMillis() + " ms per session, from " + SOCKETS + " sockets");
    }

    @Override
    public void close() {
        running = false;
        sender.interrupt();
        for (DatagramSocket s : sockets) {
            s.close();
        }
    }
}
