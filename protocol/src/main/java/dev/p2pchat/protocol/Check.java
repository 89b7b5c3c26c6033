package dev.p2pchat.protocol;

import java.util.Objects;

/** Field checks used by the message records' compact constructors; they throw IllegalArgumentException. */
final class Check {
    private static final int MAX_FIELD_CHARS = 256;

    private Check() {
    }

    static String text(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.length() > MAX_FIELD_CHARS) {
            throw new IllegalArgumentException(field + " is longer than " + MAX_FIELD_CHARS + " characters");
        }
        if (!Syntax.isSingleLine(value)) {
            throw new IllegalArgumentException(field + " must be one line without control characters");
        }
        return value;
    }

    static String optionalText(String field, String value) {
        return value == null ? null : text(field, value);
    }

    static String nonEmpty(String field, String value) {
        if (text(field, value).isEmpty()) {
            throw new IllegalArgumentException(field + " is empty");
        }
        return value;
    }

    /** A SHA-256 digest in lower- or upper-case hex: how passwords and fingerprints travel. */
    static String sha256Hex(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.length() != 64 || !value.chars().allMatch(Check::isHex)) {
            throw new IllegalArgumentException(field + " must be a SHA-256 digest: 64 hex digits");
        }
        return value.toLowerCase(java.util.Locale.ROOT);
    }

    static String optionalSha256Hex(String field, String value) {
        return value == null ? null : sha256Hex(field, value);
    }

    static int port(String field, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(field + " must be between 1 and 65535");
        }
        return port;
    }

    /** Message ids and correlation ids: short, and safe to print and to use as file names. */
    static String id(String field, String value) {
        Objects.requireNonNull(value, field);
        if (value.isEmpty() || value.length() > 64) {
            throw new IllegalArgumentException(field + " must be 1-64 characters");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                throw new IllegalArgumentException(field + " may contain only letters, digits, '-' and '_'");
            }
        }
        return value;
    }

    static Status status(Status status, Status... allowed) {
        Objects.requireNonNull(status, "status");
        for (Status s : allowed) {
            if (s.equals(status)) {
                return status;
            }
        }
        throw new IllegalArgumentException("status " + status + " is not one of " + java.util.Arrays.toString(allowed));
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
