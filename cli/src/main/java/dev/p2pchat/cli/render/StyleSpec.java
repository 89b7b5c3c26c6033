package dev.p2pchat.cli.render;

import java.util.Locale;
import java.util.Map;

import org.jline.utils.AttributedStyle;

/**
 * A style as a user writes it in the config file's {@code [colors]} table or with {@code /set colors.ROLE}:
 * words separated by spaces, in any order — attributes ({@code bold faint italic underline blink inverse}), a
 * foreground colour ({@code red}, {@code bright-blue}, {@code grey}, or a 256-colour number {@code 0}–{@code 255})
 * and {@code on COLOUR} for the background; {@code default} is the terminal's own colour. Examples:
 * {@code "yellow bold inverse"}, {@code "white on blue"}, {@code "208"}.
 */
public final class StyleSpec {

    /** A style that cannot be read; the message says which word and what is allowed. */
    public static final class Invalid extends IllegalArgumentException {
        Invalid(String message) {
            super(message);
        }
    }

    private static final Map<String, Integer> COLORS = Map.ofEntries(
            Map.entry("black", AttributedStyle.BLACK), Map.entry("red", AttributedStyle.RED),
            Map.entry("green", AttributedStyle.GREEN), Map.entry("yellow", AttributedStyle.YELLOW),
            Map.entry("blue", AttributedStyle.BLUE), Map.entry("magenta", AttributedStyle.MAGENTA),
            Map.entry("cyan", AttributedStyle.CYAN), Map.entry("white", AttributedStyle.WHITE));

    private StyleSpec() {
    }

    public static AttributedStyle parse(String spec) {
        String[] words = spec.strip().toLowerCase(Locale.ROOT).split("\\s+");
        if (spec.isBlank()) {
            throw new Invalid("a style needs at least one word, e.g. \"yellow bold\" or \"default\"");
        }
        AttributedStyle style = AttributedStyle.DEFAULT;
        for (int i = 0; i < words.length; i++) {
            String word = words[i];
            switch (word) {
                case "bold" -> style = style.bold();
                case "faint" -> style = style.faint();
                case "italic" -> style = style.italic();
                case "underline" -> style = style.underline();
                case "blink" -> style = style.blink();
                case "inverse", "reverse" -> style = style.inverse();
                case "default", "none" -> style = style.foregroundDefault();
                case "on" -> {
                    if (i + 1 == words.length) {
                        throw new Invalid("\"on\" needs a background colour after it, e.g. \"white on blue\"");
                    }
                    String background = words[++i];
                    style = background.equals("default") ? style.backgroundDefault() : style.background(color(background));
                }
                default -> style = style.foreground(color(word));
            }
        }
        return style;
    }

    private static int color(String word) {
        Integer named = COLORS.get(word);
        if (named != null) {
            return named;
        }
        if (word.startsWith("bright-") && COLORS.containsKey(word.substring(7))) {
            return AttributedStyle.BRIGHT + COLORS.get(word.substring(7));
        }
        if (word.equals("grey") || word.equals("gray")) {
            return AttributedStyle.BRIGHT + AttributedStyle.BLACK;
        }
        if (word.matches("\\d{1,3}") && Integer.parseInt(word) <= 255) {
            return Integer.parseInt(word);
        }
        throw new Invalid("unknown colour or attribute \"" + word + "\" (colours: " + String.join(" ",
                COLORS.keySet().stream().sorted().toList()) + ", bright-COLOUR, grey, 0-255; attributes: bold faint italic"
                + " underline blink inverse; background: on COLOUR)");
    }
}
