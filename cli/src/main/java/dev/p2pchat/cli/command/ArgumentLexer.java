package dev.p2pchat.cli.command;

import java.util.Optional;

/**
 * Splits command arguments at whitespace, reading one argument at a time so that a command can
 * take the rest of the line raw (message text must survive unbalanced quotes and apostrophes).
 *
 * <p>Double quotes group words: {@code "two words"}. Inside quotes, {@code \"} is a quote and
 * {@code \\} a backslash; any other backslash is literal, and outside quotes backslashes are always
 * literal, so passwords and paths with backslashes need no escaping. An unclosed quote is an error.
 */
final class ArgumentLexer {

    /** Why the input could not be split; carries the message for {@link Command.Invalid}. */
    static final class UnclosedQuote extends Exception {
        UnclosedQuote() {
            super("a double quote is not closed", null, false, false);
        }
    }

    private final String input;
    private int position;

    ArgumentLexer(String input) {
        this.input = input;
    }

    boolean hasNext() {
        skipWhitespace();
        return position < input.length();
    }

    /** True if the next argument starts with a double quote. */
    boolean nextIsQuoted() {
        return hasNext() && input.charAt(position) == '"';
    }

    Optional<String> next() throws UnclosedQuote {
        if (!hasNext()) {
            return Optional.empty();
        }
        StringBuilder token = new StringBuilder();
        boolean quoted = false;
        while (position < input.length()) {
            char c = input.charAt(position);
            if (!quoted && Character.isWhitespace(c)) {
                break;
            }
            position++;
            if (c == '"') {
                quoted = !quoted;
            } else if (quoted && c == '\\' && position < input.length()
                    && (input.charAt(position) == '"' || input.charAt(position) == '\\')) {
                token.append(input.charAt(position++));
            } else {
                token.append(c);
            }
        }
        if (quoted) {
            throw new UnclosedQuote();
        }
        return Optional.of(token.toString());
    }

    /** Everything not yet read, as typed, without surrounding whitespace. */
    String rest() {
        skipWhitespace();
        String rest = input.substring(position).strip();
        position = input.length();
        return rest;
    }

    private void skipWhitespace() {
        while (position < input.length() && Character.isWhitespace(input.charAt(position))) {
            position++;
        }
    }
}
