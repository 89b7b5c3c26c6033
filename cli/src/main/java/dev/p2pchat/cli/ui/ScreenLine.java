package dev.p2pchat.cli.ui;

import java.util.Objects;

/**
 * A line as the buffers keep it: one or more screen rows of ANSI text, wrapped for a terminal width. The buffers
 * keep the line, not its rows, so that a window resized later shows it wrapped again at the new width (weechat
 * does the same; lines wrapped once and kept as text would be cut or ragged after a resize).
 */
@FunctionalInterface
interface ScreenLine {

    /** The line's rows (joined by {@code \n}) for a terminal {@code columns} wide; 0 or less: no wrapping. */
    String at(int columns);

    /** A line that is the same at every width (a notice already short, a read marker, a test's line). */
    static ScreenLine fixed(String ansi) {
        Objects.requireNonNull(ansi, "ansi");
        return new Fixed(ansi);
    }

    /** Shows as its text in tests and logs. */
    record Fixed(String ansi) implements ScreenLine {
        @Override
        public String at(int columns) {
            return ansi;
        }
    }
}
