package dev.p2pchat.cli.render;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStyle;

/**
 * Chat markup: {@code *bold*}, {@code _italic_}, {@code ~strike~}, {@code `code`}, and URLs.
 *
 * <p>Rules, chosen so that ordinary text is never mangled:
 * <ul>
 *   <li>An emphasis marker opens only at the start of a word (not after a letter or digit, and not
 *       followed by a space) and closes only at the end of one (not before a letter or digit, and not
 *       after a space); so {@code snake_case_name}, {@code 2*3*4} and a lone {@code *} stay literal.</li>
 *   <li>Markers pair innermost-first and nest properly ({@code *bold _both_*}); a marker left unpaired
 *       is literal text. Empty pairs ({@code **}) are literal.</li>
 *   <li>{@code `code`} runs from a backtick to the next one and holds no markup and no links.</li>
 *   <li>URLs hold no markup either (underscores are common in them); trailing sentence punctuation and
 *       unbalanced closing brackets are not part of the URL.</li>
 *   <li>Markup never spans lines, so one stray marker cannot restyle the rest of a long message.</li>
 * </ul>
 */
public final class Markup {

    /** Links: underlined and blue-ish; 75 is #5fafff, readable on dark and light backgrounds. */
    private static final int LINK_COLOR = 75;
    /** Code: light text on a dark grey chip; both set, so it reads the same on any background. */
    private static final int CODE_FOREGROUND = 252;
    private static final int CODE_BACKGROUND = 236;

    private Markup() {}

    /** Parses {@code text} into spans; lossless, see {@link Span#source()}. */
    public static List<Span> parse(String text) {
        List<Span> spans = new ArrayList<>();
        Iterator<String> lines = Arrays.asList(text.split("\n", -1)).iterator();
        while (lines.hasNext()) {
            parseLine(lines.next()).forEach(span -> add(spans, span));
            if (lines.hasNext()) {
                add(spans, new Span.Plain("\n"));
            }
        }
        return List.copyOf(spans);
    }

    /** Styled rendering of message text; same as {@code render(text, base, ColorMode.COLOR)}. */
    public static AttributedString render(String sanitizedText, AttributedStyle base) {
        return render(sanitizedText, base, ColorMode.COLOR);
    }

    public static AttributedString render(String sanitizedText, AttributedStyle base, ColorMode mode) {
        return renderWithLinks(sanitizedText, base, mode).text();
    }

    /**
     * Renders message text, keeping the link runs for OSC 8 output ({@link RenderedText#toAnsi}).
     * The text is sanitised again first (it is idempotent), so passing unsanitised text is still safe.
     * With {@link ColorMode#COLOR} markers are removed and their text styled on top of {@code base};
     * with {@link ColorMode#NO_COLOR} the result is the sanitised text verbatim, unstyled.
     */
    public static RenderedText renderWithLinks(String sanitizedText, AttributedStyle base, ColorMode mode) {
        AttributedStringBuilder out = new AttributedStringBuilder();
        List<RenderedText.LinkRun> links = new ArrayList<>();
        AttributedStyle style = mode == ColorMode.COLOR ? base : AttributedStyle.DEFAULT;
        emit(parse(TerminalText.sanitize(sanitizedText)), style, mode, out, links);
        return new RenderedText(out.toAttributedString(), links);
    }

    private static void emit(List<Span> spans, AttributedStyle style, ColorMode mode,
                             AttributedStringBuilder out, List<RenderedText.LinkRun> links) {
        boolean styled = mode == ColorMode.COLOR;
        for (Span span : spans) {
            switch (span) {
                case Span.Plain plain -> out.append(plain.text(), style);
                case Span.Code code -> out.append(styled ? code.text() : code.source(),
                        styled ? style.foreground(CODE_FOREGROUND).background(CODE_BACKGROUND) : style);
                case Span.Link link -> {
                    int start = out.length();
                    out.append(link.text(), styled ? style.underline().foreground(LINK_COLOR) : style);
                    links.add(new RenderedText.LinkRun(start, out.length(), link.target()));
                }
                case Span.Styled emphasis when !styled -> {
                    out.append(String.valueOf(emphasis.emphasis().marker()), style);
                    emit(emphasis.children(), style, mode, out, links);
                    out.append(String.valueOf(emphasis.emphasis().marker()), style);
                }
                case Span.Styled emphasis -> emit(emphasis.children(), apply(emphasis.emphasis(), style), mode, out, links);
            }
        }
    }

    private static AttributedStyle apply(Span.Emphasis emphasis, AttributedStyle style) {
        return switch (emphasis) {
            case BOLD -> style.bold();
            case ITALIC -> style.italic();
            case STRIKE -> style.crossedOut();
        };
    }

