package dev.p2pchat.cli;

import dev.p2pchat.protocol.DurationText;
import java.time.Duration;

import picocli.CommandLine;

/**
 * Reads the peer's duration flags in the program's one syntax ({@link DurationText}: {@code 500ms}, {@code 4s},
 * {@code 2m}, {@code 1h}, {@code 1d}, bare seconds, ISO-8601). Zero is refused too, since every duration flag of
 * the peer is a timeout or a window.
 */
public final class Durations implements CommandLine.ITypeConverter<Duration> {

    /** The duration {@code value} names, zero included; a {@link CommandLine.TypeConversionException} if none. */
    public static Duration parse(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
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
