package dev.p2pchat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.p2pchat.cli.session.UserError;

class SettingsTest {

    @TempDir
    Path tmp;

    @Test
    void aColourSetFromInsideTheClientIsCheckedAndSavedInTheColorsTable() throws Exception {
        Path file = tmp.resolve("config.toml");
        Settings settings = new Settings(file, ConfigFile.parse("user = \"alice\"\n", "config.toml"));

        assertThat(settings.set("colors.highlight", "magenta bold")).isEqualTo("magenta bold");
        assertThatThrownBy(() -> settings.set("colors.highlight", "mauve")).isInstanceOf(UserError.class)
                .hasMessageStartingWith("colors.highlight: unknown colour or attribute \"mauve\"");
        assertThatThrownBy(() -> settings.set("colors.nick", "red")).isInstanceOf(UserError.class)
                .hasMessageContaining("no colour role nick");
        settings.save(java.util.List.of());
        assertThat(ConfigFile.read(file, true).colors()).containsExactly(java.util.Map.entry("highlight", "magenta bold"));
    }

    @Test
    void setChecksTheValueByTheFilesRulesAndSaveWritesAFileTheNextStartReads() throws Exception {
        Path file = tmp.resolve("config.toml");
        Settings settings = new Settings(file, ConfigFile.parse("user = \"alice\"\n", "config.toml"));

        assertThat(settings.set("notify", "never")).isEqualTo("never");
        assertThat(settings.set("autojoin", "#lobby, dev")).isEqualTo("lobby, dev");
        assertThat(settings.set("password_cmd", "pass show p2pchat")).isEqualTo("pass show p2pchat");
        assertThatThrownBy(() -> settings.set("notify", "loud")).isInstanceOf(UserError.class)
                .hasMessage("notify is always, mentions or never, not loud");
        assertThatThrownBy(() -> settings.set("password", "x")).hasMessageStartingWith("no setting password");
        assertThatThrownBy(() -> settings.set("user", "no spaces allowed")).isInstanceOf(UserError.class);

        assertThat(settings.save(List.of("mallory"))).isEqualTo(file);

        ConfigFile saved = ConfigFile.read(file, true);
        assertThat(saved.user()).contains("alice");
        assertThat(saved.notifyLevel()).contains("never");
        assertThat(saved.autojoin()).containsExactly("lobby", "dev");
        assertThat(saved.passwordCommand()).contains("pass show p2pchat");
        assertThat(saved.ignore()).containsExactly("mallory");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
    }
}
