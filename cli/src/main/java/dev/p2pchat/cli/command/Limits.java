package dev.p2pchat.cli.command;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The limits checked locally, before anything is sent, so the user gets a clear message at once.
 * The registry and peers enforce their own; these only need to agree with them.
 */
final class Limits {

    static final int MIN_NAME = 3;
    static final int MAX_NAME = 32;
    static final int MIN_CAPACITY = 2;
    static final int MAX_CAPACITY = 1000;
    static final int MAX_DESCRIPTION = 200;
    static final int MAX_PASSWORD = 256;
    static final int MAX_MESSAGE_BYTES = 4096;

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{" + MIN_NAME + "," + MAX_NAME + "}");

    private Limits() {}

    /** Why {@code name} is not a valid user or room name, or empty if it is. */
    static Optional<String> nameProblem(String name) {
        if (name != null && NAME.matcher(name).matches()) {
            return Optional.empty();
        }
        return Optional.of("invalid name \"" + name + "\": use " + MIN_NAME + "–" + MAX_NAME
                + " letters, digits, '_', '.' or '-'");
    }

    static Optional<String> passwordProblem(String password) {
        if (password.isEmpty()) {
            return Optional.of("the password must not be empty");
        }
        if (password.length() > MAX_PASSWORD) {
            return Optional.of("the password is too long (at most " + MAX_PASSWORD + " characters)");
        }
        return Optional.empty();
    }

    static Optional<String> messageProblem(String text) {
        if (text.isBlank()) {
            return Optional.of("the message is empty");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_MESSAGE_BYTES) {
            return Optional.of("the message is too long: " + bytes + " bytes, at most " + MAX_MESSAGE_BYTES + " allowed");
        }
        return Optional.empty();
    }

    static Optional<String> capacityProblem(int capacity) {
        return capacity >= MIN_CAPACITY && capacity <= MAX_CAPACITY
                ? Optional.empty()
                : Optional.of(capacityRule());
    }

    static String capacityRule() {
        return "the capacity must be a whole number from " + MIN_CAPACITY + " to " + MAX_CAPACITY;
    }

    static Optional<String> descriptionProblem(String description) {
        if (description.isBlank()) {
            return Optional.of("the description must not be empty");
        }
        int length = description.codePointCount(0, description.length());
        if (length > MAX_DESCRIPTION) {
            return Optional.of("the description is too long: " + length + " characters, at most " + MAX_DESCRIPTION + " allowed");
        }
        return Optional.empty();
    }

    static void requireName(String name) {
        nameProblem(name).ifPresent(Limits::fail);
    }

    static void require(Optional<String> problem) {
        problem.ifPresent(Limits::fail);
    }

    private static void fail(String problem) {
        throw new IllegalArgumentException(problem);
    }
}
