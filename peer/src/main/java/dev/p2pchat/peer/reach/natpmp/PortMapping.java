package dev.p2pchat.peer.reach.natpmp;

import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.Protocol;
import dev.p2pchat.protocol.Candidate;
import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's listening port forwarded by the home router (NAT-PMP), announced as a candidate: asked for in the
 * background when a user logs in (a gateway that does not speak NAT-PMP usually says so at once, but one that
 * drops the request would hold a login up for seconds), renewed at half its lifetime as RFC 6886 section 3.3
 * advises, and deleted at logout. The owner of the mapping's state; every change happens under its lock, the
 * network exchanges outside it. Each request and its renewals belong to one {@code current} future: once that is
 * replaced (closed, or asked again), an answer still on its way for the old one changes nothing.
 */
public final class PortMapping implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PortMapping.class);
    /** RFC 6886 section 3.3 recommends two hours. */
    static final Duration LIFETIME = Duration.ofHours(2);

    private final NatPmpClient client;
    private final int port;
    private final ScheduledExecutorService timer;
    private final Object lock = new Object();
    private CompletableFuture<Optional<NatPmpClient.Mapping>> current;
    private ScheduledFuture<?> renewal;
    private Duration lifetime = LIFETIME;

    public PortMapping(NatPmpClient client, int port, ScheduledExecutorService timer) {
        this.client = client;
        this.port = port;
        this.timer = timer;
    }

    /** For this machine's default gateway, if it has one. */
    public static Optional<PortMapping> forDefaultGateway(int port, ScheduledExecutorService timer) {
        return DefaultGateway.find().map(g -> new PortMapping(NatPmpClient.of(g), port, timer));
    }

    /** Asks for the mapping, in the background, unless it is asked for or held already. */
    public void open() {
        synchronized (lock) {
            if (current == null) {
                ask();
            }
        }
    }

    /**
     * Asks for the mapping again at once, for {@code wanted} from now on (tests: a short lifetime shows the renewals
     * on a real router). The gateway replaces the lifetime of a mapping asked for again.
     */
    public void lifetime(Duration wanted) {
        if (wanted.toSeconds() < 1) {
            throw new IllegalArgumentException("a mapping lives at least a second");
        }
        synchronized (lock) {
            lifetime = wanted;
            if (current != null) {
                cancelRenewal();
                ask();
            }
        }
    }

    /** With the lock held: a new request, which its renewals then follow. */
    private void ask() {
        CompletableFuture<Optional<NatPmpClient.Mapping>> asked = new CompletableFuture<>();
        current = asked; // before the answer can come, so that renewLater sees it
        Duration wanted = lifetime;
        asked.thenAccept(mapping -> renewLater(asked, mapping));
        Thread.ofVirtual().name("nat-pmp-" + port).start(() -> asked.complete(map(wanted)));
    }

    private void cancelRenewal() {
        if (renewal != null) {
            renewal.cancel(false);
            renewal = null;
        }
    }

    /** The mapped address as a candidate, waiting at most {@code wait} for the gateway's answer. */
    public Optional<Candidate> candidate(Duration wait) {
        CompletableFuture<Optional<NatPmpClient.Mapping>> mapping;
        synchronized (lock) {
            mapping = current;
        }
        if (mapping == null) {
            return Optional.empty();
        }
        try {
            return mapping.get(wait.toMillis(), TimeUnit.MILLISECONDS)
                    .map(m -> Candidate.mapped(m.externalAddress(), m.externalPort()));
        } catch (TimeoutException e) {
            LOG.debug("No NAT-PMP answer yet; logging in without a mapped candidate");
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } catch (java.util.concurrent.ExecutionException e) {
            return Optional.empty();
        }
    }

    /** Deletes the mapping (at logout); the next {@link #open} asks again. */
    @Override
    public void close() {
        CompletableFuture<Optional<NatPmpClient.Mapping>> mapping;
        synchronized (lock) {
            mapping = current;
            current = null;
            cancelRenewal();
        }
        if (mapping != null && mapping.getNow(Optional.empty()).isPresent()) {
            try {
                client.unmap(Protocol.TCP, port);
                LOG.info("Deleted the NAT-PMP mapping of port {}", port);
            } catch (IOException e) {
                LOG.info("Could not delete the NAT-PMP mapping of port {} (it expires by itself): {}", port,
                        e.getMessage());
            }
        }
    }

    private Optional<NatPmpClient.Mapping> map(Duration wanted) {
        try {
            NatPmpClient.Mapping m = client.map(Protocol.TCP, port, wanted);
            LOG.info("The gateway {} forwards {}:{} to port {} for {} s", client.gateway().getAddress()
                    .getHostAddress(), m.externalAddress().getHostAddress(), m.externalPort(), port,
                    m.lifetime().toSeconds());
            return Optional.of(m);
        } catch (IOException e) {
            LOG.info("No port mapping from the gateway {}: {}", client.gateway().getAddress().getHostAddress(),
                    e.getMessage());
            return Optional.empty();
        }
    }

    /** Schedules the renewal of what {@code asked} brought, unless {@code asked} is no longer the mapping held. */
    private void renewLater(CompletableFuture<Optional<NatPmpClient.Mapping>> asked,
                            Optional<NatPmpClient.Mapping> mapping) {
        if (mapping.isEmpty()) {
            return;
        }
        long half = Math.max(1, mapping.get().lifetime().toMillis() / 2);
        synchronized (lock) {
            if (current != asked) {
                return; // closed or asked again meanwhile
            }
            renewal = timer.schedule(() -> renew(asked), half, TimeUnit.MILLISECONDS);
        }
    }

    private void renew(CompletableFuture<Optional<NatPmpClient.Mapping>> asked) {
        Duration wanted;
        synchronized (lock) {
            if (current != asked) {
                return;
            }
            wanted = lifetime;
        }
        Optional<NatPmpClient.Mapping> renewed = map(wanted);
        CompletableFuture<Optional<NatPmpClient.Mapping>> now = CompletableFuture.completedFuture(renewed);
        synchronized (lock) {
            if (current != asked) {
                return;
            }
            // The address announced at login stays; a changed external port is only logged (re-announcing is
            // the address-change work of issue 12).
            current = now;
        }
        renewLater(now, renewed);
    }
}
