package dev.p2pchat.registry.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Makes the registry's files readable by its owner alone (0600, directories 0700), whatever the umask: the
 * database holds Argon2 hashes, the data directory the TLS key and the token secret. Permissions are set
 * explicitly after creating, since a creation mode is only ever narrowed by the umask, never widened or fixed.
 * On a file system without POSIX permissions nothing is done.
 */
final class PrivateFiles {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    static void directory(Path dir) throws IOException {
        if (!posix(dir)) {
            Files.createDirectories(dir);
            return;
        }
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIRECTORY));
        }
        Files.setPosixFilePermissions(dir, DIRECTORY);
    }

    /** Creates {@code file} empty when absent; either way leaves it 0600. */
    static void file(Path file) throws IOException {
        if (!posix(file.getParent())) {
            return;
        }
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE));
        } catch (FileAlreadyExistsException exists) {
            // narrowed below
        }
        Files.setPosixFilePermissions(file, FILE);
    }

    /** Narrows {@code file} to 0600 when it exists. */
    static void ifExists(Path file) throws IOException {
        if (Files.exists(file) && posix(file.getParent())) {
            Files.setPosixFilePermissions(file, FILE);
        }
    }

    private static boolean posix(Path dir) {
        Path existing = dir.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileAttributeView(existing,
                java.nio.file.attribute.PosixFileAttributeView.class) != null;
    }
}
