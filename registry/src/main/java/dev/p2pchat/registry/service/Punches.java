package dev.p2pchat.registry.service;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.Reasons;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.PunchResult;
import dev.p2pchat.protocol.RegistryRequest.Punch;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code PUNCH}: a peer that reached another neither directly nor by a dial-back asks the registry, which both
 * reach, to coordinate a TCP hole punch. The registry tells each side the other's observed address (the IP its TLS
 * connection comes from, with the announced listening port: MASQUERADE keeps a source port when it can, and the
 * peers punch from their listening port) and when to dial: the asker {@link #DELAY} from now, the target
 * {@link #STAGGER} later; the target hears it in {@code PUNCH_NOW}, the asker in the answer. It must never hand out anything but what the registry
 * itself observed or the user announced, and a session may ask only {@link #PER_MINUTE} times a minute: each ask
 * costs the target a few connection attempts to an address it did not choose.
 */
final class Punches {
    private static final Logger LOG = LoggerFactory.getLogger(Punches.class);
    static final int PER_MINUTE = 20;
    /**
     * Long enough for the push to cross the registry's connection to the target and the answer to reach the asker
     * (both sent now), short enough not to be felt: the two then dial within a few milliseconds of each other.
     */
    static final Duration DELAY = Duration.ofMillis(300);
    /**
     * How much later the target dials than the asker. The asker's SYN then reaches the target's NAT first and dies
     * there (dropped, or answered with a reset), and the target's finds the asker's mapping open: through routers
     * that drop unasked SYNs this works whatever the order, and through routers that reset it fails every time,
     * instead of working only when both SYNs happen to cross in flight.
     */
    static final Duration STAGGER = Duration.ofMillis(50);

    private final PeerAsks asks;

    Punches(SessionRegistry sessions, RegistryStore store, Clock clock, Cluster cluster) {
        this.asks = new PeerAsks("hole-punch requests", PER_MINUTE, Punches::result, sessions, store, clock, cluster);
    }

    Frame ask(Session asker, Punch request) {
        String target = request.username();
        Frame refused = asks.refuse(asker, target, "you cannot punch a hole to yourself");
        if (refused != null) {
            return refused;
        }
        // A user on another node of a cluster is told by that node, which the push reaches through the database.
        Optional<PeerInfo> other = asks.find(target);
        if (other.isPresent()) {
            Candidate askerSeen = observed(asker.peerInfo());
            Candidate targetSeen = observed(other.get());
            if (askerSeen == null || targetSeen == null) {
                return result(Status.WRONG_STATE, target, "no address to punch to is known for "
                        + (askerSeen == null ? "you" : Reasons.quote(target)));
            }
            RegistryPush.PunchNow push = new RegistryPush.PunchNow(asker.username(), asker.peerInfo().fingerprint(),
                    askerSeen, DELAY.plus(STAGGER));
            if (asks.push(target, push)) {
                LOG.debug("Coordinating a hole punch between {} and {}", asker.username(), target);
                return new PunchResult(Status.SUCCESS, other.get().username(), targetSeen, DELAY, null).toFrame();
            }
        }
        return asks.unreached(target);
    }

    void prune() {
        asks.prune();
    }

    /** The observed IP with the listening port; null when it is no IP literal (it always is, from a socket). */
    private static Candidate observed(PeerInfo peer) {
        try {
            return new Candidate(peer.ip(), peer.port());
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Frame result(Status status, String target, String reason) {
        return new PunchResult(status, target, null, null, reason).toFrame();
    }
}
