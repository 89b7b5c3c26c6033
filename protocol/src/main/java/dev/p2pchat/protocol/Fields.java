package dev.p2pchat.protocol;

import java.time.Duration;
import java.time.Instant;

/** Reads typed header values out of a frame, turning every problem into a 400 ProtocolException. */
final class Fields {
    private Fields() {
    }

    static String required(Frame frame, String name) throws ProtocolException {
        String value = frame.header(name);
        if (value == null) {
            throw ProtocolException.badContent(frame.verb() + " needs header " + name);
        }
        return value;
    }

    static String optional(Frame frame, String name) {
        String value = frame.header(name);
        return value == null || value.isEmpty() ? null : value;
    }

    static int integer(Frame frame, String name) throws ProtocolException {
        return parseInt(name, required(frame, name));
    }

    static Integer optionalInteger(Frame frame, String name) throws ProtocolException {
        String value = optional(frame, name);
        return value == null ? null : parseInt(name, value);
    }

    static Instant instant(Frame frame, String name) throws ProtocolException {
        String value = required(frame, name);
        if (value.startsWith("+")) {
            throw ProtocolException.badContent(name + " must be milliseconds since the epoch");
        }
        try {
            return Instant.ofEpochMilli(Long.parseLong(value));
        } catch (NumberFormatException e) {
            throw ProtocolException.badContent(name + " must be milliseconds since the epoch");
        }
    }

    static Instant optionalInstant(Frame frame, String name) throws ProtocolException {
        return frame.header(name) == null ? null : instant(frame, name);
    }

    /** Durations travel as milliseconds. */
    static Duration optionalMillis(Frame frame, String name) throws ProtocolException {
        Integer millis = optionalInteger(frame, name);
        if (millis != null && millis < 0) {
            throw ProtocolException.badContent(name + " must not be negative");
        }
        return millis == null ? null : Duration.ofMillis(millis);
    }

    static String millis(Duration duration) {
        return duration == null ? null : Long.toString(duration.toMillis());
    }

    static String epochMillis(Instant instant) {
        return instant == null ? null : Long.toString(instant.toEpochMilli());
    }

    static String integerOrNull(Integer value) {
        return value == null ? null : value.toString();
    }

    /** A decimal int: digits with an optional leading '-', nothing else. */
    static int parseInt(String name, String value) throws ProtocolException {
        if (value.isEmpty() || value.length() > 11 || value.charAt(0) == '+') {
            throw ProtocolException.badContent(name + " must be a number");
        }
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ProtocolException.badContent(name + " must be a number");
        }
    }

    /** A decimal long of at most 19 digits, not negative: file sizes and offsets. */
    static long nonNegativeLong(Frame frame, String name) throws ProtocolException {
        String value = required(frame, name);
        if (value.isEmpty() || value.length() > 19 || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ProtocolException.badContent(name + " must be a number of bytes");
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw ProtocolException.badContent(name + " must be a number of bytes");
        }
    }

    /** A one-line payload (base64): written with a final LF, which is read back off. */
    static String line(String payload) {
        return payload.endsWith("\n") ? payload.substring(0, payload.length() - 1) : payload;
    }

    /** The optional {@code candidates} header; a malformed one is a 400 saying what is wrong. */
    static java.util.List<Candidate> candidates(Frame frame) throws ProtocolException {
        try {
            return Candidate.parseList(frame.header(HeaderNames.CANDIDATES));
        } catch (IllegalArgumentException e) {
            throw ProtocolException.badContent(frame.verb() + ": " + e.getMessage());
        }
    }

    /** The optional {@code dialable} header (absent, or a word this side does not know: unknown). */
    static Dialable dialable(Frame frame) {
        return Dialable.ofWord(frame.header(HeaderNames.DIALABLE));
    }

    /** An optional header holding one {@link Candidate}; a malformed one is a 400 saying what is wrong. */
    static Candidate optionalCandidate(Frame frame, String name) throws ProtocolException {
        String text = frame.header(name);
        if (text == null) {
            return null;
        }
        try {
            return Candidate.parse(text);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.badContent(frame.verb() + ": " + name + ": " + e.getMessage());
        }
    }

    /** Builds a record, turning a failed compact-constructor check into a 400 for the sender. */
    static <T> T build(Frame frame, Builder<T> builder) throws ProtocolException {
        try {
            return builder.build();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw ProtocolException.badContent(frame.verb() + ": " + e.getMessage());
        }
    }

    @FunctionalInterface
    interface Builder<T> {
        T build() throws ProtocolException;
    }
}
