package dev.p2pchat.registry;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;

/**
 * Reads a duration flag the way people write one: {@code 500ms}, {@code 4s}, {@code 2m}, {@code 1h}; a bare number
 * means seconds. ISO-8601 ({@code PT30S}) is accepted too. Negative durations are refused.
 */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {
    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        String text = value == null ? "" : value.trim().toLowerCase(Locale.ROOT);
        Matcher m = SIMPLE.matcher(text);
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
        if (text.startsWith("pt") || text.startsWith("p")) {
            try {
                Duration iso = Duration.parse(text.toUpperCase(Locale.ROOT));
                if (!iso.isNegative()) {
                    return iso;
                }
            } catch (java.time.format.DateTimeParseException ignored) {
                // fall through to the error below
            }
        }
        throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration; write e.g. 500ms, 4s, 2m or 1h");
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
