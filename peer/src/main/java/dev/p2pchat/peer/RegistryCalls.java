package dev.p2pchat.peer;

import dev.p2pchat.peer.registry.RegistrySession;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import java.io.IOException;

/**
 * The way to the registry for everything in this package. It exists before the session does because the
 * session's listener needs the directory and deliveries, which in turn need a way to the registry:
 * {@code Peer.open()} binds the session once it is open, and nothing asks the registry before that.
 */
final class RegistryCalls {
    private final PeerStatus status;
    private volatile RegistrySession session;

    RegistryCalls(PeerStatus status) {
        this.status = status;
    }

    void bind(RegistrySession opened) {
        session = opened;
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
