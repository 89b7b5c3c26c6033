package dev.p2pchat.cli.command;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Names;

/**
 * Checks typed input against the protocol's own rules ({@link Names}, {@link Limits}) before anything is
 * sent, and words the verdict for the user. It states no limit of its own: when the contract changes,
 * the client follows. The only rules added here are about typing (a blank message or an empty flag value
 * is a slip, not something to send).
 */
final class InputChecks {

    private InputChecks() {}

    /** Why {@code name} is not a valid user or room name, or empty if it is; {@code what} is e.g. "room name". */
    static Optional<String> nameProblem(String what, String name) {
        String label = name == null || name.isEmpty() ? "the " + what : "the " + what + " \"" + name + "\"";
        return Optional.ofNullable(Names.problemWithName(label, name));
    }

    static Optional<String> passwordProblem(String password) {
        // Only a digest of the password travels, so the protocol sets no length; an empty one is refused by the peer.
        return password.isEmpty() ? Optional.of("the password must not be empty") : Optional.empty();
    }

    static Optional<String> messageProblem(String text) {
        if (text.isBlank()) {
            return Optional.of("the message is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Limits.MAX_MESSAGE_TEXT_BYTES) {
            return Optional.of("the message is too long: " + bytes + " bytes, at most "
                    + Limits.MAX_MESSAGE_TEXT_BYTES + " allowed");
        }
        return Optional.empty();
    }

    static Optional<String> capacityProblem(int capacity) {
        return Names.problemWithCapacity(capacity) == null ? Optional.empty() : Optional.of(capacityRule());
    }

    static String capacityRule() {
        return "the capacity must be a whole number from " + Names.MIN_CAPACITY + " to " + Names.MAX_CAPACITY;
    }

    static Optional<String> descriptionProblem(String description) {
        if (description.isBlank()) {
            return Optional.of("the description must not be empty");
        }
        String problem = Names.problemWithDescription(description);
        if (problem == null) {
            return Optional.empty();
        }
        // Counted the way the registry counts it (UTF-16 chars), so what passes here passes there.
        return Optional.of(description.length() > Names.MAX_DESCRIPTION_CHARS
                ? "the description is too long: " + description.length() + " characters, at most "
                        + Names.MAX_DESCRIPTION_CHARS + " allowed"
                : "the " + problem);
    }

    static void requireName(String name) {
        nameProblem("name", name).ifPresent(InputChecks::fail);
    }

    static void require(Optional<String> problem) {
        problem.ifPresent(InputChecks::fail);
    }

    private static void fail(String problem) {
        throw new IllegalArgumentException(problem);
    }
}