    /** Code spans and URLs: parsed first, opaque to emphasis. */
    private record Atom(int start, int end, Span span) {}

    private static List<Span> parseLine(String line) {
        int length = line.length();
        Atom[] atomAt = new Atom[length + 1];
        boolean[] insideAtom = new boolean[length];
        for (Atom atom : atoms(line)) {
            atomAt[atom.start()] = atom;
            Arrays.fill(insideAtom, atom.start(), atom.end(), true);
        }
        int[] partner = pairMarkers(line, insideAtom);

        record Frame(Span.Emphasis emphasis, List<Span> children) {}
        Deque<Frame> frames = new ArrayDeque<>();
        frames.push(new Frame(null, new ArrayList<>()));
        StringBuilder text = new StringBuilder();
        int i = 0;
        while (i < length) {
            Atom atom = atomAt[i];
            if (atom != null || partner[i] >= 0) {
                if (!text.isEmpty()) {
                    frames.peek().children().add(new Span.Plain(text.toString()));
                    text.setLength(0);
                }
            }
            if (atom != null) {
                frames.peek().children().add(atom.span());
                i = atom.end();
            } else if (partner[i] > i) {
                frames.push(new Frame(Span.Emphasis.forMarker(line.charAt(i)), new ArrayList<>()));
                i++;
            } else if (partner[i] >= 0) {
                Frame closed = frames.pop();
                frames.peek().children().add(new Span.Styled(closed.emphasis(), closed.children()));
                i++;
            } else {
                text.append(line.charAt(i));
                i++;
            }
        }
        if (!text.isEmpty()) {
            frames.peek().children().add(new Span.Plain(text.toString()));
        }
        return frames.peek().children();
    }

    private static List<Atom> atoms(String line) {
        List<Atom> atoms = new ArrayList<>();
        int gapStart = 0;
        int i = line.indexOf('`');
        while (i >= 0) {
            int close = line.indexOf('`', i + 1);
            if (close < 0) {
                break;
            }
            if (close == i + 1) {
                i = close; // "``": the first backtick is literal, the second may still open
                continue;
            }
            urls(line, gapStart, i, atoms);
            atoms.add(new Atom(i, close + 1, new Span.Code(line.substring(i + 1, close))));
            gapStart = close + 1;
            i = line.indexOf('`', gapStart);
        }
        urls(line, gapStart, line.length(), atoms);
        return atoms;
    }

    private static void urls(String line, int from, int to, List<Atom> atoms) {
        for (UrlFinder.Found url : UrlFinder.find(line, from, to)) {
            atoms.add(new Atom(url.start(), url.end(), url.link()));
        }
    }

    /**
     * Pairs emphasis markers outside atoms; {@code result[i]} is the index of the marker paired with
     * the one at {@code i}, or -1. A closer pairs with the nearest open marker of its kind; openers
     * above that one can no longer close properly nested, so they become literal.
     */
    private static int[] pairMarkers(String line, boolean[] insideAtom) {
        int length = line.length();
        int[] partner = new int[length];
        Arrays.fill(partner, -1);
        List<Integer> openers = new ArrayList<>();
        for (int i = 0; i < length; i++) {
            char c = line.charAt(i);
            if (insideAtom[i] || (c != '*' && c != '_' && c != '~')) {
                continue;
            }
            int before = i == 0 ? -1 : line.codePointBefore(i);
            int after = i + 1 == length ? -1 : line.codePointAt(i + 1);
            boolean canOpen = after != -1 && !Character.isWhitespace(after) && !isWordChar(before);
            boolean canClose = before != -1 && !Character.isWhitespace(before) && !isWordChar(after);
            if (canClose) {
                int match = nearestOpener(openers, line, c);
                if (match >= 0 && openers.get(match) < i - 1) {
                    int opener = openers.get(match);
                    partner[opener] = i;
                    partner[i] = opener;
                    openers.subList(match, openers.size()).clear();
                    continue;
                }
            }
            if (canOpen) {
                openers.add(i);
            }
        }
        return partner;
    }

    private static int nearestOpener(List<Integer> openers, String line, char marker) {
        for (int k = openers.size() - 1; k >= 0; k--) {
            if (line.charAt(openers.get(k)) == marker) {
                return k;
            }
        }
        return -1;
    }

    private static boolean isWordChar(int codePoint) {
        return codePoint != -1 && Character.isLetterOrDigit(codePoint);
    }

    /** Appends, merging adjacent plain text so equal texts parse to equal span lists. */
    private static void add(List<Span> spans, Span span) {
        if (span instanceof Span.Plain plain && !spans.isEmpty() && spans.getLast() instanceof Span.Plain last) {
            spans.set(spans.size() - 1, new Span.Plain(last.text() + plain.text()));
        } else {
            spans.add(span);
        }
    }
}
