package dev.p2pchat.peer;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay in front of a peer's server, standing for the network between two peers: it can be taken down
 * and brought back on the same port, or made to lose everything the server sends back (the receipts).
 * TLS passes through untouched, so both ends still authenticate each other.
 */
final class FlakyProxy implements AutoCloseable {
    private volatile int targetPort;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile boolean swallowReplies;
    private int port;

    /** Listens on a free loopback port; nothing is relayed until {@link #forwardTo(int)}. */
    FlakyProxy() throws IOException {
        up();
    }

    void forwardTo(int port) {
        this.targetPort = port;
    }

    int port() {
        return port;
    }

    /** Listens (again) on the same port. */
    synchronized void up() throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        port = s.getLocalPort();
        server = s;
        Thread.ofVirtual().start(() -> acceptLoop(s));
    }

    /** Stops listening and cuts every relayed connection: the peer behind is unreachable. */
    synchronized void down() throws IOException {
        server.close();
        cut();
    }

    /** Cuts every relayed connection but keeps listening. */
    void cut() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.clear();
    }

    /** While set, bytes from the server back to the client are dropped. */
    void swallowReplies(boolean swallow) {
        swallowReplies = swallow;
    }

    @Override
    public void close() throws IOException {
        down();
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket client;
            try {
                client = s.accept();
            } catch (IOException e) {
                return;
            }
            try {
                Socket target = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                sockets.add(client);
                sockets.add(target);
                Thread.ofVirtual().start(() -> pipe(client, target, false));
                Thread.ofVirtual().start(() -> pipe(target, client, true));
            } catch (IOException e) {
                try {
                    client.close(); // the peer behind is gone: refuse, as its own port would
                } catch (IOException ignored) {
                    // closed anyway
                }
            }
        }
    }

    private void pipe(Socket from, Socket to, boolean isReply) {
        byte[] buffer = new byte[8192];
        try (from; to) {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (isReply && swallowReplies) {
                    continue;
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // one side closed; closing both ends the relay
        } finally {
            sockets.remove(from);
            sockets.remove(to);
        }
    }
}
