package dev.p2pchat.cli.ui;

import java.io.IOException;
import java.util.function.Predicate;

import org.jline.reader.LineReader;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;

/**
 * The JLine reader, with one change: a finished line can be wiped from the screen instead of staying
 * there under its prompt. Chat text is wiped because the chat shows it again at once, formatted, with
 * its time and receipt; typing it twice on screen is noise. Commands stay, so their answers have context.
 */
final class ChatLineReader extends LineReaderImpl {

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

    @Override
    protected void cleanup() {
        option(LineReader.Option.ERASE_LINE_ON_FINISH, erase.test(buf.toString()));
        super.cleanup();
    }
}
