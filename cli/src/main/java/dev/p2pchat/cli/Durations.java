package dev.p2pchat.cli;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/**
 * Reads a duration flag the way people write one: {@code 500ms}, {@code 4s}, {@code 2m}, {@code 1h}, {@code 1d};
 * a bare number means seconds; ISO-8601 ({@code PT30S}) is accepted too. Negative durations are refused, and so
 * is zero, since every duration flag of the peer is a timeout or a window.
 *
 * <p>The syntax is exactly that of the registry's {@code DurationConverter}, so {@code p2pchat registry} and
 * {@code p2pchat peer} read the same text the same way; the cli cannot depend on the registry, so
 * {@code DurationsTest} holds the two to the same answers.
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

    private static final Pattern SIMPLE = Pattern.compile("(\\d{1,12})\\s*(ms|s|m|h|d)?");

    /** The duration {@code value} names, zero included; a {@link CommandLine.TypeConversionException} if none. */
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
        if (text.startsWith("p")) {
            try {
                Duration iso = Duration.parse(text.toUpperCase(Locale.ROOT));
                if (!iso.isNegative()) {
                    return iso;
                }
            } catch (DateTimeParseException ignored) {
                // fall through to the error below
            }
        }
        throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration; write e.g. 500ms, 4s, 2m or 1h");
    }

    @Override
    public Duration convert(String value) {
        Duration duration = parse(value);
        if (duration.isZero()) {
            throw new CommandLine.TypeConversionException("'" + value + "' is zero; the duration must be positive");
        }
        return duration;
    }
}
