package dev.p2pchat.transport.testing;

import dev.p2pchat.security.Identity;
import dev.p2pchat.security.Tls;
import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLSocket;

/**
 * A server that applies one {@link Fault} to every client that connects, for the tests of client endpoints (the
 * peer's registry connection, outgoing peer links, the bench's client): the same vocabulary as
 * {@link FaultyClient}, seen from the other end. {@link Fault#STALL_AT_START} accepts TCP and never answers the
 * ClientHello; {@link Fault#SLOW_HANDSHAKE} is the same from the client's view. Test code only.
 */
public final class FaultyServer implements Closeable {
    private final ServerSocket listener;
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();

    private FaultyServer(ServerSocket listener) {
        this.listener = listener;
    }

    /** Listens on a free loopback port; {@code frame} is what the mid-frame faults send, in part or slowly. */
    public static FaultyServer start(Identity identity, Fault fault, String frame, Duration pace) throws IOException {
        boolean tls = fault != Fault.STALL_AT_START && fault != Fault.SLOW_HANDSHAKE;
        ServerSocket listener = tls ? Tls.listen(Tls.server(identity), InetAddress.getLoopbackAddress(), 0, false, 50)
                : new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        FaultyServer server = new FaultyServer(listener);
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        Thread.ofVirtual().name("faulty-server").start(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket socket = listener.accept();
                    server.accepted.add(socket);
                    server.connections.incrementAndGet();
                    if (tls) {
                        Thread.ofVirtual().start(() -> misbehave((SSLSocket) socket, fault, bytes, pace));
                    }
                } catch (IOException e) {
                    return;
                }
            }
        });
        return server;
    }

    private static void misbehave(SSLSocket socket, Fault fault, byte[] frame, Duration pace) {
        try {
            socket.startHandshake();
            OutputStream out = socket.getOutputStream();
            switch (fault) {
                case STALL_MID_FRAME -> {
                    out.write(Arrays.copyOf(frame, frame.length / 2));
                    out.flush();
                }
                case SLOW_DRIP -> {
                    for (byte b : frame) {
                        out.write(b);
                        out.flush();
                        LockSupport.parkNanos(pace.toNanos());
                    }
                }
                case RESET_MID_FRAME -> {
                    out.write(Arrays.copyOf(frame, frame.length / 2));
                    out.flush();
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                case STOP_READING -> {
                    // handshake done; never read what the client sends
                }
                default -> throw new IllegalArgumentException(fault.name());
            }
        } catch (IOException e) {
            // the client gave up: what the tests wait for
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.get();
    }

    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // already closed
        }
        for (Socket socket : accepted) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }
}
