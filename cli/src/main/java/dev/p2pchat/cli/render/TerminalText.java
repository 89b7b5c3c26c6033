package dev.p2pchat.cli.render;

/**
 * Makes untrusted text (anything that arrived from the network) safe to print on a terminal.
 *
 * <p>A peer controls every byte of its messages, so a message could otherwise move the cursor,
 * rewrite earlier lines, change the window title, plant a hyperlink or reorder text with bidi
 * overrides. {@link #sanitize} removes all of that; it must never let an ESC or any C0/C1 control
 * other than {@code '\n'} through, whatever the input.
 *
 * <p>Escape sequences are parsed the way a VT500-style terminal parses them (ECMA-48), so that we
 * drop exactly what a terminal would have interpreted, body included: CSI up to its final byte,
 * OSC up to BEL or ST, DCS/SOS/PM/APC up to ST, two-byte and nF escapes, and the 8-bit C1 forms
 * of the same introducers. A sequence cut off by the end of the text is dropped to the end.
 */
public final class TerminalText {

    private static final char ESC = '\u001B';
    private static final char BEL = '\u0007';
    private static final char CAN = '\u0018';
    private static final char SUB = '\u001A';
    private static final char C1_DCS = '\u0090';
    private static final char C1_SOS = '\u0098';
    private static final char C1_CSI = '\u009B';
    private static final char C1_ST = '\u009C';
    private static final char C1_OSC = '\u009D';
    private static final char C1_PM = '\u009E';
    private static final char C1_APC = '\u009F';

    private TerminalText() {}

    /**
     * Returns {@code untrusted} without escape sequences, control characters (except {@code '\n'};
     * a tab becomes a space), bidi marks, embeddings, overrides and isolates, U+2028/U+2029 and
     * zero-width characters (see {@link #isDropped}). Unpaired UTF-16 surrogates become
     * U+FFFD so the result always encodes. Idempotent; {@code null} gives {@code ""}; never throws.
     */
    public static String sanitize(String untrusted) {
        if (untrusted == null) {
            return "";
        }
        String s = untrusted;
        int n = s.length();
        StringBuilder out = new StringBuilder(n);
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            switch (c) {
                case ESC -> i = skipEscape(s, i + 1);
                case C1_CSI -> i = skipControlSequence(s, i + 1);
                case C1_OSC -> i = skipControlString(s, i + 1, true);
                case C1_DCS, C1_SOS, C1_PM, C1_APC -> i = skipControlString(s, i + 1, false);
                case '\n' -> { out.append('\n'); i++; }
                case '\t' -> { out.append(' '); i++; }
                default -> {
                    if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                        out.append(c).append(s.charAt(i + 1));
                        i += 2;
                        continue;
                    }
                    if (Character.isSurrogate(c)) {
                        out.append('\uFFFD');
                    } else if (!isDropped(c)) {
                        out.append(c);
                    }
                    i++;
                }
            }
        }
        return out.toString();
    }

    /**
     * True for a C0/C1 control (other than the ones handled above), DEL, and the invisible characters
     * that can make text read other than it is: bidi marks (LRM, RLM, ALM), embeddings, overrides and
     * isolates, the line and paragraph separators, and zero-width characters (ZWSP, ZWNJ, ZWJ, word
     * joiner, BOM). Dropping ZWJ splits emoji sequences into their parts, which stay readable.
     */
    static boolean isDropped(char c) {
        return c < 0x20
                || (c >= 0x7F && c <= 0x9F)
                || c == '\u061C'
                || (c >= '\u200B' && c <= '\u200F')
                || (c >= '\u2028' && c <= '\u202E')
                || (c >= '\u2060' && c <= '\u2069')
                || c == '\uFEFF';
    }

    /** {@code i} is just after ESC; returns the index where normal text resumes. */
    private static int skipEscape(String s, int i) {
        int n = s.length();
        if (i >= n) {
            return n;
        }
        switch (s.charAt(i)) {
            case '[':
                return skipControlSequence(s, i + 1);
            case ']':
                return skipControlString(s, i + 1, true);
            case 'P', 'X', '^', '_':
                return skipControlString(s, i + 1, false);
            default:
                break;
        }
        // Two-byte escapes (ESC Fe/Fs/Fp) and nF escapes: intermediates 0x20-0x2F, then a final 0x30-0x7E.
        int j = i;
        while (j < n && s.charAt(j) >= 0x20 && s.charAt(j) <= 0x2F) {
            j++;
        }
        if (j >= n) {
            return n;
        }
        char last = s.charAt(j);
        // Anything else aborts the escape, as in a terminal; that character is then handled on its own.
        return last >= 0x30 && last <= 0x7E ? j + 1 : j;
    }

    /** CSI body: parameter and intermediate bytes 0x20-0x3F, ended by a final byte 0x40-0x7E. */
    private static int skipControlSequence(String s, int i) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 0x40 && c <= 0x7E) {
                return i + 1;
            }
            if (c < 0x20 || c > 0x3F) {
                // Malformed: a terminal abandons the sequence here; the character itself is processed next.
                return i;
            }
            i++;
        }
        return n;
    }

    /**
     * OSC/DCS/SOS/PM/APC body, ended by ST (ESC \ or U+009C), or BEL for OSC (the xterm form).
     * CAN or SUB cancel the string; any other ESC cancels it and starts a new escape sequence.
     */
    private static int skipControlString(String s, int i, boolean belTerminates) {
        int n = s.length();
        while (i < n) {
            char c = s.charAt(i);
            if (c == C1_ST || c == CAN || c == SUB || (c == BEL && belTerminates)) {
                return i + 1;
            }
            if (c == ESC) {
                return i + 1 < n && s.charAt(i + 1) == '\\' ? i + 2 : i;
            }
            i++;
        }
        return n;
    }
}
