package dev.p2pchat.cli.command;

/** Where typed text goes: a private chat with one user, or a room. */
public sealed interface Conversation {

    String name();

    record Direct(String name) implements Conversation {
        public Direct {
            InputChecks.requireName(name);
        }
    }

    record Room(String name) implements Conversation {
        public Room {
            InputChecks.requireName(name);
        }
    }
}
