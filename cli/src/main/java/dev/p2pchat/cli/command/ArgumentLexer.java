package dev.p2pchat.cli.command;

import java.util.Optional;

/**
 * Splits command arguments at whitespace, reading one argument at a time so that a command can
 * take the rest of the line raw (message text must survive unbalanced quotes and apostrophes).
 *
 * <p>Quotes group words, either kind: {@code "two words"} or {@code 'two words'}.
 * <ul>
 *   <li>Double quotes: inside them {@code \"} is a quote and {@code \\} a backslash; any other
 *       backslash is literal.</li>
 *   <li>Single quotes open only at the start of an argument (or right after {@code --option=}) and
 *       close only at a quote followed by a blank or the end of the line, so apostrophes need no
 *       escaping: {@code o'neil} is one word, {@code 'it's mine'} is "it's mine".</li>
 *   <li>Outside quotes backslashes are always literal, so passwords and paths need no escaping.</li>
 * </ul>
 * An unclosed quote is an error.
 */
final class ArgumentLexer {

    /** Why the input could not be split; carries the message for {@link Command.Invalid}. */
    static final class UnclosedQuote extends Exception {
        UnclosedQuote(char quote) {
            super((quote == '"' ? "a double" : "a single") + " quote is not closed", null, false, false);
        }
    }

    private static final char NONE = 0;

    private final String input;
    private int position;

    ArgumentLexer(String input) {
        this.input = input;
    }

    boolean hasNext() {
        skipWhitespace();
        return position < input.length();
    }

    /** True if the next argument starts with a quote, single or double. */
    boolean nextIsQuoted() {
        return hasNext() && (input.charAt(position) == '"' || input.charAt(position) == '\'');
    }

    Optional<String> next() throws UnclosedQuote {
        if (!hasNext()) {
            return Optional.empty();
        }
        StringBuilder token = new StringBuilder();
        int start = position;
        char open = NONE;
        while (position < input.length()) {
            char c = input.charAt(position);
            if (open == NONE && CommandParser.isSeparator(c)) {
                break;
            }
            position++;
            switch (open) {
                case '"' -> {
                    if (c == '"') {
                        open = NONE;
                    } else if (c == '\\' && position < input.length()
                            && (input.charAt(position) == '"' || input.charAt(position) == '\\')) {
                        token.append(input.charAt(position++));
                    } else {
                        token.append(c);
                    }
                }
                case '\'' -> {
                    if (c == '\'' && (position == input.length() || CommandParser.isSeparator(input.charAt(position)))) {
                        open = NONE;
                    } else {
                        token.append(c);
                    }
                }
                default -> {
                    if (c == '"') {
                        open = '"';
                    } else if (c == '\'' && (position - 1 == start || isOptionPrefix(token))) {
                        open = '\'';
                    } else {
                        token.append(c);
                    }
                }
            }
        }
        if (open != NONE) {
            throw new UnclosedQuote(open);
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

    /** "--name=" so far: a single quote here starts the option's value. */
    private static boolean isOptionPrefix(StringBuilder token) {
        return token.length() > 3 && token.charAt(0) == '-' && token.charAt(1) == '-'
                && token.charAt(token.length() - 1) == '=' && token.indexOf("=") == token.length() - 1;
    }

    private void skipWhitespace() {
        while (position < input.length() && CommandParser.isSeparator(input.charAt(position))) {
            position++;
        }
    }
}
