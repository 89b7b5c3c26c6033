package dev.p2pchat.bench.tls;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;

import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;

/**
 * A TLS client and a server engine talking through two byte buffers on one thread, with the server's CPU time
 * counted apart: what the registry spends on a handshake or a request, without sockets, scheduling or the
 * client's share in the figure.
 */
final class InMemoryTls {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    final SSLEngine client;
    final SSLEngine server;
    private final ByteBuffer toServer;
    private final ByteBuffer toClient;
    private final ByteBuffer clientApp;
    private final ByteBuffer serverApp;
    /** Server CPU time (ns) spent in this pair's calls so far. */
    long serverNanos;

    InMemoryTls(SSLEngine client, SSLEngine server) {
        this.client = client;
        this.server = server;
        int net = Math.max(client.getSession().getPacketBufferSize(), server.getSession().getPacketBufferSize());
        int app = Math.max(client.getSession().getApplicationBufferSize(), server.getSession().getApplicationBufferSize());
        toServer = ByteBuffer.allocate(net * 4);
        toClient = ByteBuffer.allocate(net * 4);
        clientApp = ByteBuffer.allocate(app * 2);
        serverApp = ByteBuffer.allocate(app * 2);
    }

    /** Runs the handshake to its end on both sides, including the server's session tickets reaching the client. */
    void handshake() throws SSLException {
        client.beginHandshake();
        long start = cpu();
        server.beginHandshake();
        serverNanos += cpu() - start;
        for (int rounds = 0; rounds < 1_000; rounds++) {
            boolean moved = step(client, toClient, toServer, clientApp, false);
            moved |= step(server, toServer, toClient, serverApp, true);
            if (!moved && idle(client) && idle(server)) {
                return;
            }
            if (!moved) {
                // netty-tcnative's server says NEED_UNWRAP after the client's Finished until it is asked to wrap
                // (its session tickets go out then): nudge both sides once before calling it stuck.
                long before = cpu();
                SSLEngineResult nudged = server.wrap(EMPTY, toClient);
                serverNanos += cpu() - before;
                if (nudged.bytesProduced() == 0 && nudged.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP) {
                    break;
                }
            }
        }
        throw new SSLException("the in-memory handshake did not finish: client " + client.getHandshakeStatus()
                + ", server " + server.getHandshakeStatus());
    }

    /** One request and its reply: the client sends {@code request}, the server reads it and answers {@code reply}. */
    void exchange(ByteBuffer request, ByteBuffer reply) throws SSLException {
        client.wrap(request.duplicate(), toServer);
        long start = cpu();
        toServer.flip();
        server.unwrap(toServer, serverApp);
        toServer.compact();
        serverApp.clear();
        server.wrap(reply.duplicate(), toClient);
        serverNanos += cpu() - start;
        toClient.flip();
        client.unwrap(toClient, clientApp);
        toClient.compact();
        clientApp.clear();
    }

    private static boolean idle(SSLEngine engine) {
        SSLEngineResult.HandshakeStatus status = engine.getHandshakeStatus();
        return status == SSLEngineResult.HandshakeStatus.NOT_HANDSHAKING || status == SSLEngineResult.HandshakeStatus.FINISHED;
    }

    /** One move of {@code engine}; true if it produced or consumed bytes or ran a task. */
    private boolean step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app, boolean timed) throws SSLException {
        long start = timed ? cpu() : 0;
        try {
            switch (engine.getHandshakeStatus()) {
                case NEED_TASK -> {
                    Runnable task;
                    boolean ran = false;
                    while ((task = engine.getDelegatedTask()) != null) {
                        task.run();
                        ran = true;
                    }
                    return ran;
                }
                case NEED_WRAP -> {
                    SSLEngineResult result = engine.wrap(EMPTY, out);
                    return result.bytesProduced() > 0 || result.getHandshakeStatus() != SSLEngineResult.HandshakeStatus.NEED_WRAP;
                }
                default -> {
                    // NEED_UNWRAP, or done with bytes still to read (TLS 1.3 session tickets after the handshake).
                    if (in.position() == 0) {
                        return false;
                    }
                    in.flip();
                    SSLEngineResult result = engine.unwrap(in, app);
                    in.compact();
                    app.clear();
                    return result.bytesConsumed() > 0 || result.bytesProduced() > 0;
                }
            }
        } finally {
            if (timed) {
                serverNanos += cpu() - start;
            }
        }
    }

    private static long cpu() {
        return THREADS.getCurrentThreadCpuTime();
    }
}
