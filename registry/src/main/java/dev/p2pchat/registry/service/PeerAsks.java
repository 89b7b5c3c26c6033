package dev.p2pchat.registry.service;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.Reasons;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.registry.cluster.RemoteUser;
import dev.p2pchat.registry.limit.SlidingWindowLimiter;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * The steps shared by the requests in which one user's peer has the registry ask another user's peer to do
 * something ({@link DialBacks}, {@link Punches}, {@link Relays}): refusing to ask yourself, a per-session rate
 * limit, finding or pushing to the target on this node or another of the cluster, and the answer when it is
 * reached nowhere. Each request keeps its own push and answer; this class never decides what is sent, only where.
 */
final class PeerAsks {

    /** How a request answers: its own result message, built from a status and a reason. */
    @FunctionalInterface
    interface Answer {
        Frame of(Status status, String target, String reason);
    }

    private final String requests;
    private final int perMinute;
    private final Answer answer;
    private final SessionRegistry sessions;
    private final RegistryStore store;
    private final Cluster cluster;
    private final SlidingWindowLimiter asksBySession;

    /** @param requests what the asks are called in the rate-limit reason, e.g. {@code "relay requests"} */
    PeerAsks(String requests, int perMinute, Answer answer, SessionRegistry sessions, RegistryStore store,
             Clock clock, Cluster cluster) {
        this.requests = requests;
        this.perMinute = perMinute;
        this.answer = answer;
        this.sessions = sessions;
        this.store = store;
        this.cluster = cluster;
        this.asksBySession = new SlidingWindowLimiter(perMinute, Duration.ofMinutes(1), clock);
    }

    static boolean isSelf(Session asker, String target) {
        return SessionRegistry.fold(target).equals(SessionRegistry.fold(asker.username()));
    }

    /**
     * Refuses an ask of the asker's own peer, then counts the ask as {@link #refuseTooMany} does.
     *
     * @param selfReason the {@code WRONG_STATE} reason for asking yourself
     * @return the refusal, or null when the ask may go ahead (it is then counted)
     */
    Frame refuse(Session asker, String target, String selfReason) {
        if (isSelf(asker, target)) {
            return answer.of(Status.WRONG_STATE, target, selfReason);
        }
        return refuseTooMany(asker, target);
    }

    /**
     * Counts the ask against the asker's session, or refuses it when the session has asked too often.
     *
     * @return the {@code RATE_LIMITED} answer, or null when the ask may go ahead (it is then counted)
     */
    Frame refuseTooMany(Session asker, String target) {
        // Keyed by the session's token, not the name: a new login starts afresh, a reconnect (RESUME) does not.
        String key = asker.token();
        Duration wait = asksBySession.blockedFor(key);
        if (!wait.isZero()) {
            return answer.of(Status.RATE_LIMITED, target, "more than " + perMinute + " " + requests
                    + " in a minute; try again in " + Math.max(1, (wait.toMillis() + 999) / 1000) + " s");
        }
        asksBySession.record(key);
        return null;
    }

    /** The target's peer as its live session on this node or another node of the cluster last announced it. */
    Optional<PeerInfo> find(String target) {
        return sessions.find(target).filter(s -> !s.isEnded()).map(Session::peerInfo)
                .or(() -> cluster.find(target).map(RemoteUser::peer));
    }

    /** True if the target is logged in here and the push is queued for it. */
    boolean pushHere(String target, RegistryPush push) {
        return sessions.pushTo(target, push);
    }

    /** True if the target is logged in at another node of the cluster, which the push reaches through the database. */
    boolean pushElsewhere(String target, RegistryPush push) {
        return cluster.pushElsewhere(target, push);
    }

    /** True if the push is queued for the target on this node or another. */
    boolean push(String target, RegistryPush push) {
        return pushHere(target, push) || pushElsewhere(target, push);
    }

    /** The answer for a target reached nowhere: no such user, or not online. */
    Frame unreached(String target) {
        if (store.findAccount(target).isEmpty()) {
            return answer.of(Status.NOT_FOUND, target, "no user named " + Reasons.quote(target));
        }
        return answer.of(Status.NOT_ONLINE, target, Reasons.quote(target) + " is not online");
    }

    void prune() {
        asksBySession.prune();
    }
}
