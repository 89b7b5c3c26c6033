package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class StyleSpecTest {

    @Test
    void wordsInAnyOrderMakeOneStyle() {
        assertThat(StyleSpec.parse("bold yellow inverse"))
                .isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.YELLOW).bold().inverse());
        assertThat(StyleSpec.parse("  White on BLUE "))
                .isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.WHITE).background(AttributedStyle.BLUE));
        assertThat(StyleSpec.parse("bright-magenta")).isEqualTo(
                AttributedStyle.DEFAULT.foreground(AttributedStyle.BRIGHT + AttributedStyle.MAGENTA));
        assertThat(StyleSpec.parse("208 underline")).isEqualTo(AttributedStyle.DEFAULT.foreground(208).underline());
    }

    @Test
    void anUnknownWordIsNamedWithWhatIsAllowed() {
        assertThatThrownBy(() -> StyleSpec.parse("yelow")).isInstanceOf(StyleSpec.Invalid.class)
                .hasMessageContaining("\"yelow\"").hasMessageContaining("bright-COLOUR");
        assertThatThrownBy(() -> StyleSpec.parse("256")).hasMessageContaining("\"256\"");
        assertThatThrownBy(() -> StyleSpec.parse("white on")).hasMessageContaining("background colour");
        assertThatThrownBy(() -> StyleSpec.parse(" ")).isInstanceOf(StyleSpec.Invalid.class);
    }

    @Test
    void aThemeUsesTheUsersStyleForItsRoleAndTheDefaultsForTheRest() {
        Theme theme = Theme.of(ColorMode.COLOR, Map.of("highlight", "magenta bold"));
        assertThat(theme.highlight()).isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.MAGENTA).bold());
        assertThat(theme.error()).isEqualTo(Theme.of(ColorMode.COLOR).error());
        assertThat(theme.with(Theme.Role.ERROR, "green").error()).isEqualTo(AttributedStyle.DEFAULT.foreground(AttributedStyle.GREEN));
        assertThat(Theme.of(ColorMode.NO_COLOR, Map.of("highlight", "magenta")).highlight()).isEqualTo(AttributedStyle.DEFAULT);
        assertThatThrownBy(() -> Theme.of(ColorMode.COLOR, Map.of("mentions", "red"))).hasMessageContaining("roles: system");
    }
}
