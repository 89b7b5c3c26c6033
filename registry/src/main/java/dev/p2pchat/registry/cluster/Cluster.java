package dev.p2pchat.registry.cluster;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.registry.session.Endpoint;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What the registry's service asks of the other nodes serving the same community: whether a user may log in here
 * (one session per user across all nodes), and who is online there. A registry of its own uses {@link #NONE},
 * which answers at once without I/O, so the single-node path stays as it was.
 */
public interface Cluster extends AutoCloseable {

    /** A registry of its own: every user is local, nothing is shared. */
    Cluster NONE = new Cluster() {
    };

    /** The answer of {@link #claim}. */
    enum Claim {
        /** This node holds the user now (or already did: its {@code SessionRegistry} decides). */
        CLAIMED,
        /** Another live node holds a session of the user on an attached connection: the login is refused. */
        ONLINE_ELSEWHERE,
        /** The token was logged out or timed out on some node: it cannot be resumed. */
        TOKEN_REVOKED
    }

    /** The cluster as the metrics see it. */
    record Stats(int peerNodes, int remoteUsers, Duration leaseAge, long eventsReceived, long eventsSent) {
        static final Stats NONE = new Stats(0, 0, Duration.ZERO, 0, 0);
    }

    /**
     * Decides, in one atomic statement, whether this node may hold {@code username}'s session: refused while a
     * live node holds it on an attached connection, unless {@code token} is that session's own (a RESUME moving it
     * here). Blocks for one database round trip; call it before changing any local state.
     */
    default Claim claim(String username, String token, Endpoint endpoint) {
        return Claim.CLAIMED;
    }

    /** {@code username} online on another node, from the local cache. */
    default Optional<RemoteUser> find(String username) {
        return Optional.empty();
    }

    /** Every user online on another node, by name. */
    default List<PeerInfo> peers() {
        return List.of();
    }

    /** The members of {@code roomName} on other nodes, by name. */
    default List<PeerInfo> inRoom(String roomName) {
        return List.of();
    }

    /** Member counts on other nodes, by folded room name. */
    default Map<String, Integer> memberCounts() {
        return Map.of();
    }

    /** Changes whenever a count of {@link #memberCounts()} may have changed. */
    default long membershipVersion() {
        return 0;
    }

    /** Hands {@code push} to the node holding {@code username}; false when no other node does. */
    default boolean pushElsewhere(String username, RegistryPush push) {
        return false;
    }

    /** Tells the other nodes that {@code roomName} is now in the store. */
    default void roomCreated(String roomName) {
    }

    /** {@code listener} hears the name of each room another node created (it is in the store by then). */
    default void onRoomCreated(java.util.function.Consumer<String> listener) {
    }

    default Stats stats() {
        return Stats.NONE;
    }

    @Override
    default void close() {
    }
}
