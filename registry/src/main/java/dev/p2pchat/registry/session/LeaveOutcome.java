package dev.p2pchat.registry.session;

/** What {@link SessionRegistry#leave} did; {@code room} is the room the user was in (null if none). */
public record LeaveOutcome(Kind kind, String room) {

    public enum Kind {
        LEFT,
        NOT_IN_A_ROOM,
        NOT_IN_THAT_ROOM,
        SESSION_ENDED
    }
}
