package dev.p2pchat.cli.render;

import java.nio.charset.StandardCharsets;

/**
 * OSC 8 hyperlink sequences ({@code ESC ] 8 ; ; URI ESC \}). The URI comes from a peer, so it is
 * reduced to printable ASCII before it is written inside an escape sequence: everything else,
 * ESC and every control included, is percent-encoded and can never end the sequence early.
 */
final class Osc8 {

    /** VTE, the most restrictive common implementation, ignores longer URIs. */
    static final int MAX_URI_LENGTH = 2083;

    private static final String CLOSE = "\u001B]8;;\u001B\\";

    private Osc8() {}

    static String open(String safeUri) {
        return "\u001B]8;;" + safeUri + "\u001B\\";
    }

    static String close() {
        return CLOSE;
    }

    /** {@code uri} with every character outside U+0021–U+007E percent-encoded as UTF-8. */
    static String safeUri(String uri) {
        StringBuilder out = new StringBuilder(uri.length());
        uri.codePoints().forEach(cp -> {
            if (cp >= 0x21 && cp <= 0x7E) {
                out.append((char) cp);
            } else {
                for (byte b : Character.toString(cp).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xF, 16)))
                            .append(Character.toUpperCase(Character.forDigit(b & 0xF, 16)));
                }
            }
        });
        return out.toString();
    }
}
