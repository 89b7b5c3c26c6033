package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class TerminalTextTest {

    private static final String ESC = "\u001B";

    @Test
    void plainTextIsUnchanged() {
        assertThat(TerminalText.sanitize("héllo wörld — 你好 👋")).isEqualTo("héllo wörld — 你好 👋");
    }

    @Test
    void keepsNewlinesAndTurnsTabsIntoSpaces() {
        assertThat(TerminalText.sanitize("a\nb\tc")).isEqualTo("a\nb c");
    }

    @Test
    void removesCsiSequencesWithTheirParameters() {
        assertThat(TerminalText.sanitize("a" + ESC + "[31mred" + ESC + "[0m " + ESC + "[2J" + ESC + "[?25l" + ESC + "[1;2Hz"))
                .isEqualTo("ared z");
    }

    @Test
    void removesOscTerminatedByBel() {
        assertThat(TerminalText.sanitize("a" + ESC + "]0;evil title\u0007b")).isEqualTo("ab");
    }

    @Test
    void removesOscTerminatedByStIncludingAHyperlink() {
        String link = ESC + "]8;;https://evil.example" + ESC + "\\click" + ESC + "]8;;" + ESC + "\\";
        assertThat(TerminalText.sanitize("a" + link + "b")).isEqualTo("aclickb");
    }

    @Test
    void removesDcsSosPmAndApcStrings() {
        assertThat(TerminalText.sanitize("1" + ESC + "Pq#0;2;0;0;0" + ESC + "\\2" + ESC + "Xsos" + ESC + "\\3"
                + ESC + "^pm" + ESC + "\\4" + ESC + "_apc" + ESC + "\\5")).isEqualTo("12345");
    }

    @Test
    void removesTwoByteAndCharsetEscapes() {
        assertThat(TerminalText.sanitize("a" + ESC + "7b" + ESC + "8c" + ESC + "(Bd" + ESC + "#8e" + ESC + "cf"))
                .isEqualTo("abcdef");
    }

    @Test
    void removesEightBitC1FormsWithTheirBodies() {
        assertThat(TerminalText.sanitize("a\u009B31mb\u009D0;title\u0007c\u009D8;;x\u009Cd\u0090dcs\u009Ce\u009Fapc\u009Cf\u0085g"))
                .isEqualTo("abcdefg");
    }

    @Test
    void dropsUnterminatedSequencesToTheEnd() {
        assertThat(TerminalText.sanitize("keep" + ESC + "]0;never ends")).isEqualTo("keep");
        assertThat(TerminalText.sanitize("keep" + ESC + "Pnever ends")).isEqualTo("keep");
        assertThat(TerminalText.sanitize("keep" + ESC + "[12;3")).isEqualTo("keep");
        assertThat(TerminalText.sanitize("keep" + ESC)).isEqualTo("keep");
        assertThat(TerminalText.sanitize("keep\u009B")).isEqualTo("keep");
    }

    @Test
    void anEscapeInsideAStringCancelsItAndStartsANewSequence() {
        assertThat(TerminalText.sanitize(ESC + "]0;title" + ESC + "[1mbold")).isEqualTo("bold");
    }

    @Test
    void removesC0ControlsDelAndCarriageReturns() {
        assertThat(TerminalText.sanitize("a\u0000b\u0007c\bd\re\u007Ff\u000Bg\u000Ch")).isEqualTo("abcdefgh");
    }

    @Test
    void removesBidiOverridesAndIsolates() {
        assertThat(TerminalText.sanitize("a\u202Ab\u202Bc\u202Cd\u202De\u202Ef\u2066g\u2067h\u2068i\u2069j"))
                .isEqualTo("abcdefghij");
    }

    @Test
    void replacesUnpairedSurrogates() {
        assertThat(TerminalText.sanitize("a\uD800b\uDC00")).isEqualTo("a\uFFFDb\uFFFD");
    }

    @Test
    void nullBecomesEmpty() {
        assertThat(TerminalText.sanitize(null)).isEmpty();
    }

    @Property(tries = 2000)
    void outputHasNoControlsButNewline(@ForAll("hostile") String input) {
        String out = TerminalText.sanitize(input);
        assertThat(out.chars().filter(c -> c != '\n' && TerminalText.isDropped((char) c))).isEmpty();
        assertThat(out).doesNotContain(ESC);
    }

    @Property(tries = 2000)
    void sanitizeIsIdempotent(@ForAll("hostile") String input) {
        String once = TerminalText.sanitize(input);
        assertThat(TerminalText.sanitize(once)).isEqualTo(once);
    }

    @Property(tries = 500)
    void arbitraryUnicodeNeverLeaksControls(@ForAll String input) {
        String out = TerminalText.sanitize(input);
        assertThat(out.chars().filter(c -> c != '\n' && TerminalText.isDropped((char) c))).isEmpty();
        assertThat(TerminalText.sanitize(out)).isEqualTo(out);
    }

    @Property(tries = 2000)
    void noInvisibleFormattingCharacterSurvives(@ForAll("invisible") String input) {
        String out = TerminalText.sanitize(input);
        assertThat(out.chars().filter(TerminalTextTest::invisible)).isEmpty();
    }

    @Property(tries = 500)
    void noInvisibleFormattingCharacterSurvivesArbitraryText(@ForAll String input) {
        assertThat(TerminalText.sanitize(input).chars().filter(TerminalTextTest::invisible)).isEmpty();
    }

    @Test
    void bidiMarksSeparatorsAndZeroWidthCharactersAreDropped() {
        assertThat(TerminalText.sanitize("a\u200Eb\u200Fc\u061Cd\u2028e\u2029f\u200Bg\u200Ch\u200Di\u2060j\uFEFFk\u202Al\u2067m"))
                .isEqualTo("abcdefghijklm");
    }

    /** LRM/RLM/ALM, bidi embeddings/overrides/isolates, U+2028/2029, zero-width characters. */
    private static boolean invisible(int c) {
        return c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069)
                || c == 0x2028 || c == 0x2029 || (c >= 0x200B && c <= 0x200D) || c == 0x2060 || c == 0xFEFF;
    }

    @Provide
    Arbitrary<String> invisible() {
        Arbitrary<Character> marks = Arbitraries.of('\u200E', '\u200F', '\u061C', '\u202A', '\u202B', '\u202C', '\u202D',
                '\u202E', '\u2066', '\u2067', '\u2068', '\u2069', '\u2028', '\u2029', '\u200B', '\u200C', '\u200D',
                '\u2060', '\uFEFF', '\u001B', 'a', ' ');
        return Arbitraries.oneOf(marks, Arbitraries.chars().all()).list().ofMaxSize(40)
                .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
    }

    /** Strings dense in the characters that matter: ESC, introducers, terminators, C1, bidi. */
    @Provide
    Arbitrary<String> hostile() {
        Arbitrary<Character> interesting = Arbitraries.of('\u001B', '[', ']', 'P', 'X', '^', '_', '\\', '\u0007',
                '\u009B', '\u009C', '\u009D', '\u0090', '\u0085', '\u0018', '\u001A', '\n', '\t', '\r', ';', '8',
                'm', 'a', ' ', '\u202E', '\u2066', '\u007F', '\uD83D', '\uDC4B');
        return Arbitraries.oneOf(interesting, Arbitraries.chars().all()).list().ofMaxSize(40)
                .map(chars -> chars.stream().map(String::valueOf).reduce("", String::concat));
    }
}
