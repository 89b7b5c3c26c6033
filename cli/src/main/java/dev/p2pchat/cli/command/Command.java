package dev.p2pchat.cli.command;

import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * What the user typed, as data. {@link CommandParser#parse} makes these; a record's constructor
 * rejects values the parser would have refused, so a valid-looking command is a valid one.
 * Records holding a password hide it from {@code toString}, so it never reaches a log.
 */
public sealed interface Command {

    /** A blank line: do nothing. */
    record Empty() implements Command {}

    /** Text for the current conversation. */
    record Say(String text) implements Command {
        public Say {
            InputChecks.require(InputChecks.messageProblem(text));
        }
    }

    /** Input that is not a valid command; {@code message} says why, for the user. */
    record Invalid(String message) implements Command {
        public Invalid {
            Objects.requireNonNull(message, "message");
        }
    }

    /** {@code /register NAME [PASSWORD]}; without a password, the UI asks for it without echo. */
    record Register(String name, Optional<String> password) implements Command {
        public Register {
            InputChecks.requireName(name);
            password.ifPresent(p -> InputChecks.require(InputChecks.passwordProblem(p)));
        }

        @Override
        public String toString() {
            return "Register[name=" + name + ", password=" + masked(password) + "]";
        }
    }

    /** {@code /login NAME [PASSWORD]}; without a password, the UI asks for it without echo. */
    record Login(String name, Optional<String> password) implements Command {
        public Login {
            InputChecks.requireName(name);
            password.ifPresent(p -> InputChecks.require(InputChecks.passwordProblem(p)));
        }

        @Override
        public String toString() {
            return "Login[name=" + name + ", password=" + masked(password) + "]";
        }
    }

    record Logout() implements Command {}

    record Users() implements Command {}

    record Search(String name) implements Command {
        public Search {
            InputChecks.requireName(name);
        }
    }

    /** Request a private chat with {@code name}, or switch to it if it is already open. */
    record Chat(String name) implements Command {
        public Chat {
            InputChecks.requireName(name);
        }
    }

    /** {@code /send NAME FILE}: offers a file to NAME in their open private chat. */
    record SendFile(String name, String file) implements Command {
        public SendFile {
            InputChecks.requireName(name);
            java.util.Objects.requireNonNull(file, "file");
        }
    }

    /** {@code /get NAME [DIR]}: takes NAME's file offer (or resumes it) into DIR, by default the download dir. */
    record GetFile(String name, Optional<String> dir) implements Command {
        public GetFile {
            InputChecks.requireName(name);
            java.util.Objects.requireNonNull(dir, "dir");
        }
    }

    /** {@code /decline NAME}: refuses NAME's file offer; NAME is told. */
    record DeclineFile(String name) implements Command {
        public DeclineFile {
            InputChecks.requireName(name);
        }
    }

    record Accept(String name) implements Command {
        public Accept {
            InputChecks.requireName(name);
        }
    }

    record Reject(String name) implements Command {
        public Reject {
            InputChecks.requireName(name);
        }
    }

    /** Close the open private chat with {@code name}, or with the current conversation's partner if empty. */
    record Close(Optional<String> name) implements Command {
        public Close {
            name.ifPresent(InputChecks::requireName);
        }
    }

    /** List open private chats and the chat requests still waiting for an answer, either way. */
    record Chats() implements Command {}

    /** A private message to {@code name}, without switching to that conversation. */
    record Msg(String name, String text) implements Command {
        public Msg {
            InputChecks.requireName(name);
            InputChecks.require(InputChecks.messageProblem(text));
        }
    }

    record Rooms(boolean detailed) implements Command {}

    record Create(String name, Optional<String> password, OptionalInt capacity, Optional<String> description)
            implements Command {

        /** Capacity of a room created without {@code --capacity}. */
        public static final int DEFAULT_CAPACITY = 50;

        public Create {
            InputChecks.requireName(name);
            password.ifPresent(p -> InputChecks.require(InputChecks.passwordProblem(p)));
            capacity.ifPresent(c -> InputChecks.require(InputChecks.capacityProblem(c)));
            description.ifPresent(d -> InputChecks.require(InputChecks.descriptionProblem(d)));
        }

        @Override
        public String toString() {
            return "Create[name=" + name + ", password=" + masked(password) + ", capacity=" + capacity
                    + ", description=" + description + "]";
        }
    }

    record Join(String name, Optional<String> password) implements Command {
        public Join {
            InputChecks.requireName(name);
            password.ifPresent(p -> InputChecks.require(InputChecks.passwordProblem(p)));
        }

        @Override
        public String toString() {
            return "Join[name=" + name + ", password=" + masked(password) + "]";
        }
    }

    /** {@code /leave [#ROOM]}: leave the current room; a room named must be the current one. */
    record Leave(Optional<String> room) implements Command {
        public Leave {
            room.ifPresent(InputChecks::requireName);
        }

        public Leave() {
            this(Optional.empty());
        }
    }

    /** {@code /me ACTION}: an action in the current conversation, shown as {@code * alice waves}. */
    record Me(String action) implements Command {
        /** What goes on the wire: a peer that does not know actions shows this text as it is. */
        public static final String PREFIX = "/me ";

        public Me {
            InputChecks.require(InputChecks.messageProblem(PREFIX + action));
        }

        /** The message text that carries the action. */
        public String text() {
            return PREFIX + action;
        }
    }

    /** {@code /ignore [NAME]}: drop NAME's messages and refuse their chat requests; without a name, list who is ignored. */
    record Ignore(Optional<String> name) implements Command {
        public Ignore {
            name.ifPresent(InputChecks::requireName);
        }
    }

    record Unignore(String name) implements Command {
        public Unignore {
            InputChecks.requireName(name);
        }
    }

    record Who() implements Command {}

    /** Show the safety number with {@code name}; {@code confirm}: the numbers matched, mark the key verified. */
    record Verify(String name, boolean confirm) implements Command {
        public Verify {
            Objects.requireNonNull(name, "name");
        }
    }

    /** Accept {@code name}'s new key. */
    record Trust(String name) implements Command {
        public Trust {
            Objects.requireNonNull(name, "name");
        }
    }

    /** List the pinned contacts. */
    record Contacts() implements Command {}

    /** Show the last {@code lines} messages of the current conversation (a default when empty). */
    record History(OptionalInt lines) implements Command {
        public History {
            Objects.requireNonNull(lines, "lines");
        }
    }

    /** Search every conversation's history for {@code words}. */
    record Find(String words) implements Command {
        public Find {
            Objects.requireNonNull(words, "words");
        }
    }

    /** Delete the history of {@code target} (the current conversation when empty). */
    record Forget(Optional<Conversation> target) implements Command {
        public Forget {
            Objects.requireNonNull(target, "target");
        }
    }

    /** How the link to {@code name} was opened: direct, LAN, mapped, reversed, relayed ({@code /path bob}). */
    record Path(String name) implements Command {
        public Path {
            InputChecks.requireName(name);
        }
    }

    /** Make {@code target} the current conversation ({@code /switch bob}, {@code /switch #lobby}). */
    record Switch(Conversation target) implements Command {
        public Switch {
            Objects.requireNonNull(target, "target");
        }
    }

    /**
     * {@code /switch N}: show buffer N of the interactive chat (1 is the status buffer). A number of one or two
     * digits is never a user name (names have at least three characters), so it cannot mean a chat.
     */
    record SwitchBuffer(int number) implements Command {
        public SwitchBuffer {
            if (number < 1) {
                throw new IllegalArgumentException("buffer numbers start at 1");
            }
        }
    }

    /** {@code command} is a command name without the slash, lower case, e.g. "join". */
    record Help(Optional<String> command) implements Command {
        public Help {
            Objects.requireNonNull(command, "command");
        }
    }

    record Quit() implements Command {}

    /** {@code /set KEY VALUE}: change a setting of the config file (some at once, the rest at the next start). */
    record Set(String key, String value) implements Command {
        public Set {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(value, "value");
        }
    }

    /** {@code /save}: write the settings (and the ignore list) to the config file. */
    record Save() implements Command {}

    private static String masked(Optional<String> password) {
        return password.isPresent() ? "***" : "none";
    }
}
