package dev.p2pchat.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import dev.p2pchat.cli.render.ColorMode;
import dev.p2pchat.cli.ui.Hyperlinks;
import dev.p2pchat.cli.ui.NotifyLevel;
import dev.p2pchat.peer.PeerConfig;

/**
 * Everything {@code p2pchat peer} was told, fixed before anything starts: the peer's own configuration
 * plus how to present it. Built only by {@link PeerCommand}; the environment is read there and passed in.
 *
 * @param lineMode     true to run the line interface even on a terminal
 * @param loginAs      user to log in as at start ({@code --user})
 * @param passwordFile file whose first line is the password for {@code --user} and for commands typed without one
 * @param environment  the environment variables the UI looks at (terminal kind, for hyperlinks and notifications)
 * @param notifyLevel  which messages ring the bell and notify ({@code --notify})
 * @param timestamps   the time pattern before each line of the interactive UI ({@code --timestamps})
 * @param passwordCommand the config file's {@code password_cmd}, for its user, when no password file is given
 * @param autojoin     rooms to join once logged in at start (config file)
 * @param ignore       users ignored from the start (config file)
 * @param settingsFile the config file /save writes ({@code --config}, or {@code <data-dir>/config.toml})
 * @param settings     what that file held at start
 */
public record ClientConfig(PeerConfig peer, ColorMode colorMode, Hyperlinks hyperlinks, boolean lineMode,
                           Optional<String> loginAs, Optional<Path> passwordFile, Map<String, String> environment,
                           NotifyLevel notifyLevel, String timestamps, Optional<String> passwordCommand,
                           List<String> autojoin, List<String> ignore, Path settingsFile, ConfigFile settings) {

    public ClientConfig {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(colorMode, "colorMode");
        Objects.requireNonNull(hyperlinks, "hyperlinks");
        Objects.requireNonNull(loginAs, "loginAs");
        Objects.requireNonNull(passwordFile, "passwordFile");
        environment = Map.copyOf(environment);
        Objects.requireNonNull(notifyLevel, "notifyLevel");
        Objects.requireNonNull(timestamps, "timestamps");
        Objects.requireNonNull(passwordCommand, "passwordCommand");
        Objects.requireNonNull(settingsFile, "settingsFile");
        Objects.requireNonNull(settings, "settings");
        autojoin = List.copyOf(autojoin);
        ignore = List.copyOf(ignore);
        if (loginAs.isPresent() && passwordFile.isEmpty() && passwordCommand.isEmpty()) {
            throw new IllegalArgumentException("--user needs --password-file");
        }
    }

    public Path dataDir() {
        return peer.dataDir();
    }
}
