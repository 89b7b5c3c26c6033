package dev.p2pchat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Optional;

import dev.p2pchat.registry.DurationConverter;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The peer's duration flags read exactly what the registry's do (one syntax for the whole program). */
class DurationsTest {

    @Test
    void unitsAndBareSecondsAndIso() {
        assertThat(Durations.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(Durations.parse("10s")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("10")).isEqualTo(Duration.ofSeconds(10));
        assertThat(Durations.parse("2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(Durations.parse("1h")).isEqualTo(Duration.ofHours(1));
        assertThat(Durations.parse("1d")).isEqualTo(Duration.ofDays(1));
        assertThat(Durations.parse(" 3 S ")).isEqualTo(Duration.ofSeconds(3));
        assertThat(Durations.parse("pt1m30s")).isEqualTo(Duration.ofSeconds(90));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "soon", "-5s", "PT-5S", "5 minutes", "1.5s", "5y"})
    void nonsenseIsRefusedWithAnExample(String text) {
        assertThatThrownBy(() -> Durations.parse(text)).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessage("'" + text + "' is not a duration; write e.g. 500ms, 4s, 2m or 1h");
    }

    @Test
    void aPeerFlagMustNotBeZero() {
        assertThat(Durations.parse("0s")).isZero();
        assertThatThrownBy(() -> new Durations().convert("0s")).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("positive");
    }

    @ParameterizedTest
    @ValueSource(strings = {"500ms", "4s", "2m", "1h", "1d", "30", "0", " 7 m ", "PT30S", "pt0.5s", "P1D", "P1DT2H",
            "", "x", "-1s", "PT-1S", "1.5s", "999999999999s", "9999999999999s", "1 ms", "MS", "10M", "۱۲s"})
    void agreesWithTheRegistry(String text) {
        assertThat(outcome(() -> Durations.parse(text))).isEqualTo(outcome(() -> DurationConverter.parse(text)));
    }

    @Property(tries = 2000)
    void agreesWithTheRegistryOnAnyDurationLikeText(@ForAll("durationLike") String text) {
        assertThat(outcome(() -> Durations.parse(text))).isEqualTo(outcome(() -> DurationConverter.parse(text)));
    }

    @Provide
    Arbitrary<String> durationLike() {
        return Arbitraries.strings().withChars("0123456789 msdhPTpt.-SMHD").ofMaxLength(14);
    }

    /** The duration, or the refusal's message. */
    private static Object outcome(java.util.function.Supplier<Duration> parse) {
        try {
            return Optional.of(parse.get());
        } catch (RuntimeException e) {
            return e.getClass().getSimpleName() + ": " + e.getMessage();
        }
    }
}
