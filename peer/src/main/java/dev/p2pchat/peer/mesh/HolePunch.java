package dev.p2pchat.peer.mesh;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side's part of a TCP hole punch (PROTOCOL.md section 10.17): at the moment the registry named, connect from
 * this peer's listening port to where the other side's NAT maps its listening port, while the other does the same
 * towards this one. Each side's SYN opens its own NAT for the other's (TCP simultaneous open), so the connection
 * forms although neither NAT lets in a connection nobody inside asked for. A try that is refused or times out
 * (the other's SYN was not out yet) is repeated a few times, {@link #OFFSET} further apart each time; the whole
 * punch ends within {@link #bound}. Only the TCP connection is made here: the caller runs the link's mutual TLS on
 * it, as on any other link, so a wrong or hostile address costs a failed handshake and nothing more.
 */
public final class HolePunch {
    private static final Logger LOG = LoggerFactory.getLogger(HolePunch.class);
    /** Connection attempts per punch. */
    static final int TRIES = 3;
    /** How long one attempt waits for the other side's SYN: several round trips across any continent. */
    static final Duration TRY_TIMEOUT = Duration.ofMillis(1000);
    /** Added to the pause before each further attempt, so two sides whose clocks of the push differ still meet. */
    static final Duration OFFSET = Duration.ofMillis(100);

    /**
     * What the registry said: where the other side's NAT maps its listening port, and how long from now to dial.
     */
    public record Plan(String host, int port, Duration delay) {
        public Plan {
            Objects.requireNonNull(host, "host");
            Objects.requireNonNull(delay, "delay");
        }

        String address() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    private HolePunch() {
    }

    /** The longest a punch takes, the plan's delay included. */
    static Duration bound(Plan plan) {
        return plan.delay().plus(TRY_TIMEOUT.plus(OFFSET.multipliedBy(TRIES)).multipliedBy(TRIES));
    }

    /**
     * Connects from {@code localHost}:{@code localPort} (null host: every address, as the peer server listens) to
     * the plan's address at the plan's moment, counted from {@code startNanos} ({@link System#nanoTime}).
     *
     * @throws IOException when no attempt connected, with the last attempt's reason
     */
    static Socket connect(InetAddress localHost, int localPort, Plan plan, long startNanos) throws IOException {
        InetSocketAddress remote = new InetSocketAddress(InetAddress.getByName(plan.host()), plan.port());
        InetSocketAddress local = localHost == null ? new InetSocketAddress(localPort)
                : new InetSocketAddress(localHost, localPort);
        long at = startNanos + plan.delay().toNanos();
        IOException last = null;
        for (int i = 0; i < TRIES; i++) {
            waitUntil(at);
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted while punching a hole to " + plan.address());
            }
            Socket socket = new Socket();
            try {
                socket.setReuseAddress(true);
                if (socket.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT)) {
                    socket.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                }
                socket.bind(local);
                socket.connect(remote, (int) TRY_TIMEOUT.toMillis());
                LOG.debug("Hole punched to {} from port {} at try {}", plan.address(), localPort, i + 1);
                return socket;
            } catch (IOException e) {
                closeQuietly(socket);
                last = e;
                LOG.debug("Punch try {} to {} failed: {}", i + 1, plan.address(), e.toString());
            }
            at = System.nanoTime() + OFFSET.multipliedBy(i + 1L).toNanos();
        }
        throw new IOException("no hole punched to " + plan.address() + " in " + TRIES + " tries: "
                + last.getMessage(), last);
    }

    private static void waitUntil(long nanos) {
        long left;
        while ((left = nanos - System.nanoTime()) > 0 && !Thread.currentThread().isInterrupted()) {
            LockSupport.parkNanos(left);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the attempt failed already
        }
    }
}
