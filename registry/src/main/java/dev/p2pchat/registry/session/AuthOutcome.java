package dev.p2pchat.registry.session;

import java.util.List;

/** What {@link SessionRegistry#login} and {@link SessionRegistry#resume} did. */
public sealed interface AuthOutcome {

    /** The connection now holds {@code session}; {@code restoredRooms} are the rooms it is in after a RESUME. */
    record Authenticated(Session session, List<String> restoredRooms) implements AuthOutcome {
        public Authenticated {
            restoredRooms = List.copyOf(restoredRooms);
        }

        /** At most one restored room (null: none). */
        public Authenticated(Session session, String restoredRoom) {
            this(session, restoredRoom == null ? List.of() : List.of(restoredRoom));
        }

        /** The first restored room, or null: the design document's one {@code restored} room. */
        public String restoredRoom() {
            return restoredRooms.isEmpty() ? null : restoredRooms.getFirst();
        }
    }

    /** The user is online on another live connection. */
    record AlreadyOnline() implements AuthOutcome {
    }

    /** The token belonged to a session that was logged out or expired. */
    record TokenRevoked() implements AuthOutcome {
    }
}
