package dev.p2pchat.protocol;

/** Character-level rules shared by the codec and the message records. */
final class Syntax {
    private Syntax() {
    }

    static boolean isVerb(String s) {
        if (s.isEmpty() || s.length() > Limits.MAX_VERB_CHARS || !isUpper(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isUpper(c) && !isDigit(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    static boolean isPhrase(String s) {
        if (s.isEmpty() || s.length() > Limits.MAX_VERB_CHARS || !isUpper(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isUpper(c) && c != '_') {
                return false;
            }
        }
        return true;
    }

    static boolean isHeaderName(String s) {
        if (s.isEmpty() || s.length() > Limits.MAX_HEADER_NAME_CHARS || !isLower(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!isLower(c) && !isDigit(c) && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    /** Header values are one line of text: tabs allowed (table column lists), other controls not. */
    static boolean isHeaderValue(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return isWellFormed(s);
    }

    /** A table cell or a single-line field: no tabs, no line breaks, no other controls. */
    static boolean isSingleLine(String s) {
        // One pass for both rules: every cell of every list a registry sends goes through here.
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return false;
            }
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** No unpaired surrogate: the text has an exact UTF-8 form, so it survives the wire unchanged. */
    static boolean isWellFormed(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isSurrogate(c)) {
                if (!Character.isHighSurrogate(c) || i + 1 == s.length() || !Character.isLowSurrogate(s.charAt(i + 1))) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    private static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    private static boolean isLower(char c) {
        return c >= 'a' && c <= 'z';
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
