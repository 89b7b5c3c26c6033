package dev.p2pchat.cli.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PrivateFilesTest {

    @TempDir
    Path tmp;

    @BeforeEach
    void posixOnly() {
        Assumptions.assumeTrue(tmp.getFileSystem().supportedFileAttributeViews().contains("posix"));
    }

    @Test
    void aNewFileIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        Path file = PrivateFiles.secure(tmp.resolve("data").resolve("history"));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent()))).isEqualTo("rwx------");
    }

    @Test
    void aFileAndDirectoryLeftOpenByTheUmaskAreClosed() throws Exception {
        Path dir = Files.createDirectory(tmp.resolve("data"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = Files.writeString(dir.resolve("peer.log"), "old lines\n");
        Files.setPosixFilePermissions(log, PosixFilePermissions.fromString("rw-r--r--"));

        PrivateFiles.secure(log);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(log))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).isEqualTo("rwx------");
        assertThat(Files.readString(log)).isEqualTo("old lines\n");
    }
}
