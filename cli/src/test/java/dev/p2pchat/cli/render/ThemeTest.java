package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class ThemeTest {

    @Test
    void colorThemeGivesEachRoleADistinctStyle() {
        Theme theme = Theme.of(ColorMode.COLOR);
        List<AttributedStyle> styles = List.of(theme.system(), theme.error(), theme.own(), theme.delivered(),
                theme.failed(), theme.warning(), theme.prompt());
        assertThat(styles).doesNotHaveDuplicates().doesNotContain(AttributedStyle.DEFAULT);
        assertThat(theme.user("bob")).isEqualTo(UserColors.styleFor("bob"));
    }

    @Test
    void noColorThemeStylesNothing() {
        Theme theme = Theme.of(ColorMode.NO_COLOR);
        assertThat(List.of(theme.system(), theme.error(), theme.own(), theme.user("bob"), theme.delivered(),
                theme.failed(), theme.warning(), theme.receipt(), theme.timestamp(), theme.prompt())).containsOnly(AttributedStyle.DEFAULT);
    }

    @Test
    void noColorFollowsTheFlagAndANonEmptyEnvironmentVariable() {
        assertThat(ColorMode.from(false, null)).isEqualTo(ColorMode.COLOR);
        assertThat(ColorMode.from(false, "")).isEqualTo(ColorMode.COLOR);
        assertThat(ColorMode.from(false, "1")).isEqualTo(ColorMode.NO_COLOR);
        assertThat(ColorMode.from(true, null)).isEqualTo(ColorMode.NO_COLOR);
    }
}
