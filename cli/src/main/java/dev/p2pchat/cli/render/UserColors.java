package dev.p2pchat.cli.render;

import java.nio.charset.StandardCharsets;
import java.util.List;

import org.jline.utils.AttributedStyle;

/**
 * A stable colour per username, so a conversation is easy to follow.
 *
 * <p>The colour comes from FNV-1a (32-bit) over the name's UTF-8 bytes, a fixed, documented
 * function: the same name gets the same colour in every run, on every JVM and in every version
 * that keeps this palette. ({@code String.hashCode} would be stable too, being specified by the
 * JLS, but it spreads similar short names poorly.) Names are hashed as given, case included.
 *
 * <p>The palette holds mid-brightness 256-colour foregrounds readable on dark and light backgrounds,
 * and leaves out red (errors), grey (system notices, timestamps) and the link blue. Even rounded to
 * the 16 basic colours, none of them becomes red, grey, black or white.
 */
public final class UserColors {

    /** xterm-256 indices, in a fixed order: changing it changes everyone's colour. */
    static final List<Integer> PALETTE = List.of(
            31,  // #0087af deep sky blue
            34,  // #00af00 green
            37,  // #00afaf teal
            61,  // #5f5faf slate blue
            70,  // #5faf00 chartreuse
            72,  // #5faf87 sea green
            98,  // #875fd7 medium purple
            134, // #af5fd7 orchid
            136, // #af8700 dark goldenrod
            169, // #d75faf hot pink
            172, // #d78700 orange
            178  // #d7af00 gold
    );

    private static final int FNV_OFFSET_BASIS = 0x811C9DC5;
    private static final int FNV_PRIME = 0x01000193;

    private UserColors() {}

    public static AttributedStyle styleFor(String username) {
        return AttributedStyle.DEFAULT.foreground(colorFor(username));
    }

    /** The xterm-256 colour index for {@code username}. */
    static int colorFor(String username) {
        int hash = FNV_OFFSET_BASIS;
        for (byte b : username.getBytes(StandardCharsets.UTF_8)) {
            hash ^= b & 0xFF;
            hash *= FNV_PRIME;
        }
        return PALETTE.get(Integer.remainderUnsigned(hash, PALETTE.size()));
    }
}
