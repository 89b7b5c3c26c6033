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

    private volatile Predicate<String> erase = line -> false;
    /** What the status area shows (guarded by the reader's lock). */
    private List<AttributedString> statusLines = List.of();
    /** Told once JLine has handled a window resize. */
    private volatile Runnable resized = () -> { };
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
            // A screenful of empty rows pushes the old buffer out of the scroll region, then the lines, all inside
            // printAbove: JLine erases the input line first and redraws it under them. Not an erase of the screen:
            // that would wipe the status line too, which JLine's status then believes is still drawn (it only
            // draws what changed), so it would stay blank until its text changes.
            printAbove("\n".repeat(Math.max(0, laidOutRows() - 1)) + lines);
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
                statusLines = List.copyOf(lines);
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

    /** {@code whenResized} runs after each window resize, once JLine has moved its status area for the new size. */
    void onResize(Runnable whenResized) {
        this.resized = whenResized;
    }

    /**
     * The width the screen is laid out for: the terminal's, but changed only once JLine has handled the resize
     * (moved the status area, set the scroll region). Lines redrawn for the live width before that would be wiped
     * by JLine clearing the old status rows.
     */
    int laidOutColumns() {
        int columns = size.getColumns();
        return columns > 0 ? columns : terminal.getWidth();
    }

    /** The height the screen is laid out for; see {@link #laidOutColumns}. */
    int laidOutRows() {
        int rows = size.getRows();
        return rows > 0 ? rows : terminal.getHeight();
    }

    @Override
    protected void handleSignal(Terminal.Signal signal) {
        super.handleSignal(signal);
        if (signal == Terminal.Signal.WINCH) {
            lock.lock();
            try {
                Status status = Status.getExistingStatus(terminal).orElse(null);
                if (status != null && !statusLines.isEmpty()) {
                    // A window that shrinks keeps the cursor on its last row (tmux, xterm), and JLine draws the input
                    // line there: over the status, below the status's new scroll region, where lines overwrite each
                    // other instead of scrolling. Taking the status away and back clears that row and makes the
                    // status claim it again, scrolling the input line up into the region.
                    status.update(List.of());
                    status.update(statusLines);
                    display.reset();
                    redisplay();
                    terminal.flush();
                }
            } finally {
                lock.unlock();
            }
            resized.run();
        }
    }

    @Override
    protected void cleanup() {
        option(LineReader.Option.ERASE_LINE_ON_FINISH, erase.test(buf.toString()));
        super.cleanup();
    }
}
