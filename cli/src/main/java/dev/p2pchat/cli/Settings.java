package dev.p2pchat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.p2pchat.cli.files.PrivateFiles;
import dev.p2pchat.cli.session.SettingsStore;
import dev.p2pchat.cli.session.UserError;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * The config file as {@code /set KEY VALUE} and {@code /save} see it: the settings read at start, changed one key
 * at a time (each change checked by the same rules as the file), written back on {@code /save}. Writing drops
 * comments: the file is the client's once saved from inside it. Thread-safe (one lock, no I/O under it but the
 * save itself).
 */
public final class Settings implements SettingsStore {

    /** The keys /set changes, in file order; a list is written comma-separated. {@code colors.ROLE} too. */
    public static final List<String> KEYS = List.of("registry", "registry_fingerprint", "user", "password_cmd", "autojoin",
            "notify", "timestamps");
    /** {@code /set colors.highlight magenta bold}: the {@code [colors]} table's keys. */
    public static final String COLORS_PREFIX = "colors.";

    private static final TomlMapper TOML = new TomlMapper();

    private final Path file;
    private ConfigFile config;

    public Settings(Path file, ConfigFile initial) {
        this.file = Objects.requireNonNull(file, "file");
        this.config = Objects.requireNonNull(initial, "initial");
    }

    @Override
    public synchronized String set(String key, String value) throws UserError {
        if (!KEYS.contains(key) && !key.startsWith(COLORS_PREFIX)) {
            throw new UserError("no setting " + key + " — /set takes " + String.join(", ", KEYS) + ", " + COLORS_PREFIX + "ROLE"
                    + (key.equals("ignore") ? " (the ignore list is /ignore's)" : ""));
        }
        ObjectNode node = tree(config, List.copyOf(config.ignore()));
        if (key.startsWith(COLORS_PREFIX)) {
            ObjectNode colors = node.has("colors") ? (ObjectNode) node.get("colors") : node.putObject("colors");
            colors.put(key.substring(COLORS_PREFIX.length()), value);
        } else if (key.equals("autojoin")) {
            ArrayNode rooms = node.putArray(key);
            Arrays.stream(value.split("[,\\s]+")).filter(s -> !s.isBlank()).forEach(rooms::add);
        } else {
            node.put(key, value);
        }
        try {
            // The same rules as the file: what /set accepts, the next start reads.
            config = ConfigFile.parse(TOML.writeValueAsString(node), "/set " + key);
        } catch (ConfigFile.Invalid e) {
            throw new UserError(e.getMessage().replaceFirst("^/set [a-z_.]+(, line \\d+)?: ", ""));
        }
        return key.equals("autojoin") ? String.join(", ", config.autojoin()) : value;
    }

    @Override
    public synchronized Path save(Collection<String> ignored) throws UserError {
        String text = "# p2pchat settings, written by /save\n" + TOML.writeValueAsString(tree(config, List.copyOf(ignored)));
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Path temp = Files.createTempFile(parent, ".config", ".toml");
            PrivateFiles.secure(temp);
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Files.move(temp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            config = config.withIgnore(List.copyOf(ignored));
            return file;
        } catch (IOException e) {
            throw new UserError("could not write " + file + ": " + e.getMessage());
        }
    }

    public synchronized ConfigFile current() {
        return config;
    }

    private static ObjectNode tree(ConfigFile config, List<String> ignored) {
        ObjectNode node = TOML.createObjectNode();
        put(node, "registry", config.registry());
        put(node, "registry_fingerprint", config.registryFingerprint());
        put(node, "user", config.user());
        put(node, "password_cmd", config.passwordCommand());
        if (!config.autojoin().isEmpty()) {
            config.autojoin().forEach(node.putArray("autojoin")::add);
        }
        put(node, "notify", config.notifyLevel());
        put(node, "timestamps", config.timestamps());
        if (!ignored.isEmpty()) {
            ignored.forEach(node.putArray("ignore")::add);
        }
        if (!config.colors().isEmpty()) {
            ObjectNode colors = node.putObject("colors");
            config.colors().forEach(colors::put);
        }
        return node;
    }

    private static void put(ObjectNode node, String key, Optional<String> value) {
        value.ifPresent(v -> node.put(key, v));
    }
}
