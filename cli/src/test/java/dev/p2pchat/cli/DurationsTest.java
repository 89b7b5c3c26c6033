package dev.p2pchat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

/** The peer's duration flags: the program's one syntax, and never zero. */
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
}
