package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;
import org.junit.jupiter.api.Test;

class RenderedTextTest {

    private static final String ESC = "\u001B";
    private static final TerminalCapabilities LINKS = new TerminalCapabilities(256, true);
    private static final TerminalCapabilities NO_LINKS = new TerminalCapabilities(256, false);

    @Test
    void wrapsUrlsInOsc8WhenHyperlinksAreOn() {
        String ansi = Markup.renderWithLinks("see www.x.io now", AttributedStyle.DEFAULT, ColorMode.NO_COLOR).toAnsi(LINKS);
        assertThat(ansi).isEqualTo("see " + ESC + "]8;;https://www.x.io" + ESC + "\\www.x.io" + ESC + "]8;;" + ESC + "\\ now");
    }

    @Test
    void styledLinkIsResetBeforeTheLinkCloses() {
        String ansi = Markup.renderWithLinks("https://x.io", AttributedStyle.DEFAULT, ColorMode.COLOR).toAnsi(LINKS);
        assertThat(ansi).startsWith(ESC + "]8;;https://x.io" + ESC + "\\" + ESC + "[")
                .endsWith("https://x.io" + ESC + "[0m" + ESC + "]8;;" + ESC + "\\");
    }

    @Test
    void writesNoOsc8WhenHyperlinksAreOff() {
        String ansi = Markup.renderWithLinks("see https://x.io", AttributedStyle.DEFAULT, ColorMode.COLOR).toAnsi(NO_LINKS);
        assertThat(ansi).doesNotContain(ESC + "]").contains("https://x.io");
    }

    @Test
    void linkTargetCannotInjectEscapeSequences() {
        RenderedText forged = new RenderedText(new AttributedString("click"),
                java.util.List.of(new RenderedText.LinkRun(0, 5, "https://x.io/\u001B\\\u001B]0;pwned\u0007 é")));
        String ansi = forged.toAnsi(LINKS);
        assertThat(ansi).isEqualTo(ESC + "]8;;https://x.io/%1B\\%1B]0;pwned%07%20%C3%A9" + ESC + "\\click" + ESC + "]8;;" + ESC + "\\");
    }

    @Test
    void overlongLinkTargetsAreShownWithoutAHyperlink() {
        String url = "https://x.io/" + "a".repeat(Osc8.MAX_URI_LENGTH);
        String ansi = Markup.renderWithLinks(url, AttributedStyle.DEFAULT, ColorMode.NO_COLOR).toAnsi(LINKS);
        assertThat(ansi).isEqualTo(url);
    }

    @Test
    void textWithoutLinksIsPlainJLineAnsi() {
        RenderedText rendered = Markup.renderWithLinks("*hi*", AttributedStyle.DEFAULT, ColorMode.COLOR);
        assertThat(rendered.toAnsi(LINKS)).isEqualTo(rendered.text().toAnsi(256, org.jline.utils.AttributedCharSequence.ForceMode.None));
    }
}
