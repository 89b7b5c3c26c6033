package dev.p2pchat.registry.session;

/** What {@link SessionRegistry#login} and {@link SessionRegistry#resume} did. */
public sealed interface AuthOutcome {

    /** The connection now holds {@code session}; {@code restoredRoom} is the room it is in after a RESUME, or null. */
    record Authenticated(Session session, String restoredRoom) implements AuthOutcome {
    }

    /** The user is online on another live connection. */
    record AlreadyOnline() implements AuthOutcome {
    }

    /** The token belonged to a session that was logged out or expired. */
    record TokenRevoked() implements AuthOutcome {
    }
}
