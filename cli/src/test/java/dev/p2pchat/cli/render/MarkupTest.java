package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import dev.p2pchat.cli.render.Span.Code;
import dev.p2pchat.cli.render.Span.Emphasis;
import dev.p2pchat.cli.render.Span.Link;
import dev.p2pchat.cli.render.Span.Plain;
import dev.p2pchat.cli.render.Span.Styled;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MarkupTest {

    private static final AttributedStyle BASE = AttributedStyle.DEFAULT;

    @Test
    void boldItalicAndStrikeParse() {
        assertThat(Markup.parse("a *b* _c_ ~d~")).containsExactly(
                new Plain("a "), new Styled(Emphasis.BOLD, List.of(new Plain("b"))),
                new Plain(" "), new Styled(Emphasis.ITALIC, List.of(new Plain("c"))),
                new Plain(" "), new Styled(Emphasis.STRIKE, List.of(new Plain("d"))));
    }

    @Test
    void emphasisNests() {
        assertThat(Markup.parse("*bold _both_*")).containsExactly(
                new Styled(Emphasis.BOLD, List.of(new Plain("bold "),
                        new Styled(Emphasis.ITALIC, List.of(new Plain("both"))))));
    }

    @Test
    void emphasisNestsThreeDeep() {
        assertThat(Markup.parse("~_*x*_~")).containsExactly(
                new Styled(Emphasis.STRIKE, List.of(new Styled(Emphasis.ITALIC,
                        List.of(new Styled(Emphasis.BOLD, List.of(new Plain("x"))))))));
    }

    @Test
    void crossingMarkersKeepTheInnerOneLiteral() {
        assertThat(Markup.parse("*a _b* c_")).containsExactly(
                new Styled(Emphasis.BOLD, List.of(new Plain("a _b"))), new Plain(" c_"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"snake_case_name", "2*3*4", "a * b", "*", "**", "lone * star", "x_y", "~",
            "* not bold *", "file_name.txt and_more", "5*x* and *y*z"})
    void markersInsideWordsOrUnpairedStayLiteral(String text) {
        assertThat(Markup.parse(text)).containsExactly(new Plain(text));
    }

    @Test
    void markersCountAtPunctuationBoundaries() {
        assertThat(Markup.parse("(*yes*), _ok_!")).containsExactly(
                new Plain("("), new Styled(Emphasis.BOLD, List.of(new Plain("yes"))),
                new Plain("), "), new Styled(Emphasis.ITALIC, List.of(new Plain("ok"))), new Plain("!"));
    }

    @Test
    void codeSuppressesMarkupAndLinks() {
        assertThat(Markup.parse("run `a *b* _c_ https://x.io` now")).containsExactly(
                new Plain("run "), new Code("a *b* _c_ https://x.io"), new Plain(" now"));
    }

    @Test
    void codeCanSitInsideEmphasis() {
        assertThat(Markup.parse("*see `x`*")).containsExactly(
                new Styled(Emphasis.BOLD, List.of(new Plain("see "), new Code("x"))));
    }

    @Test
    void unclosedOrEmptyBackticksAreLiteral() {
        assertThat(Markup.parse("a ` b")).containsExactly(new Plain("a ` b"));
        assertThat(Markup.parse("a `` b")).containsExactly(new Plain("a `` b"));
    }

    @Test
    void markupDoesNotSpanLines() {
        assertThat(Markup.parse("*a\nb*")).containsExactly(new Plain("*a\nb*"));
    }

    @Test
    void detectsHttpHttpsAndWwwUrls() {
        assertThat(Markup.parse("see http://a.io and https://b.io/x?y=1#z or www.c.io")).containsExactly(
                new Plain("see "), new Link("http://a.io", "http://a.io"),
                new Plain(" and "), new Link("https://b.io/x?y=1#z", "https://b.io/x?y=1#z"),
                new Plain(" or "), new Link("www.c.io", "https://www.c.io"));
    }

    @Test
    void urlsExcludeTrailingPunctuation() {
        assertThat(Markup.parse("go to https://a.io/x. Or (https://b.io), then https://c.io!"))
                .filteredOn(Link.class::isInstance)
                .containsExactly(new Link("https://a.io/x", "https://a.io/x"),
                        new Link("https://b.io", "https://b.io"), new Link("https://c.io", "https://c.io"));
    }

    @Test
    void urlsKeepBalancedParentheses() {
        assertThat(Markup.parse("https://en.wikipedia.org/wiki/Foo_(bar)")).containsExactly(
                new Link("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"));
    }

    @Test
    void underscoresInsideUrlsAreNotMarkup() {
        assertThat(Markup.parse("_see https://x.io/a_b_c_")).containsExactly(
                new Styled(Emphasis.ITALIC, List.of(new Plain("see "), new Link("https://x.io/a_b_c", "https://x.io/a_b_c"))));
    }

    @Test
    void closingMarkerAfterAUrlIsMarkupNotPartOfTheUrl() {
        assertThat(Markup.parse("*https://x.io/a*.")).containsExactly(
                new Styled(Emphasis.BOLD, List.of(new Link("https://x.io/a", "https://x.io/a"))), new Plain("."));
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://", "www.", "awww.x.io", "xhttp://a.io", "HTTPS:/x"})
    void incompleteOrEmbeddedUrlPrefixesAreText(String text) {
        assertThat(Markup.parse(text)).containsExactly(new Plain(text));
    }

    @Test
    void renderRemovesMarkersAndStyles() {
        AttributedString out = Markup.render("a *b* _c_ ~d~ `e`", BASE);
        assertThat(out.toString()).isEqualTo("a b c d e");
        assertThat(out.styleAt(0)).isEqualTo(BASE);
        assertThat(out.styleAt(2)).isEqualTo(BASE.bold());
        assertThat(out.styleAt(4)).isEqualTo(BASE.italic());
        assertThat(out.styleAt(6)).isEqualTo(BASE.crossedOut());
        assertThat(out.styleAt(8)).isNotEqualTo(BASE);
    }

    @Test
    void renderNestedStylesCombine() {
        AttributedString out = Markup.render("*bold _both_*", BASE);
        assertThat(out.toString()).isEqualTo("bold both");
        assertThat(out.styleAt(0)).isEqualTo(BASE.bold());
        assertThat(out.styleAt(5)).isEqualTo(BASE.bold().italic());
    }

    @Test
    void renderBuildsOnTheBaseStyle() {
        AttributedStyle base = AttributedStyle.DEFAULT.foreground(34);
        AttributedString out = Markup.render("*x*", base);
        assertThat(out.styleAt(0)).isEqualTo(base.bold());
    }

    @Test
    void renderUnderlinesLinks() {
        AttributedString out = Markup.render("go www.x.io", BASE);
        assertThat(out.toString()).isEqualTo("go www.x.io");
        assertThat(out.styleAt(3)).isEqualTo(BASE.underline().foreground(75));
    }

    @Test
    void renderSanitizesAgain() {
        assertThat(Markup.render("a\u001B[31mb", BASE).toString()).isEqualTo("ab");
    }

    @Test
    void noColorModeShowsTheSanitizedTextVerbatimAndUnstyled() {
        AttributedString out = Markup.render("*b* `c` https://x.io\u001B[2J", AttributedStyle.BOLD, ColorMode.NO_COLOR);
        assertThat(out.toString()).isEqualTo("*b* `c` https://x.io");
        for (int i = 0; i < out.length(); i++) {
            assertThat(out.styleAt(i)).isEqualTo(AttributedStyle.DEFAULT);
        }
    }

    @Test
    void linkRunsPointAtTheUrlText() {
        RenderedText rendered = Markup.renderWithLinks("*a* www.x.io", BASE, ColorMode.COLOR);
        assertThat(rendered.links()).containsExactly(new RenderedText.LinkRun(2, 10, "https://www.x.io"));
        assertThat(rendered.text().subSequence(2, 10).toString()).isEqualTo("www.x.io");
    }

    @Property(tries = 1000)
    void parseIsLossless(@ForAll("markupish") String text) {
        String source = Markup.parse(text).stream().map(Span::source).reduce("", String::concat);
        assertThat(source).isEqualTo(text);
    }

    @Property(tries = 1000)
    void noColorRenderingIsTheSanitizedInput(@ForAll("markupish") String text) {
        assertThat(Markup.render(text, BASE, ColorMode.NO_COLOR).toString()).isEqualTo(TerminalText.sanitize(text));
    }

    @Provide
    Arbitrary<String> markupish() {
        return Arbitraries.of("*", "_", "~", "`", " ", "a", "bc", "1", "\n", "(", ".", "https://", "www.", "x.io", ")")
                .list().ofMaxSize(20).map(parts -> String.join("", parts));
    }
}
