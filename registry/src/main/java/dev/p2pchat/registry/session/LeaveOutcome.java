package dev.p2pchat.registry.session;

/**
 * What {@link SessionRegistry#leave} did; {@code room} is the room left (LEFT), or the one the user is in
 * (NOT_IN_THAT_ROOM, when in exactly one), else null. {@code rooms} are the rooms the user is in afterwards.
 */
public record LeaveOutcome(Kind kind, String room, java.util.List<String> rooms) {

    public LeaveOutcome {
        rooms = java.util.List.copyOf(rooms);
    }

    public LeaveOutcome(Kind kind, String room) {
        this(kind, room, java.util.List.of());
    }

    public enum Kind {
        LEFT,
        NOT_IN_A_ROOM,
        NOT_IN_THAT_ROOM,
        /** No room named, and the user is in several: which one is meant is not guessed. */
        NAME_NEEDED,
        SESSION_ENDED
    }
}
