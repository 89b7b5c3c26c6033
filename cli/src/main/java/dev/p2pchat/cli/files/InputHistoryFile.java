package dev.p2pchat.cli.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where the input line's history (the lines typed, for Up and Ctrl-R) lives: {@code input-history} in the data
 * dir, 0600. It used to be called {@code history}, which is easy to take for the chat history (now
 * {@code chat-history.db}); a file left under the old name is moved over once.
 */
public final class InputHistoryFile {
    public static final String NAME = "input-history";
    static final String OLD_NAME = "history";

    private InputHistoryFile() {}

    /** The file, migrated from the old name if needed and made private. */
    public static Path in(Path dataDir) {
        Path file = dataDir.resolve(NAME);
        Path old = dataDir.resolve(OLD_NAME);
        try {
            if (Files.isRegularFile(old) && !Files.exists(file)) {
                Files.move(old, file, StandardCopyOption.ATOMIC_MOVE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot rename " + old + " to " + file, e);
        }
        return PrivateFiles.secure(file);
    }
}
