package dev.p2pchat.cli.render;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Whether a message names the user: the name as a whole word, any case ("Alice:", "hi alice!" but not
 * "malice"). A letter, digit or underscore next to the name makes it part of another word.
 */
public final class Mentions {

    private Mentions() {}

    public static boolean mentions(String text, String username) {
        if (text == null || username == null || username.isEmpty()) {
            return false;
        }
        Pattern word = Pattern.compile("(?<![\\p{L}\\p{N}_])" + Pattern.quote(username.toLowerCase(Locale.ROOT))
                + "(?![\\p{L}\\p{N}_])", Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
        return word.matcher(TerminalText.sanitize(text)).find();
    }
}
