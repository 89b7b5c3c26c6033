package dev.p2pchat.protocol;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one way p2pchat writes durations for people — every command's flags, logs and help:
 * {@code 500ms}, {@code 4s}, {@code 2m}, {@code 1h}, {@code 1d}; a bare number means seconds; ISO-8601
 * ({@code PT30S}) is accepted too. It lives here, the module every other one depends on, so that
 * {@code p2pchat registry}, {@code peer} and {@code bench} read the same text the same way.
 * (On the wire durations travel as milliseconds; see {@code Fields}.)
 */
public final class DurationText {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

    private DurationText() {
    }

    /** The duration {@code text} names, zero included; IllegalArgumentException with an example if none. */
    public static Duration parse(String text) {
        String value = text == null ? "" : text.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(value);
        if (m.matches()) {
            long amount = Long.parseLong(m.group(1));
            String unit = m.group(2) == null ? "s" : m.group(2);
            return switch (unit) {
                case "ms" -> Duration.ofMillis(amount);
                case "s" -> Duration.ofSeconds(amount);
                case "m" -> Duration.ofMinutes(amount);
                case "h" -> Duration.ofHours(amount);
                default -> Duration.ofDays(amount);
            };
        }
        if (value.startsWith("p")) {
            try {
                Duration iso = Duration.parse(value.toUpperCase(Locale.ROOT));
                if (!iso.isNegative()) {
                    return iso;
                }
            } catch (DateTimeParseException ignored) {
                // fall through to the error below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not a duration; write e.g. 500ms, 4s, 2m or 1h");
    }

    /** The inverse, for logs and help: the shortest exact form. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis % 3_600_000 == 0 && millis > 0) {
            return millis / 3_600_000 + "h";
        }
        if (millis % 60_000 == 0 && millis > 0) {
            return millis / 60_000 + "m";
        }
        if (millis % 1000 == 0) {
            return millis / 1000 + "s";
        }
        return millis + "ms";
    }
}
