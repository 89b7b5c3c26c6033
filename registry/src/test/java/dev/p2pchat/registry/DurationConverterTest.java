package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

class DurationConverterTest {
    final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"500ms, 500", "4s, 4000", "2m, 120000", "1h, 3600000", "30, 30000", " 10S , 10000", "PT1.5S, 1500"})
    void readsTheUsualWaysToWriteADuration(String text, long millis) {
        assertThat(converter.convert(text)).isEqualTo(Duration.ofMillis(millis));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "-5s", "5 minutes", "1.5s", "PT-1S"})
    void refusesAnythingElseWithAnExample(String text) {
        assertThatThrownBy(() -> converter.convert(text)).isInstanceOf(CommandLine.TypeConversionException.class)
                .hasMessageContaining("500ms");
    }

    @ParameterizedTest
    @CsvSource({"500, 500ms", "4000, 4s", "120000, 2m", "7200000, 2h", "1500, 1500ms"})
    void formatsTheShortestExactForm(long millis, String text) {
        assertThat(DurationConverter.format(Duration.ofMillis(millis))).isEqualTo(text);
    }
}
