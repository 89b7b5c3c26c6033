package dev.p2pchat.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.IntSupplier;

/**
 * A byte-for-byte TCP forwarder on a loopback port, standing in for the network in front of one process. The
 * test can {@link #cut} it: every forwarded connection closes, and until {@link #restore} every new connection
 * is reset at once, as a failed link or a firewall would; {@link #refusedWhileCut} counts those, so a test
 * knows the sender really tried. It never looks into the bytes, so TLS runs end to end through it.
 */
final class TcpRelay implements AutoCloseable {

    private final IntSupplier targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
    private volatile boolean broken;
    private volatile ServerSocket listener;
    private int port;

    /** @param targetPort where to forward to, asked at each new connection (the target may start later) */
    TcpRelay(IntSupplier targetPort) throws IOException {
        this.targetPort = targetPort;
        ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        listener = socket;
        port = socket.getLocalPort();
        Thread.ofVirtual().name("relay-accept-" + port).start(() -> accept(socket));
    }

    int port() {
        return port;
    }

    /** Breaks every forwarded connection; new ones are reset until {@link #restore}. */
    synchronized void cut() {
        broken = true;
        refused.set(0);
        for (Socket socket : sockets) {
            closeQuietly(socket);
        }
        sockets.clear();
    }

    /** Forwards new connections again. */
    synchronized void restore() {
        broken = false;
    }

    /** Connections reset since the last {@link #cut}. */
    int refusedWhileCut() {
        return refused.get();
    }

    private void accept(ServerSocket server) {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                if (broken) {
                    refused.incrementAndGet();
                    client.setSoLinger(true, 0);
                    closeQuietly(client);
                    continue;
                }
                Socket target;
                try {
                    target = new Socket(InetAddress.getLoopbackAddress(), targetPort.getAsInt());
                } catch (IOException | RuntimeException e) {
                    closeQuietly(client); // the target is not there (yet)
                    continue;
                }
                synchronized (this) {
                    if (server.isClosed() || broken) {
                        closeQuietly(client);
                        closeQuietly(target);
                        return;
                    }
                    sockets.add(client);
                    sockets.add(target);
                }
                Thread.ofVirtual().start(() -> pump(client, target));
                Thread.ofVirtual().start(() -> pump(target, client));
            } catch (SocketException e) {
                return; // cut
            } catch (IOException e) {
                // one failed accept; keep listening
            }
        }
    }

    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // either side closed, or the relay was cut
        } finally {
            closeQuietly(from);
            closeQuietly(to);
            sockets.remove(from);
            sockets.remove(to);
        }
    }

    @Override
    public void close() {
        cut();
        closeQuietly(listener);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // closing anyway
        }
    }
}
