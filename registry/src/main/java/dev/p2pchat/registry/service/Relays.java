package dev.p2pchat.registry.service;

import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.RelayTokenResult;
import dev.p2pchat.protocol.RegistryRequest.RelayToken;
import dev.p2pchat.protocol.RelayTicket;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.relay.RendezvousTokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code RELAY_TOKEN}: a peer that reached another neither directly nor by a dial-back asks for a relayed link.
 * The registry picks one of its relays (round robin), issues a one-time rendezvous token naming both users, pushes
 * it to the other ({@code RELAY_OFFER}) and answers the asker with the same ticket; both connect out to the relay.
 * A session may ask {@link #PER_MINUTE} times a minute: each ask costs the other peer a connection.
 */
public final class Relays {
    private static final Logger LOG = LoggerFactory.getLogger(Relays.class);
    static final int PER_MINUTE = 20;
    /** Long enough for both sides to connect and the first to wait out the relay's partner wait. */
    static final Duration TOKEN_LIFETIME = Duration.ofSeconds(60);

    /**
     * A relay this registry hands out.
     *
     * @param host null for the relay inside the registry (peers reach it at the host they reach the registry at)
     */
    public record Endpoint(String host, int port, String fingerprint) {
        public Endpoint {
            Objects.requireNonNull(fingerprint, "fingerprint");
        }

        /**
         * {@code HOST:PORT@FINGERPRINT} ({@code [v6]:PORT@…} for IPv6), as {@code --relay} takes it.
         *
         * @throws IllegalArgumentException with what is wrong, for the command line
         */
        public static Endpoint parse(String text) {
            int at = text.lastIndexOf('@');
            int colon = at < 0 ? -1 : text.lastIndexOf(':', at);
            if (at < 0 || colon <= 0) {
                throw new IllegalArgumentException("--relay takes HOST:PORT@FINGERPRINT (the relay prints it), not "
                        + text);
            }
            String host = text.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(text.substring(colon + 1, at));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--relay " + text + ": the port is not a number");
            }
            String fingerprint = text.substring(at + 1).replace(":", "").toLowerCase(java.util.Locale.ROOT);
            // RelayTicket's own checks: a port in range, a SHA-256 fingerprint, a host without spaces.
            new RelayTicket(host, port, fingerprint, "check");
            return new Endpoint(host, port, fingerprint);
        }
    }

    private final List<Endpoint> endpoints;
    private final RendezvousTokens tokens;
    private final PeerAsks asks;
    private final AtomicInteger next = new AtomicInteger();
    /** This registry's address for peers of other cluster nodes (its own relay listens there); null if unknown. */
    private final String ownHost;

    Relays(List<Endpoint> endpoints, RendezvousTokens tokens, SessionRegistry sessions, RegistryStore store,
           Clock clock) {
        this(endpoints, tokens, sessions, store, clock, Cluster.NONE, null);
    }

    Relays(List<Endpoint> endpoints, RendezvousTokens tokens, SessionRegistry sessions, RegistryStore store,
           Clock clock, Cluster cluster, String ownHost) {
        this.ownHost = ownHost;
        this.endpoints = List.copyOf(endpoints);
        this.tokens = tokens;
        this.asks = new PeerAsks("relay requests", PER_MINUTE, Relays::result, sessions, store, clock, cluster);
    }

    /** The answer to a registry that runs no relay and knows none. */
    static Frame none(RelayToken request) {
        return result(Status.FULL, request.username(), "this registry has no relay");
    }

    Frame ask(Session asker, RelayToken request) {
        String target = request.username();
        if (PeerAsks.isSelf(asker, target)) {
            return result(Status.WRONG_STATE, target, "you cannot relay a link to yourself");
        }
        if (endpoints.isEmpty()) {
            return none(request);
        }
        Frame refused = asks.refuseTooMany(asker, target);
        if (refused != null) {
            return refused;
        }
        Endpoint relay = endpoints.get(Math.floorMod(next.getAndIncrement(), endpoints.size()));
        RelayTicket ticket = new RelayTicket(relay.host(), relay.port(), relay.fingerprint(),
                tokens.issue(asker.username(), target, TOKEN_LIFETIME));
        if (asks.pushHere(target, new RegistryPush.RelayOffer(asker.username(), asker.peerInfo().fingerprint(),
                ticket))) {
            LOG.debug("Relaying {} and {} via {}:{}", asker.username(), target,
                    relay.host() == null ? "(this registry)" : relay.host(), relay.port());
            return new RelayTokenResult(Status.SUCCESS, target, ticket, null).toFrame();
        }
        // On another node of a cluster: the offer goes through the database, naming the relay by an address that
        // node's peer can use (a peer reads "no host" as its own registry's, which is another node).
        if (relay.host() == null && ownHost == null) {
            Endpoint named = endpoints.stream().filter(e -> e.host() != null).findFirst().orElse(null);
            if (named != null) {
                relay = named;
                ticket = new RelayTicket(relay.host(), relay.port(), relay.fingerprint(), ticket.token());
            }
        }
        RelayTicket theirs = relay.host() != null ? ticket
                : ownHost != null ? new RelayTicket(ownHost, relay.port(), relay.fingerprint(), ticket.token()) : null;
        if (theirs != null && asks.pushElsewhere(target, new RegistryPush.RelayOffer(asker.username(),
                asker.peerInfo().fingerprint(), theirs))) {
            LOG.debug("Relaying {} and {} (on another node) via {}:{}", asker.username(), target, theirs.host(),
                    theirs.port());
            return new RelayTokenResult(Status.SUCCESS, target, ticket, null).toFrame();
        }
        return asks.unreached(target);
    }

    void prune() {
        asks.prune();
    }

    private static Frame result(Status status, String target, String reason) {
        return new RelayTokenResult(status, target, null, reason).toFrame();
    }
}
