package dev.p2pchat.registry.session;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What the other nodes of a cluster must learn of one local session after a change: its state as it is now
 * ({@link Online}), or that it ended ({@link Offline}). Built under {@link SessionRegistry}'s lock, so a node
 * publishes its sessions' states in the order they happened. A single registry builds none.
 */
public sealed interface PresenceUpdate {

    /** The session's user, in the account's spelling. */
    String username();

    /** The session's token (secret: never logged, never published; it names the session in the cluster's table). */
    String token();

    /** The session as it is now: where it is reached, the rooms it is in, whether a connection holds it. */
    record Online(String username, String token, Endpoint endpoint, List<String> rooms, boolean attached)
            implements PresenceUpdate {
        public Online {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(endpoint, "endpoint");
            rooms = List.copyOf(rooms);
        }
    }

    /** The session ended: logged out, timed out, or replaced by a new login of the same user. */
    record Offline(String username, String token, Instant tokenExpires, Reason reason) implements PresenceUpdate {
        public Offline {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(token, "token");
            Objects.requireNonNull(tokenExpires, "tokenExpires");
            Objects.requireNonNull(reason, "reason");
        }
    }

    /** Why a session ended: LOGOUT and TIMEOUT revoke its token everywhere; REPLACED hands the user to a new one. */
    enum Reason { LOGOUT, TIMEOUT, REPLACED }
}
