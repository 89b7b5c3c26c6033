package dev.p2pchat.registry.service;

import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Reasons;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.ConnectBackResult;
import dev.p2pchat.protocol.RegistryRequest.ConnectBack;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.limit.SlidingWindowLimiter;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import java.time.Clock;
import java.time.Duration;
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

    private final SessionRegistry sessions;
    private final RegistryStore store;
    private final SlidingWindowLimiter asksBySession;
    private final Cluster cluster;

    DialBacks(SessionRegistry sessions, RegistryStore store, Clock clock, Cluster cluster) {
        this.sessions = sessions;
        this.cluster = cluster;
        this.store = store;
        this.asksBySession = new SlidingWindowLimiter(PER_MINUTE, Duration.ofMinutes(1), clock);
    }

    Frame ask(Session asker, ConnectBack request) {
        String target = request.username();
        if (SessionRegistry.fold(target).equals(SessionRegistry.fold(asker.username()))) {
            return result(Status.WRONG_STATE, target, "you cannot ask yourself to dial you");
        }
        // Keyed by the session's token, not the name: a new login starts afresh, a reconnect (RESUME) does not.
        String key = asker.token();
        Duration wait = asksBySession.blockedFor(key);
        if (!wait.isZero()) {
            return result(Status.RATE_LIMITED, target, "more than " + PER_MINUTE
                    + " dial-back requests in a minute; try again in " + Math.max(1, (wait.toMillis() + 999) / 1000)
                    + " s");
        }
        asksBySession.record(key);
        RegistryPush.DialBack push = new RegistryPush.DialBack(asker.peerInfo());
        // A user on another node of a cluster is asked by that node, which the push reaches through the database.
        if (sessions.pushTo(target, push) || cluster.pushElsewhere(target, push)) {
            LOG.debug("{} asked {} to dial back", asker.username(), target);
            return result(Status.SUCCESS, target, null);
        }
        if (store.findAccount(target).isEmpty()) {
            return result(Status.NOT_FOUND, target, "no user named " + Reasons.quote(target));
        }
        return result(Status.NOT_ONLINE, target, Reasons.quote(target) + " is not online");
    }

    void prune() {
        asksBySession.prune();
    }

    private static Frame result(Status status, String target, String reason) {
        return new ConnectBackResult(status, target, reason).toFrame();
    }
}
