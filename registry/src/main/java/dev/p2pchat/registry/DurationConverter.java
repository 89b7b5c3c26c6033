package dev.p2pchat.registry;

import dev.p2pchat.protocol.DurationText;
import java.time.Duration;
import picocli.CommandLine;

/** picocli's reader for duration flags, in the syntax of {@link DurationText}; negative durations are refused. */
public final class DurationConverter implements CommandLine.ITypeConverter<Duration> {

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    public static Duration parse(String value) {
        try {
            return DurationText.parse(value);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.TypeConversionException(e.getMessage());
        }
    }

    public static String format(Duration duration) {
        return DurationText.format(duration);
    }
}
