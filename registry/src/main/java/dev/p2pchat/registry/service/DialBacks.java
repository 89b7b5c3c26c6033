package dev.p2pchat.registry.service;

import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.ConnectBackResult;
import dev.p2pchat.protocol.RegistryRequest.ConnectBack;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code CONNECT_BACK}: a peer that could not dial another asks the registry, which both can reach, to have the
 * other dial it ({@code DIAL_BACK}). Each request costs the target a dial, so a session may ask only
 * {@link #PER_MINUTE} times a minute: enough for a room full of unreachable members, too few to make one peer
 * dial a stranger's address in a loop.
 */
final class DialBacks {
    private static final Logger LOG = LoggerFactory.getLogger(DialBacks.class);
    static final int PER_MINUTE = 20;

    private final PeerAsks asks;

    DialBacks(SessionRegistry sessions, RegistryStore store, Clock clock, Cluster cluster) {
        this.asks = new PeerAsks("dial-back requests", PER_MINUTE, DialBacks::result, sessions, store, clock,
                cluster);
    }

    Frame ask(Session asker, ConnectBack request) {
        String target = request.username();
        Frame refused = asks.refuse(asker, target, "you cannot ask yourself to dial you");
        if (refused != null) {
            return refused;
        }
        RegistryPush.DialBack push = new RegistryPush.DialBack(asker.peerInfo());
        if (asks.push(target, push)) {
            LOG.debug("{} asked {} to dial back", asker.username(), target);
            return result(Status.SUCCESS, target, null);
        }
        return asks.unreached(target);
    }

    void prune() {
        asks.prune();
    }

    private static Frame result(Status status, String target, String reason) {
        return new ConnectBackResult(status, target, reason).toFrame();
    }
}
