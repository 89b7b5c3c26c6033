package dev.p2pchat.cli.render;

import java.util.Map;
import java.util.Optional;

/**
 * The desktop notification escape sequence for the terminal we run in, if it is known to show one:
 * OSC 777 ({@code notify;TITLE;BODY}: VTE terminals, foot, urxvt, WezTerm) or OSC 9 ({@code BODY}: iTerm2,
 * Windows Terminal, kitty, ConEmu). Other terminals get only the bell: an OSC they do not know is ignored by
 * most, but not all, so it is not sent blindly.
 */
public final class Notifications {

    /** Which sequence a terminal understands. */
    public enum Kind { NONE, OSC_777, OSC_9 }

    /** Longest body sent; desktop notifications cut long text anyway. */
    static final int MAX_BODY = 200;

    private Notifications() {}

    /** The kind for the terminal described by {@code environment} (TERM, TERM_PROGRAM, VTE_VERSION, …). */
    public static Kind kind(Map<String, String> environment) {
        String program = environment.getOrDefault("TERM_PROGRAM", "");
        String term = environment.getOrDefault("TERM", "");
        if (program.equals("iTerm.app") || environment.containsKey("WT_SESSION") || environment.containsKey("KITTY_WINDOW_ID")
                || environment.containsKey("ConEmuPID")) {
            return Kind.OSC_9;
        }
        if (environment.containsKey("VTE_VERSION") || term.startsWith("foot") || term.startsWith("rxvt-unicode")
                || program.equals("WezTerm")) {
            return Kind.OSC_777;
        }
        return Kind.NONE;
    }

    /**
     * The sequence showing {@code title} and {@code body}, both sanitised (no escape sequence or control
     * character of a peer's can end the OSC early or start another), or empty for {@link Kind#NONE}.
     */
    public static Optional<String> sequence(Kind kind, String title, String body) {
        String t = plain(title).replace(';', ',');
        String b = plain(body);
        if (b.codePointCount(0, b.length()) > MAX_BODY) {
            b = b.substring(0, b.offsetByCodePoints(0, MAX_BODY)) + "…";
        }
        return switch (kind) {
            case NONE -> Optional.empty();
            case OSC_777 -> Optional.of("\u001B]777;notify;" + t + ";" + b + "\u001B\\");
            case OSC_9 -> Optional.of("\u001B]9;" + t + ": " + b + "\u001B\\");
        };
    }

    private static String plain(String untrusted) {
        return TerminalText.sanitize(untrusted).replace('\n', ' ').strip();
    }
}
