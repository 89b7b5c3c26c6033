package dev.p2pchat.cli.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InputHistoryFileTest {
    @TempDir
    Path dir;

    @Test
    void anOldWorldReadableHistoryFileIsMovedToInputHistoryAndMadePrivate() throws Exception {
        Path old = dir.resolve("history");
        Files.writeString(old, "/join lobby\nhello\n");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));

        Path file = InputHistoryFile.in(dir);

        assertThat(file).isEqualTo(dir.resolve("input-history")).hasContent("/join lobby\nhello\n");
        assertThat(old).doesNotExist();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }

    @Test
    void aNewDataDirGetsAnEmptyPrivateInputHistory() throws Exception {
        Path file = InputHistoryFile.in(dir.resolve("new"));

        assertThat(file).exists().isEmptyFile();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.getParent())))
                .isEqualTo("rwx------");
    }
}
