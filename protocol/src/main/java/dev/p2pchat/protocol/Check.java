package dev.p2pchat.protocol;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Objects;

/** Field checks used by the message records' compact constructors; they throw IllegalArgumentException. */
final class Check {
    private static final int MAX_FIELD_CHARS = 256;
    private static final Instant MIN_INSTANT = Instant.ofEpochMilli(Long.MIN_VALUE);
    private static final Instant MAX_INSTANT = Instant.ofEpochMilli(Long.MAX_VALUE);
    private static final Duration MAX_DURATION = Duration.ofMillis(Integer.MAX_VALUE);

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

    /** An optional field: an empty value is the same as an absent one (both travel as "no header"), so it reads as null. */
    static String optionalText(String field, String value) {
        return value == null || value.isEmpty() ? null : text(field, value);
    }

    /** A reason is never refused: built from names a client chose, it is made to fit instead (see {@link Reasons}). */
    static String reason(String value) {
        Objects.requireNonNull(value, "reason");
        return Reasons.fit(value);
    }

    static String optionalReason(String value) {
        return value == null || value.isEmpty() ? null : Reasons.fit(value);
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

    static Integer optionalPort(String field, Integer port) {
        return port == null ? null : port(field, port);
    }

    /** Instants travel as epoch milliseconds: finer precision is dropped here so that a record equals its decoding. */
    static Instant instant(String field, Instant value) {
        Objects.requireNonNull(value, field);
        Instant millis = value.truncatedTo(ChronoUnit.MILLIS);
        if (millis.isBefore(MIN_INSTANT) || millis.isAfter(MAX_INSTANT)) {
            throw new IllegalArgumentException(field + " is out of the range of epoch milliseconds");
        }
        return millis;
    }

    static Instant optionalInstant(String field, Instant value) {
        return value == null ? null : instant(field, value);
    }

    /** Durations travel as whole milliseconds in a non-negative 32-bit number (about 24 days at most). */
    static Duration optionalMillis(String field, Duration value) {
        if (value == null) {
            return null;
        }
        if (value.isNegative() || value.compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException(field + " must be between 0 and " + Integer.MAX_VALUE + " ms");
        }
        return value.truncatedTo(ChronoUnit.MILLIS);
    }

    /** A list's {@code total}: absent, or at least the number of rows sent. */
    static void optionalTotal(Integer total, int rows) {
        if (total != null && total < rows) {
            throw new IllegalArgumentException("total must not be less than the " + rows + " rows listed");
        }
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
        if (!isId(value)) {
            throw new IllegalArgumentException(field + " must be 1-64 ASCII letters, digits, '-' and '_'");
        }
        return value;
    }

    static boolean isId(String value) {
        if (value.isEmpty() || value.length() > 64) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
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

    /**
     * An identity certificate: base64 DER, at most {@link Limits#MAX_CERTIFICATE_CHARS} characters, whose SHA-256
     * is {@code fingerprint}, so the certificate a peer hands the registry is the one its TLS server presents.
     */
    static String optionalCertificate(String value, String fingerprint) {
        if (value == null || value.isEmpty()) {
            return null;
        }
        if (value.length() > Limits.MAX_CERTIFICATE_CHARS) {
            throw new IllegalArgumentException("certificate is longer than " + Limits.MAX_CERTIFICATE_CHARS
                    + " characters");
        }
        byte[] der = base64Bytes("certificate", value);
        try {
            String digest = java.util.HexFormat.of().formatHex(
                    java.security.MessageDigest.getInstance("SHA-256").digest(der));
            if (fingerprint != null && !digest.equals(fingerprint)) {
                throw new IllegalArgumentException("certificate does not match the fingerprint");
            }
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-256", e);
        }
        return value;
    }

    /** Standard base64 with padding, nothing else (no line breaks). */
    static byte[] base64Bytes(String field, String value) {
        Objects.requireNonNull(value, field);
        byte[] bytes;
        try {
            bytes = java.util.Base64.getDecoder().decode(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(field + " must be base64", e);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(field + " is empty");
        }
        return bytes;
    }

    private static boolean isHex(int c) {
        return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F';
    }
}
