package dev.p2pchat.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigFileTest {

    @TempDir
    Path tmp;

    @Test
    void everyKeyIsRead() throws Exception {
        ConfigFile config = ConfigFile.parse("""
                # what alice sets once
                registry = "chat.example.org:7070"
                registry_fingerprint = "ABCD"
                user = "alice"
                password_cmd = "pass show p2pchat"
                autojoin = ["#lobby", "dev"]
                notify = "never"
                timestamps = "HH:mm:ss"
                ignore = ["mallory"]
                """, "config.toml");

        assertThat(config).isEqualTo(new ConfigFile(Optional.of("chat.example.org:7070"), Optional.of("ABCD"),
                Optional.of("alice"), Optional.of("pass show p2pchat"), List.of("lobby", "dev"), Optional.of("never"),
                Optional.of("HH:mm:ss"), List.of("mallory")));
    }

    @Test
    void aSyntaxErrorNamesItsLine() {
        assertThatThrownBy(() -> ConfigFile.parse("user = \"alice\"\nautojoin = [\"lobby\"\nnotify = \"never\"\n", "config.toml"))
                .isInstanceOf(ConfigFile.Invalid.class).hasMessageStartingWith("config.toml, line ");
        assertThatThrownBy(() -> ConfigFile.parse("user = \"alice\"\nthis is not toml\n", "config.toml"))
                .isInstanceOf(ConfigFile.Invalid.class).hasMessageStartingWith("config.toml, line 2: ");
    }

    @Test
    void anUnknownKeyOrAWrongTypeNamesItsLine() {
        assertThatThrownBy(() -> ConfigFile.parse("user = \"alice\"\n\nnotfy = \"never\"\n", "c.toml"))
                .hasMessageStartingWith("c.toml, line 3: unknown key notfy");
        assertThatThrownBy(() -> ConfigFile.parse("autojoin = \"lobby\"\n", "c.toml"))
                .hasMessageStartingWith("c.toml, line 1: autojoin must be a list");
        assertThatThrownBy(() -> ConfigFile.parse("\nnotify = \"loud\"\n", "c.toml"))
                .hasMessageStartingWith("c.toml, line 2: notify is always, mentions or never");
        assertThatThrownBy(() -> ConfigFile.parse("user = \"a b\"\n", "c.toml")).hasMessageStartingWith("c.toml, line 1: ");
    }

    @Test
    void theColorsTableRestylesRolesAndABadStyleNamesItsLine() throws Exception {
        ConfigFile config = ConfigFile.parse("user = \"alice\"\n[colors]\nhighlight = \"magenta bold\"\n"
                + "status_bar = \"black on cyan\"\n", "c.toml");
        assertThat(config.colors()).containsExactly(Map.entry("highlight", "magenta bold"), Map.entry("status_bar", "black on cyan"));
        assertThatThrownBy(() -> ConfigFile.parse("[colors]\nown = \"bold\"\nprompt = \"cyna\"\n", "c.toml"))
                .hasMessageStartingWith("c.toml, line 3: colors.prompt: unknown colour or attribute \"cyna\"");
        assertThatThrownBy(() -> ConfigFile.parse("[colors]\nmention = \"red\"\n", "c.toml"))
                .hasMessageStartingWith("c.toml, line 2: colors.mention: no colour role mention");
        assertThatThrownBy(() -> ConfigFile.parse("colors = \"red\"\n", "c.toml"))
                .hasMessageStartingWith("c.toml, line 1: colors is a table");
    }

    @Test
    void aClearPasswordIsRefused() {
        assertThatThrownBy(() -> ConfigFile.parse("user = \"alice\"\npassword = \"hunter2\"\n", "c.toml"))
                .hasMessageStartingWith("c.toml, line 2: a password is never kept in the file");
    }

    @Test
    void aMissingFileIsEmptyUnlessItWasNamed() throws Exception {
        assertThat(ConfigFile.read(tmp.resolve("config.toml"), false)).isEqualTo(ConfigFile.EMPTY);
        assertThatThrownBy(() -> ConfigFile.read(tmp.resolve("config.toml"), true)).hasMessageContaining("does not exist");
        Files.writeString(tmp.resolve("config.toml"), "user = \"bob\"\n");
        assertThat(ConfigFile.read(tmp.resolve("config.toml"), true).user()).contains("bob");
    }
}
