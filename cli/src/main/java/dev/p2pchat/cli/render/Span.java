package dev.p2pchat.cli.render;

import java.util.List;
import java.util.Objects;

/**
 * One piece of parsed message markup. Parsing is lossless: {@link #source()} of the spans
 * {@link Markup#parse} returns, concatenated, is exactly the parsed text.
 */
public sealed interface Span {

    /** The text this span was parsed from, markers included. */
    String source();

    /** Text shown as is. */
    record Plain(String text) implements Span {
        public Plain {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String source() {
            return text;
        }
    }

    /** Text between a pair of emphasis markers; may hold further emphasis, code and links. */
    record Styled(Emphasis emphasis, List<Span> children) implements Span {
        public Styled {
            Objects.requireNonNull(emphasis, "emphasis");
            children = List.copyOf(children);
        }

        @Override
        public String source() {
            StringBuilder sb = new StringBuilder().append(emphasis.marker());
            children.forEach(child -> sb.append(child.source()));
            return sb.append(emphasis.marker()).toString();
        }
    }

    /** Text between backticks; never holds markup. */
    record Code(String text) implements Span {
        public Code {
            Objects.requireNonNull(text, "text");
        }

        @Override
        public String source() {
            return "`" + text + "`";
        }
    }

    /** A URL as written ({@code text}) and where it points ({@code target}: {@code www.} gains {@code https://}). */
    record Link(String text, String target) implements Span {
        public Link {
            Objects.requireNonNull(text, "text");
            Objects.requireNonNull(target, "target");
        }

        @Override
        public String source() {
            return text;
        }
    }

    enum Emphasis {
        BOLD('*'), ITALIC('_'), STRIKE('~');

        private final char marker;

        Emphasis(char marker) {
            this.marker = marker;
        }

        public char marker() {
            return marker;
        }

        static Emphasis forMarker(char marker) {
            return switch (marker) {
                case '*' -> BOLD;
                case '_' -> ITALIC;
                case '~' -> STRIKE;
                default -> throw new IllegalArgumentException("not a marker: " + marker);
            };
        }
    }
}
