package dev.p2pchat.registry.session;

/** What {@link SessionRegistry#join} did. */
public enum JoinOutcome {
    JOINED,
    ALREADY_IN_THIS_ROOM,
    IN_ANOTHER_ROOM,
    FULL,
    SESSION_ENDED
}
