package dev.p2pchat.peer.files;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileNamesTest {

    @TempDir
    Path dir;

    @Test
    void pathSeparatorsAndDirectoriesAreStripped() {
        assertThat(FileNames.sanitise("../../etc/passwd")).isEqualTo("passwd");
        assertThat(FileNames.sanitise("..\\..\\Windows\\win.ini")).isEqualTo("win.ini");
        assertThat(FileNames.sanitise("/absolute/path/report.pdf")).isEqualTo("report.pdf");
    }

    @Test
    void leadingDotsAreRemovedSoNothingIsHiddenOrClimbs() {
        assertThat(FileNames.sanitise(".bashrc")).isEqualTo("bashrc");
        assertThat(FileNames.sanitise("..")).isEqualTo(FileNames.FALLBACK);
        assertThat(FileNames.sanitise("... .profile")).isEqualTo("profile");
    }

    @Test
    void controlAndBidiCharactersAreRemoved() {
        assertThat(FileNames.sanitise("evil\u001b[2Jname\u0007.txt")).isEqualTo("evil[2Jname.txt");
        assertThat(FileNames.sanitise("invoice\u202Etxt.exe")).isEqualTo("invoicetxt.exe");
        assertThat(FileNames.sanitise("a\nb\rc\td")).isEqualTo("abcd");
    }

    @Test
    void anEmptyOrAllStrippedNameBecomesAFallback() {
        assertThat(FileNames.sanitise("")).isEqualTo(FileNames.FALLBACK);
        assertThat(FileNames.sanitise("dir/")).isEqualTo(FileNames.FALLBACK);
        assertThat(FileNames.sanitise(null)).isEqualTo(FileNames.FALLBACK);
    }

    @Test
    void aLongNameIsCutAtACodePointKeepingItsExtension() {
        String name = "é".repeat(300) + ".tar.gz";
        String safe = FileNames.sanitise(name);
        assertThat(safe.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(FileNames.MAX_BYTES);
        assertThat(safe).endsWith(".gz").startsWith("éé");
        assertThat(safe).doesNotContain("\uFFFD");
    }

    @Test
    void aTakenNameGetsANumberBeforeItsExtension() throws Exception {
        assertThat(FileNames.unclashing(dir, "photo.jpg")).isEqualTo(dir.resolve("photo.jpg"));
        Files.createFile(dir.resolve("photo.jpg"));
        assertThat(FileNames.unclashing(dir, "photo.jpg")).isEqualTo(dir.resolve("photo (1).jpg"));
        Files.createFile(dir.resolve("photo (1).jpg"));
        assertThat(FileNames.unclashing(dir, "photo.jpg")).isEqualTo(dir.resolve("photo (2).jpg"));
        Files.createFile(dir.resolve("README"));
        assertThat(FileNames.unclashing(dir, "README")).isEqualTo(dir.resolve("README (1)"));
    }
}
