package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import org.jline.utils.Colors;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class UserColorsTest {

    @Test
    void sameNameAlwaysGetsTheSameColor() {
        assertThat(UserColors.styleFor("alice")).isEqualTo(UserColors.styleFor(new String("alice")));
    }

    @Test
    void colorsAreFixedAcrossRunsAndVersions() {
        // FNV-1a("alice") = 0x872213E7 (computed independently), mod 12 = 11: a change here changes every user's colour.
        assertThat(UserColors.colorFor("alice")).isEqualTo(UserColors.PALETTE.get(Integer.remainderUnsigned(0x872213E7, 12)))
                .isEqualTo(178);
        assertThat(UserColors.colorFor("")).isEqualTo(UserColors.PALETTE.get(Integer.remainderUnsigned(0x811C9DC5, 12)));
    }

    @Test
    void namesSpreadOverThePalette() {
        Set<Integer> used = new HashSet<>();
        IntStream.range(0, 200).forEach(i -> used.add(UserColors.colorFor("user" + i)));
        assertThat(used).hasSize(UserColors.PALETTE.size());
    }

    @Test
    void styleIsAForegroundColourOnly() {
        assertThat(UserColors.styleFor("bob")).isEqualTo(AttributedStyle.DEFAULT.foreground(UserColors.colorFor("bob")));
    }

    @Test
    void paletteAvoidsRedGreyAndTheLinkColourEvenOnSixteenColourTerminals() {
        Set<Integer> forbidden16 = Set.of(AttributedStyle.BLACK, AttributedStyle.RED, AttributedStyle.WHITE,
                AttributedStyle.BRIGHT + AttributedStyle.BLACK, AttributedStyle.BRIGHT + AttributedStyle.RED,
                AttributedStyle.BRIGHT + AttributedStyle.WHITE);
        assertThat(UserColors.PALETTE).hasSizeGreaterThanOrEqualTo(12).doesNotHaveDuplicates()
                .doesNotContain(75, 1, 9, 124, 160, 196, 8, 244, 245, 246, 247, 248);
        for (int color : UserColors.PALETTE) {
            assertThat(Colors.roundColor(color, 16)).as("colour %d rounded to 16", color).isNotIn(forbidden16);
        }
    }
}
