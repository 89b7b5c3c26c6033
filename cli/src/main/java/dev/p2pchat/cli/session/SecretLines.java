package dev.p2pchat.cli.session;

import java.util.Locale;

import dev.p2pchat.cli.command.Command;
import dev.p2pchat.cli.command.CommandParser;

/**
 * Decides which input lines must never be written to the history file: anything that may hold a
 * password. Errs on the side of leaving a line out: every /login and /register line, /create with a
 * {@code --password}, /join with more than a room name, and any line starting with one of those
 * commands that failed to parse (a typo must not leak the password either).
 */
public final class SecretLines {

    private SecretLines() {}

    public static boolean mayHoldSecret(String line) {
        if (line == null) {
            return false;
        }
        String trimmed = line.strip();
        if (!trimmed.startsWith("/") || trimmed.startsWith("//")) {
            return false;
        }
        String name = trimmed.split("\\s+", 2)[0].toLowerCase(Locale.ROOT);
        return switch (name) {
            case "/login", "/register" -> true;
            case "/create" -> !(CommandParser.parse(line) instanceof Command.Create create) || create.password().isPresent()
                    || trimmed.toLowerCase(Locale.ROOT).contains("--password");
            case "/join" -> !(CommandParser.parse(line) instanceof Command.Join join) || join.password().isPresent();
            default -> false;
        };
    }
}
