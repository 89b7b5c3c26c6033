package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Defect 18: what the registry keeps (Argon2 hashes, the TLS key, the token secret) is private to its owner,
 * whatever the umask. A JVM cannot change its umask, so the test does what a permissive one would: it makes the data
 * directory 0777 and the database 0666 before the registry starts on them.
 */
class PrivateFilesTest {
    @TempDir
    Path parent;

    @Test
    void theDataDirectoryAndEverySecretInItAreOwnerOnlyWhateverTheUmask() throws Exception {
        Path dataDir = parent.resolve("registry");
        Files.createDirectory(dataDir);
        Files.setPosixFilePermissions(dataDir, PosixFilePermissions.fromString("rwxrwxrwx"));
        Path db = dataDir.resolve("registry.db");
        Files.createFile(db);
        Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-rw-rw-"));

        try (RunningRegistry registry = RunningRegistry.start(dataDir)) {
            registry.client().registerAndLogin("alice"); // writes through the WAL

            assertThat(mode(dataDir)).isEqualTo("rwx------");
            for (String name : new String[] {"registry.db", "registry.db-wal", "registry.db-shm", "token.secret",
                    "tls/key.pem"}) {
                assertThat(dataDir.resolve(name)).as(name).exists();
                assertThat(mode(dataDir.resolve(name))).as(name).isEqualTo("rw-------");
            }
        }
    }

    private static String mode(Path path) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }
}
