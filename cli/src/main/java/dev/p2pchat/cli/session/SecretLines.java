package dev.p2pchat.cli.session;

import java.util.Locale;
import java.util.Optional;

import dev.p2pchat.cli.command.Command;
import dev.p2pchat.cli.command.CommandParser;

/**
 * Decides which input lines must never be written to the history file: anything that may hold a
 * password. Errs on the side of leaving a line out: every /login and /register line, /create with a
 * {@code --password}, /join with more than a room name, and any line starting with one of those
 * commands that failed to parse (a typo must not leak the password either), except a /create refused for
 * something other than its password. Where the command name ends is decided by
 * {@link CommandParser#commandName}, the parser's own rule, so any whitespace the parser splits at
 * (U+2003 too) is seen here the same way.
 */
public final class SecretLines {

    private SecretLines() {}

    public static boolean mayHoldSecret(String line) {
        if (line == null) {
            return false;
        }
        Optional<String> command = CommandParser.commandName(line);
        if (command.isEmpty()) {
            return false;
        }
        String name = command.get();
        String lower = line.toLowerCase(Locale.ROOT);
        return switch (name) {
            case "/login", "/register" -> true;
            // A /create refused for another reason (--capacity 1) stays, so Up can fix it; one that may have
            // been meant to carry a password (--password, or a typo of it) does not.
            case "/create" -> CommandParser.parse(line) instanceof Command.Create create
                    ? create.password().isPresent() || lower.contains("--password")
                    : lower.contains("--p") || lower.contains(" -p");
            case "/join" -> !(CommandParser.parse(line) instanceof Command.Join join) || join.password().isPresent();
            default -> false;
        };
    }
}
