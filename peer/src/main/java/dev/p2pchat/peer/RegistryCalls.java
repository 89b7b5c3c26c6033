package dev.p2pchat.peer;

import dev.p2pchat.peer.registry.Backoff;
import dev.p2pchat.peer.registry.RegistrySession;
import dev.p2pchat.peer.registry.RegistryTrust;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.security.FingerprintMismatchException;
import dev.p2pchat.security.KnownRegistries;
import java.io.IOException;
import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The way to the registry for everything in this package. It exists before the session does because the
 * session's listener needs the directory and deliveries, which in turn need a way to the registry:
 * {@code Peer.open()} opens the session once they all exist, and nothing asks the registry before that.
 */
final class RegistryCalls {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryCalls.class);

    private final PeerStatus status;
    private volatile RegistrySession session;

    RegistryCalls(PeerStatus status) {
        this.status = status;
    }

    /**
     * Connects and says HELLO, checking the registry's certificate against the pinned fingerprint or, without
     * one, against the one this data directory saw first.
     */
    void open(PeerConfig config, RegistrySession.Listener listener, ScheduledExecutorService timer, Clock clock)
            throws PeerException {
        RegistryTrust trust;
        try {
            trust = config.registryFingerprint() != null ? RegistryTrust.pinned(config.registryFingerprint())
                    : RegistryTrust.onFirstUse(KnownRegistries.open(config.dataDir()));
        } catch (IOException e) {
            throw new PeerException("Cannot read the known registries in " + config.dataDir() + ": " + e.getMessage(),
                    e);
        } catch (IllegalArgumentException e) {
            throw new PeerException("The registry fingerprint is not valid: " + e.getMessage(), e);
        }
        try {
            session = RegistrySession.open(new RegistrySession.Settings(config.registries().stream()
                            .map(a -> new RegistrySession.Address(a.host(), a.port())).toList(), trust,
                            config.requestTimeout(), Backoff.withJitter(config.retryBase(), config.retryMax()),
                            config.registryPing()),
                    listener, timer, clock);
        } catch (FingerprintMismatchException e) {
            String explained = trust.explain(e);
            LOG.error("{}", explained);
            throw new PeerException(explained, e);
        } catch (IOException e) {
            throw new PeerException("Cannot reach the registry at " + config.registries().stream()
                    .map(PeerConfig.RegistryAddress::toString).collect(java.util.stream.Collectors.joining(" or "))
                    + ": " + e.getMessage(), e);
        }
    }

    /** The session, or null when opening it failed. */
    RegistrySession session() {
        return session;
    }

    /** A request made on the peer's own behalf: failures stay I/O failures for the caller to judge. */
    RegistryReply call(RegistryRequest request) throws IOException {
        return session.call(request);
    }

    /** A request the user asked for: refused once the peer is shut down, failures become sentences. */
    RegistryReply callForUser(RegistryRequest request) throws PeerException {
        status.ensureOpen();
        try {
            return session.call(request);
        } catch (IOException e) {
            throw Failures.unreachable(e);
        }
    }
}
