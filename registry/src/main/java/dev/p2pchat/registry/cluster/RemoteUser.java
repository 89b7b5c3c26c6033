package dev.p2pchat.registry.cluster;

import dev.p2pchat.protocol.PeerInfo;
import java.util.List;
import java.util.Objects;

/**
 * A user whose session another node of the cluster holds, as this node last heard of it: {@code peer} is how
 * others reach it (its {@code room} the first of {@code rooms}); {@code seq} orders the claims of the user, so a
 * late event about an older session cannot undo a newer one; {@code certificate} is the one whose SHA-256 is the
 * peer's fingerprint, or null when that node has none (SEARCH_USER hands it out without asking the database).
 */
public record RemoteUser(String node, long seq, PeerInfo peer, List<String> rooms, boolean attached,
                         String certificate) {
    public RemoteUser {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(peer, "peer");
        rooms = List.copyOf(rooms);
    }

    public String username() {
        return peer.username();
    }
}
