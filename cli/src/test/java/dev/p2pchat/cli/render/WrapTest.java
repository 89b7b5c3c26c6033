package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.jline.utils.AttributedString;
import org.junit.jupiter.api.Test;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.StringLength;
import net.jqwik.api.constraints.Chars;

class WrapTest {

    private static List<String> wrap(String text, int first, int rest) {
        return Wrap.lines(text, first, rest).stream().map(l -> text.substring(l.start(), l.end())).toList();
    }

    @Test
    void shortTextIsOneLine() {
        assertThat(wrap("hello world", 20, 20)).containsExactly("hello world");
        assertThat(wrap("", 20, 20)).containsExactly("");
        assertThat(wrap("no limit at all", 0, 0)).containsExactly("no limit at all");
    }

    @Test
    void longTextBreaksAtTheLastBlankThatFits() {
        assertThat(wrap("the quick brown fox jumps over the lazy dog", 10, 15))
                .containsExactly("the quick", "brown fox jumps", "over the lazy", "dog");
    }

    @Test
    void theBlanksABreakFallsOnAreDropped() {
        assertThat(wrap("aaaa     bbbb", 6, 6)).containsExactly("aaaa", "bbbb");
    }

    @Test
    void aWordLongerThanALineIsCut() {
        assertThat(wrap("see https://example.org/a/very/long/path ok", 10, 10))
                .containsExactly("see", "https://ex", "ample.org/", "a/very/lon", "g/path ok");
    }

    @Test
    void newlinesAlwaysBreakAndKeepTheIndentAfterThem() {
        assertThat(wrap("one\n  two\n", 20, 20)).containsExactly("one", "  two", "");
    }

    @Test
    void wideCharactersTakeTwoColumns() {
        // Five CJK characters are ten columns.
        assertThat(wrap("日本語のテキスト", 6, 6)).containsExactly("日本語", "のテキ", "スト");
        assertThat(wrap("ab 🙂🙂 cd", 5, 5)).containsExactly("ab", "🙂🙂", "cd");
    }

    @Test
    void combiningMarksStayWithTheirLetter() {
        String e = "e\u0301"; // é as e + combining acute: one column
        assertThat(wrap(e.repeat(6), 3, 3)).containsExactly(e.repeat(3), e.repeat(3));
    }

    @Test
    void aCharacterWiderThanTheLineStillTakesOne() {
        assertThat(wrap("日日", 1, 1)).containsExactly("日", "日");
    }

    @Property(tries = 300)
    void everyLineFitsAndNoTextIsLostButBlanks(@ForAll @StringLength(max = 120) @Chars({'a', 'b', ' ', '日', '\u0301', '\n', 'x'}) String text,
                                              @ForAll @IntRange(min = 2, max = 30) int first,
                                              @ForAll @IntRange(min = 2, max = 30) int rest) {
        List<String> lines = wrap(text, first, rest);
        for (int i = 0; i < lines.size(); i++) {
            assertThat(new AttributedString(lines.get(i)).columnLength()).isLessThanOrEqualTo(i == 0 ? first : rest);
        }
        assertThat(String.join("", lines).replace(" ", "")).isEqualTo(text.replace(" ", "").replace("\n", ""));
    }
}
