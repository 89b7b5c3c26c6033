package dev.p2pchat.cli.render;

import java.util.ArrayList;
import java.util.List;

import org.jline.utils.WCWidth;

/**
 * Where a message's text breaks into screen lines: at word boundaries (blanks), a word longer than a line
 * cut where it must, a '\n' always. Widths are terminal columns, not chars: a CJK character or an emoji
 * takes two, a combining mark none (it stays with its base character), so the lines really fit.
 * Pure: the caller puts the head (time, name) before the first line and the indent before the others.
 */
public final class Wrap {

    /** Characters {@code [start, end)} of the text form one screen line (blanks at the break left out). */
    public record Line(int start, int end) {}

    private Wrap() {}

    /**
     * @param firstWidth columns left for the text on the first line (after the head)
     * @param restWidth  columns for the text on every further line (after the indent)
     * @return the lines, at least one; a width below 1 means no limit
     */
    public static List<Line> lines(String text, int firstWidth, int restWidth) {
        List<Line> lines = new ArrayList<>();
        int n = text.length();
        int start = 0;
        while (true) {
            int width = lines.isEmpty() ? firstWidth : restWidth;
            int limit = width < 1 ? Integer.MAX_VALUE : width;
            int columns = 0;
            int lastBlank = -1;
            int i = start;
            int end = -1;
            int next = -1;
            while (i < n) {
                int cp = text.codePointAt(i);
                int size = Character.charCount(cp);
                if (cp == '\n') {
                    end = i;
                    next = i + 1;
                    break;
                }
                int w = Math.max(0, WCWidth.wcwidth(cp));
                if (cp == ' ') {
                    lastBlank = i;
                } else if (columns + w > limit) {
                    if (lastBlank > start) {
                        end = lastBlank;
                        next = lastBlank + 1;
                    } else if (i > start) {
                        end = i;
                        next = i;
                    } else {
                        // Not even one character fits: it takes the line alone.
                        end = i + size;
                        next = i + size;
                    }
                    break;
                }
                columns += w;
                i += size;
            }
            if (end < 0) {
                lines.add(new Line(start, trimEnd(text, start, n)));
                return lines;
            }
            lines.add(new Line(start, trimEnd(text, start, end)));
            boolean newline = next == end + 1 && text.charAt(end) == '\n';
            if (!newline) {
                // The blanks a word wrap falls on belong to no line; after a '\n' they are the user's indent.
                while (next < n && text.charAt(next) == ' ') {
                    next++;
                }
                if (next >= n) {
                    return lines;
                }
            }
            start = next;
        }
    }

    private static int trimEnd(String text, int start, int end) {
        while (end > start && text.charAt(end - 1) == ' ') {
            end--;
        }
        return end;
    }
}
