package dev.p2pchat.registry.net;

import java.util.concurrent.atomic.LongAdder;

/** Counters shared by every {@link Connection} of one server, for the registry's periodic stats. */
public final class ConnectionStats {
    final LongAdder accepted = new LongAdder();
    final LongAdder handshakeTimeouts = new LongAdder();
    final LongAdder unauthenticatedReadTimeouts = new LongAdder();
    final LongAdder unauthenticatedLifetimeEnds = new LongAdder();
    final LongAdder kickedSlow = new LongAdder();

    public long accepted() {
        return accepted.sum();
    }

    /** Closed because the TLS handshake did not finish within the unauthenticated time-out. */
    public long handshakeTimeouts() {
        return handshakeTimeouts.sum();
    }

    /** Closed because, not logged in, they sent no complete request within the unauthenticated time-out. */
    public long unauthenticatedReadTimeouts() {
        return unauthenticatedReadTimeouts.sum();
    }

    /** Closed because they stayed unauthenticated for the whole unauthenticated lifetime. */
    public long unauthenticatedLifetimeEnds() {
        return unauthenticatedLifetimeEnds.sum();
    }

    /** Closed because they stopped reading and their outbound queue filled. */
    public long kickedSlow() {
        return kickedSlow.sum();
    }
}
