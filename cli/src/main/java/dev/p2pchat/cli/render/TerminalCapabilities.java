package dev.p2pchat.cli.render;

/**
 * What the terminal that will show {@link RenderedText#toAnsi} output can do.
 *
 * @param colors     colours the terminal supports (JLine's {@code max_colors}: 8, 16, 256, or
 *                   {@link org.jline.utils.AttributedCharSequence#TRUE_COLORS}); 256-colour styles are rounded down
 * @param hyperlinks whether to wrap URLs in OSC 8 hyperlinks; terminals without support ignore OSC 8,
 *                   but some old ones print it, so this is the user's or the terminal probe's choice
 */
public record TerminalCapabilities(int colors, boolean hyperlinks) {

    public TerminalCapabilities {
        if (colors < 0) {
            throw new IllegalArgumentException("colors must not be negative: " + colors);
        }
    }
}
