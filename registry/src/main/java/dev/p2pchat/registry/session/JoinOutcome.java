package dev.p2pchat.registry.session;

/** What {@link SessionRegistry#join} did. */
public enum JoinOutcome {
    JOINED,
    ALREADY_IN_THIS_ROOM,
    /** The session is in as many rooms as one may be in at once. */
    TOO_MANY_ROOMS,
    FULL,
    SESSION_ENDED
}
