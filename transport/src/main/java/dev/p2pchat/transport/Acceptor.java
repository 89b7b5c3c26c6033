package dev.p2pchat.transport;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accept loop of every listening socket. When accepting fails while the socket is still open (out of file
 * descriptors, above all) it pauses accepting for {@link #PAUSE} and logs once per run of failures, as Netty's
 * {@code ServerBootstrapAcceptor} does, instead of spinning: a loop that logs and retries at once wrote 228,000
 * lines in 3.5 s under {@code ulimit -n 200}. Connections wait in the backlog meanwhile.
 */
public final class Acceptor {
    private static final Logger LOG = LoggerFactory.getLogger(Acceptor.class);
    public static final Duration PAUSE = Duration.ofSeconds(1);

    private final ServerSocket server;
    private final String name;
    private final Consumer<Socket> onAccepted;
    private final Duration pause;
    private volatile long failures;
    private Thread thread;

    private Acceptor(ServerSocket server, String name, Consumer<Socket> onAccepted, Duration pause) {
        this.server = server;
        this.name = name;
        this.onAccepted = onAccepted;
        this.pause = pause;
    }

    /** Accepts on a virtual thread named {@code name} until {@code server} is closed. */
    public static Acceptor start(ServerSocket server, String name, Consumer<Socket> onAccepted) {
        return start(server, name, onAccepted, PAUSE);
    }

    static Acceptor start(ServerSocket server, String name, Consumer<Socket> onAccepted, Duration pause) {
        Acceptor acceptor = new Acceptor(server, name, onAccepted, pause);
        acceptor.thread = Thread.ofVirtual().name(name).start(acceptor::loop);
        return acceptor;
    }

    public Thread thread() {
        return thread;
    }

    /** Failed accepts so far (each followed by a pause). */
    public long failures() {
        return failures;
    }

    private void loop() {
        long streak = 0;
        while (!server.isClosed()) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (server.isClosed()) {
                    return;
                }
                failures++;
                if (streak++ == 0) {
                    LOG.warn("{}: accepting failed ({}); pausing accepts for {} ms while it lasts", name,
                            e.getMessage(), pause.toMillis());
                } else {
                    LOG.debug("{}: accepting failed again ({})", name, e.getMessage());
                }
                LockSupport.parkNanos(pause.toNanos());
                continue;
            }
            if (streak > 0) {
                LOG.info("{}: accepting again after {} failed attempts", name, streak);
                streak = 0;
            }
            try {
                onAccepted.accept(socket);
            } catch (RuntimeException e) {
                LOG.error("{}: admitting a connection failed", name, e);
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing more to release
                }
            }
        }
    }
}
