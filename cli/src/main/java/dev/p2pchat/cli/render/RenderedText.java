package dev.p2pchat.cli.render;

import java.util.List;
import java.util.Objects;

import org.jline.utils.AttributedCharSequence.ForceMode;
import org.jline.utils.AttributedString;

/**
 * Styled message text plus where its links are. JLine 3.30's {@link AttributedString} has no
 * hyperlink attribute, so the links travel beside it and {@link #toAnsi} splices OSC 8 around them.
 *
 * @param text  the styled text, safe to print ({@code LineReader.printAbove(AttributedString)})
 * @param links link runs in {@code text}, in order, not overlapping
 */
public record RenderedText(AttributedString text, List<LinkRun> links) {

    /** Characters {@code [start, end)} of the text link to {@code target}. */
    public record LinkRun(int start, int end, String target) {
        public LinkRun {
            Objects.requireNonNull(target, "target");
            if (start < 0 || end < start) {
                throw new IllegalArgumentException("bad run [" + start + ", " + end + ")");
            }
        }
    }

    public RenderedText {
        Objects.requireNonNull(text, "text");
        links = List.copyOf(links);
        int previousEnd = 0;
        for (LinkRun link : links) {
            if (link.start() < previousEnd || link.end() > text.length()) {
                throw new IllegalArgumentException("link runs must be ordered and inside the text: " + links);
            }
            previousEnd = link.end();
        }
    }

    /** Characters {@code [start, end)} of the text, with the parts of links that fall inside them. */
    public RenderedText slice(int start, int end) {
        java.util.List<LinkRun> inside = new java.util.ArrayList<>();
        for (LinkRun link : links) {
            int from = Math.max(start, link.start());
            int to = Math.min(end, link.end());
            if (from < to) {
                inside.add(new LinkRun(from - start, to - start, link.target()));
            }
        }
        return new RenderedText(text.subSequence(start, end), inside);
    }

    /**
     * The text as ANSI for a terminal with {@code capabilities}, for {@code LineReader.printAbove(String)}.
     * With hyperlinks on, each link run is wrapped in OSC 8 with a percent-encoded target; the style of
     * each piece is reset at its end, so no SGR state leaks across the OSC 8 boundaries.
     */
    public String toAnsi(TerminalCapabilities capabilities) {
        int colors = capabilities.colors();
        if (!capabilities.hyperlinks() || links.isEmpty()) {
            return text.toAnsi(colors, ForceMode.None);
        }
        StringBuilder out = new StringBuilder();
        int position = 0;
        for (LinkRun link : links) {
            out.append(text.subSequence(position, link.start()).toAnsi(colors, ForceMode.None));
            String label = text.subSequence(link.start(), link.end()).toAnsi(colors, ForceMode.None);
            String uri = Osc8.safeUri(link.target());
            if (uri.length() <= Osc8.MAX_URI_LENGTH) {
                out.append(Osc8.open(uri)).append(label).append(Osc8.close());
            } else {
                out.append(label);
            }
            position = link.end();
        }
        out.append(text.subSequence(position, text.length()).toAnsi(colors, ForceMode.None));
        return out.toString();
    }
}
