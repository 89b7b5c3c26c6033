package dev.p2pchat.cli.render;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds {@code http://}, {@code https://} and {@code www.} URLs in a line of chat text. */
final class UrlFinder {

    /** A URL found at {@code [start, end)} of the searched text. */
    record Found(int start, int end, Span.Link link) {}

    // Not preceded by a letter or digit, so "awww.x" and "xhttp://" are not URLs; '_' and '*' may precede
    // because they are markup markers. Backticks end a URL because they delimit code.
    private static final Pattern CANDIDATE =
            Pattern.compile("(?<![\\p{L}\\p{N}])(?:https?://|www\\.)[^\\s<>\"`]+", Pattern.CASE_INSENSITIVE);

    /** Characters that end a sentence or close markup far more often than they end a URL. */
    private static final String TRAILING = ".,;:!?'\"*_~";

    private UrlFinder() {}

    static List<Found> find(String text, int from, int to) {
        List<Found> found = new ArrayList<>();
        Matcher m = CANDIDATE.matcher(text).region(from, to);
        while (m.find()) {
            String url = trimTrailing(m.group());
            String lower = url.toLowerCase(Locale.ROOT);
            int prefix = lower.startsWith("www.") ? 4 : lower.indexOf("://") + 3;
            if (url.length() > prefix) {
                String target = lower.startsWith("www.") ? "https://" + url : url;
                found.add(new Found(m.start(), m.start() + url.length(), new Span.Link(url, target)));
            }
        }
        return found;
    }

    private static String trimTrailing(String url) {
        String s = url;
        while (!s.isEmpty()) {
            char last = s.charAt(s.length() - 1);
            boolean strip = TRAILING.indexOf(last) >= 0
                    // A closing bracket belongs to the URL only if it balances one inside it: .../Foo_(bar)
                    || (last == ')' && count(s, '(') < count(s, ')'))
                    || (last == ']' && count(s, '[') < count(s, ']'));
            if (!strip) {
                break;
            }
            s = s.substring(0, s.length() - 1);
        }
        return s;
    }

    private static int count(String s, char c) {
        return (int) s.chars().filter(ch -> ch == c).count();
    }
}
