package dev.p2pchat.protocol;

import java.nio.charset.StandardCharsets;

/**
 * Makes a {@code reason} fit the wire whatever it was built from. Reasons quote names a client chose, so a valid
 * request (a 250-character room name) must never produce a reason the reply records would refuse: every reply
 * record passes its reason through {@link #fit}, and code that quotes a name uses {@link #quote} so that what is
 * left of the sentence stays readable.
 */
public final class Reasons {
    /** Longest reason a record keeps; the same bound {@code Check.text} puts on every text field. */
    public static final int MAX_CHARS = 256;
    /** Longest quoted name: enough to recognise it, short enough that the sentence around it survives. */
    public static final int MAX_QUOTED_CHARS = 40;
    private static final String ELLIPSIS = "\u2026";

    private Reasons() {
    }

    /** A name as it appears inside a reason: cut to {@link #MAX_QUOTED_CHARS} with an ellipsis when longer. */
    public static String quote(String name) {
        return name == null ? "" : shorten(oneLine(name), MAX_QUOTED_CHARS);
    }

    /** One line, no control characters, no unpaired surrogate, at most {@link #MAX_CHARS}; null stays null. */
    public static String fit(String reason) {
        return reason == null ? null : shorten(oneLine(reason), MAX_CHARS);
    }

    private static String oneLine(String text) {
        String line = text.replaceAll("\\p{Cntrl}", " ");
        if (!Syntax.isWellFormed(line)) {
            line = new String(line.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8);
        }
        return line;
    }

    private static String shorten(String text, int max) {
        if (text.length() <= max) {
            return text;
        }
        int end = max - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        return text.substring(0, end) + ELLIPSIS;
    }
}
