package dev.p2pchat.cli.ui;

import java.io.IOException;
import java.util.List;
import java.util.function.Predicate;

import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.utils.AttributedString;
import org.jline.utils.Status;

/**
 * The JLine reader, with one change: a finished line can be wiped from the screen instead of staying
 * there under its prompt. Chat text is wiped because the chat shows it again at once, formatted, with
 * its time and receipt; typing it twice on screen is noise. Commands stay, so their answers have context.
 */
final class ChatLineReader extends LineReaderImpl {

    /** Cursor home, erase the screen. */
    private static final String CLEAR_SCREEN = "\u001B[H\u001B[2J";

    private volatile Predicate<String> erase = line -> false;
    /** True while a password is being read: its prompt must not be replaced by the chat prompt. */
    volatile boolean askingSecret;

    ChatLineReader(Terminal terminal) throws IOException {
        super(terminal, "p2pchat");
    }

    /** Decides, for each finished line, whether to wipe it from the screen; returns the rule it replaces. */
    Predicate<String> eraseFinishedLines(Predicate<String> erase) {
        Predicate<String> previous = this.erase;
        this.erase = erase;
        return previous;
    }

    /**
     * Clears the screen and shows {@code lines} above the input line (another buffer is shown). Under the
     * reader's lock, like {@link #printAbove}, so it never interleaves with the line being edited.
     */
    void redraw(String lines) {
        lock.lock();
        try {
            // Home and erase, then the lines, all inside printAbove: JLine erases the input line first and
            // redraws it under them. The status area was erased too: it is drawn again whole.
            printAbove(CLEAR_SCREEN + lines);
            Status.getExistingStatus(terminal).ifPresent(Status::redraw);
        } finally {
            lock.unlock();
        }
    }

    /** Shows {@code lines} at the bottom of the terminal, under the input line (JLine's status area). */
    void status(List<AttributedString> lines) {
        lock.lock();
        try {
            Status status = Status.getStatus(terminal);
            if (status != null) {
                status.update(lines);
                if (isReading()) {
                    try {
                        callWidget(LineReader.REDISPLAY);
                    } catch (IllegalStateException notReadingAnyMore) {
                        // The next readLine draws the line anyway.
                    }
                }
            }
        } finally {
            lock.unlock();
        }
    }

    /** Writes raw control output (the bell, a notification sequence) between redraws. */
    void writeControl(String sequence) {
        lock.lock();
        try {
            terminal.writer().write(sequence);
            terminal.flush();
        } finally {
            lock.unlock();
        }
    }

    @Override
    protected void cleanup() {
        option(LineReader.Option.ERASE_LINE_ON_FINISH, erase.test(buf.toString()));
        super.cleanup();
    }
}
