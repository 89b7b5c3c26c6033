package dev.p2pchat.registry.service;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.Dialable;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.registry.session.Endpoint;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reachability self-test after each {@code AUTH SUCCESS}: the registry opens a plain TCP connection to each of
 * the peer's addresses it may dial, closes it at once (a connection taken is the answer; no TLS is spoken), lists
 * the peer {@code dialable: yes} or {@code no} from then on and tells it ({@code REACHABILITY}), so that others skip
 * the rungs that cannot work and a peer nobody can dial hears so.
 *
 * <p>It dials only the address the peer's connection came from (with the announced port, and each candidate at that
 * same address, a port its router forwards): never an address the peer merely names, or the registry would be a
 * port scanner of any network it can reach, this one reporting back. A peer that announced a public address elsewhere
 * (IPv6 beside an IPv4 login, say) and answered at none of the tested ones is listed unknown, not undialable. At most
 * {@code maxConcurrent} tests run at once, each on a virtual thread; a login beyond that is not tested (a login
 * storm must not become a storm of outgoing connections), and its peer stays listed as unknown.
 */
final class SelfTests {
    private static final Logger LOG = LoggerFactory.getLogger(SelfTests.class);
    /** Long enough for a connection across the world, short enough that a peer hears soon after logging in. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(2);

    private final SessionRegistry sessions;
    private final Semaphore running;
    private final Duration connectTimeout;
    private final LongAdder run = new LongAdder();
    private final LongAdder skipped = new LongAdder();

    /** {@code maxConcurrent} 0: no test at all (every peer listed unknown, as by a registry without them). */
    SelfTests(SessionRegistry sessions, int maxConcurrent, Duration connectTimeout) {
        this.sessions = sessions;
        this.running = maxConcurrent > 0 ? new Semaphore(maxConcurrent) : null;
        this.connectTimeout = connectTimeout;
    }

    /** Tests {@code session}'s endpoint as it is now, in the background; the answer follows AUTH SUCCESS. */
    void start(Session session) {
        if (running == null) {
            return;
        }
        Endpoint endpoint = session.endpoint();
        List<Candidate> tested = testable(endpoint);
        if (tested.isEmpty()) {
            return; // an observed address that is no IP literal: nothing to dial
        }
        if (!running.tryAcquire()) {
            skipped.increment();
            LOG.debug("Not testing whether {} can be dialled: as many tests are running as may", session.username());
            return;
        }
        run.increment();
        try {
            Thread.ofVirtual().name("self-test-" + session.username()).start(() -> {
                try {
                    test(session, endpoint, tested);
                } catch (RuntimeException e) {
                    LOG.error("The reachability self-test of {} failed", session.username(), e);
                } finally {
                    running.release();
                }
            });
        } catch (RuntimeException e) {
            running.release();
            throw e;
        }
    }

    /** Self-tests started since start, and logins not tested because as many were running as may. */
    long run() {
        return run.sum();
    }

    long skipped() {
        return skipped.sum();
    }

    private void test(Session session, Endpoint endpoint, List<Candidate> tested) {
        List<Candidate> reachable = new ArrayList<>(tested.size());
        for (Candidate c : tested) {
            if (session.isEnded()) {
                return;
            }
            if (answers(c)) {
                reachable.add(c);
            }
        }
        Dialable verdict = !reachable.isEmpty() ? Dialable.YES
                : untestedPublic(endpoint, tested.getFirst().address()) ? Dialable.UNKNOWN : Dialable.NO;
        RegistryPush.Reachability result = new RegistryPush.Reachability(tested, reachable, verdict);
        if (sessions.selfTested(session, endpoint, result)) {
            LOG.info("{} can {}be dialled at {}{}", session.username(), reachable.isEmpty() ? "not " : "",
                    reachable.isEmpty() ? tested : reachable,
                    verdict == Dialable.UNKNOWN ? " (it announced an address the registry does not dial)" : "");
        }
    }

    private boolean answers(Candidate c) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(c.inetAddress(), c.port()), (int) connectTimeout.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The observed address with the announced port, then each candidate at that same address. */
    static List<Candidate> testable(Endpoint endpoint) {
        Candidate observed;
        try {
            observed = new Candidate(endpoint.ip(), endpoint.port());
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        List<Candidate> out = new ArrayList<>(1 + endpoint.candidates().size());
        out.add(observed);
        for (Candidate c : endpoint.candidates()) {
            if (c.address().equals(observed.address()) && out.stream().noneMatch(c::sameEndpoint)) {
                out.add(c);
            }
        }
        return List.copyOf(out.subList(0, Math.min(out.size(), Candidate.MAX_CANDIDATES)));
    }

    /**
     * Whether the peer announced an address others on the Internet might dial that the test did not: one at
     * another address than the observed one that is neither private, loopback nor link-local (those serve its LAN
     * only, where the registry's verdict is not the word anyway).
     */
    private static boolean untestedPublic(Endpoint endpoint, String observed) {
        for (Candidate c : endpoint.candidates()) {
            if (c.address().equals(observed)) {
                continue;
            }
            InetAddress a = c.inetAddress();
            boolean uniqueLocal = a.getAddress().length == 16 && (a.getAddress()[0] & 0xfe) == 0xfc;
            if (!a.isSiteLocalAddress() && !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !uniqueLocal
                    && !isSharedAddressSpace(a)) {
                return true;
            }
        }
        return false;
    }

    /** 100.64.0.0/10 (RFC 6598), a carrier-grade NAT's inside: no more reachable from the Internet than 10/8. */
    private static boolean isSharedAddressSpace(InetAddress a) {
        byte[] b = a.getAddress();
        return b.length == 4 && (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
    }
}
