package dev.p2pchat.cli.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files this client creates (input history, peer.log) and their directory are readable by their owner
 * only, whatever the umask: the directory 0700, the file 0600. Where the file system has no POSIX
 * permissions (Windows), it does nothing.
 */
public final class PrivateFiles {

    private static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {}

    /** Creates {@code dir} (and its parents) if needed and makes it 0700. */
    public static Path directory(Path dir) {
        try {
            Files.createDirectories(dir);
            if (posix(dir)) {
                Files.setPosixFilePermissions(dir, DIRECTORY);
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the private directory " + dir, e);
        }
    }

    /** Creates {@code file} empty if it does not exist, makes it 0600 and its directory 0700. */
    public static Path secure(Path file) {
        Path dir = file.toAbsolutePath().getParent();
        if (dir != null) {
            directory(dir);
        }
        try {
            if (posix(file)) {
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
                } catch (FileAlreadyExistsException exists) {
                    // chmod below
                }
                Files.setPosixFilePermissions(file, FILE);
            } else if (!Files.exists(file)) {
                Files.createFile(file);
            }
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make " + file + " private", e);
        }
    }

    private static boolean posix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
