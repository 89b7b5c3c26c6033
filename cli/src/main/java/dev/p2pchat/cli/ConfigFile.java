package dev.p2pchat.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

import dev.p2pchat.cli.render.StyleSpec;
import dev.p2pchat.cli.render.Theme;
import dev.p2pchat.protocol.Names;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.dataformat.toml.TomlMapper;

/**
 * What a user sets once, in {@code <data-dir>/config.toml} (or {@code --config FILE}); flags override it.
 * Every key is optional:
 * <pre>
 * registry = "chat.example.org:7070"
 * registry_fingerprint = "AB:CD:…"
 * user = "alice"
 * password_cmd = "pass show p2pchat"   # run with sh -c; its first output line is the password
 * autojoin = ["lobby"]
 * notify = "mentions"                   # always | mentions | never
 * timestamps = "HH:mm:ss"
 * ignore = ["mallory"]
 *
 * [colors]                              # any of Theme.Role's keys; a style as StyleSpec reads it
 * highlight = "magenta bold"
 * status_bar = "black on cyan"
 * </pre>
 * A clear password is never accepted in the file: only a command that prints it. A mistake is reported with
 * its line number, and an unknown key is a mistake (a typo must not be silently ignored).
 */
public record ConfigFile(Optional<String> registry, Optional<String> registryFingerprint, Optional<String> user,
                         Optional<String> passwordCommand, List<String> autojoin, Optional<String> notifyLevel,
                         Optional<String> timestamps, List<String> ignore, Map<String, String> colors) {

    /** A config file that cannot be used; the message names the file and, where known, the line. */
    public static final class Invalid extends Exception {
        Invalid(String message) {
            super(message);
        }
    }

    private static final Set<String> KEYS = Set.of("registry", "registry_fingerprint", "user", "password_cmd", "autojoin",
            "notify", "timestamps", "ignore", "colors");
    private static final TomlMapper TOML = new TomlMapper();

    public ConfigFile {
        autojoin = List.copyOf(autojoin);
        ignore = List.copyOf(ignore);
        colors = Collections.unmodifiableMap(new TreeMap<>(colors));
    }

    public ConfigFile(Optional<String> registry, Optional<String> registryFingerprint, Optional<String> user,
                      Optional<String> passwordCommand, List<String> autojoin, Optional<String> notifyLevel,
                      Optional<String> timestamps, List<String> ignore) {
        this(registry, registryFingerprint, user, passwordCommand, autojoin, notifyLevel, timestamps, ignore, Map.of());
    }

    /** This file with {@code ignore} as its ignore list. */
    public ConfigFile withIgnore(List<String> ignore) {
        return new ConfigFile(registry, registryFingerprint, user, passwordCommand, autojoin, notifyLevel, timestamps, ignore,
                colors);
    }

    public static final ConfigFile EMPTY = new ConfigFile(Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Optional.empty(), Optional.empty(), List.of(), Map.of());

    /** Reads {@code file}; a missing file is {@link #EMPTY} unless {@code required}. */
    public static ConfigFile read(Path file, boolean required) throws Invalid {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            if (required) {
                throw new Invalid("the config file " + file + " does not exist");
            }
            return EMPTY;
        } catch (IOException e) {
            throw new Invalid("cannot read the config file " + file + ": " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Parses config text; {@code name} is how errors name it. */
    public static ConfigFile parse(String text, String name) throws Invalid {
        JsonNode root;
        try {
            root = TOML.readTree(text);
        } catch (JacksonException e) {
            int line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
            throw new Invalid(name + (line > 0 ? ", line " + line : "") + ": " + firstLine(e.getOriginalMessage()));
        }
        if (root == null || !root.isObject()) {
            return EMPTY;
        }
        if (root.has("password")) {
            throw new Invalid(at(name, text, "password") + ": a password is never kept in the file; use password_cmd");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = root.properties().iterator(); it.hasNext(); ) {
            String key = it.next().getKey();
            if (!KEYS.contains(key)) {
                throw new Invalid(at(name, text, key) + ": unknown key " + key + " (known: " + String.join(", ",
                        KEYS.stream().sorted().toList()) + ")");
            }
        }
        Optional<String> user = string(root, "user", name, text);
        if (user.isPresent() && Names.problemWithName("user", user.get()) != null) {
            throw new Invalid(at(name, text, "user") + ": " + Names.problemWithName("user", user.get()));
        }
        List<String> autojoin = strings(root, "autojoin", name, text);
        for (String room : autojoin) {
            String problem = Names.problemWithName("room", room.startsWith("#") ? room.substring(1) : room);
            if (problem != null) {
                throw new Invalid(at(name, text, "autojoin") + ": " + problem);
            }
        }
        Optional<String> notify = string(root, "notify", name, text);
        if (notify.isPresent() && !List.of("always", "mentions", "never").contains(notify.get())) {
            throw new Invalid(at(name, text, "notify") + ": notify is always, mentions or never, not " + notify.get());
        }
        return new ConfigFile(string(root, "registry", name, text), string(root, "registry_fingerprint", name, text), user,
                string(root, "password_cmd", name, text),
                autojoin.stream().map(r -> r.startsWith("#") ? r.substring(1) : r).toList(), notify,
                string(root, "timestamps", name, text), strings(root, "ignore", name, text), colors(root, name, text));
    }

    /** The {@code [colors]} table: each key a {@link Theme.Role}, each value a style {@link StyleSpec} can read. */
    private static Map<String, String> colors(JsonNode root, String name, String text) throws Invalid {
        JsonNode table = root.get("colors");
        if (table == null) {
            return Map.of();
        }
        if (!table.isObject()) {
            throw new Invalid(at(name, text, "colors") + ": colors is a table: a line [colors] and then role = \"style\" lines");
        }
        Map<String, String> colors = new TreeMap<>();
        for (Map.Entry<String, JsonNode> entry : table.properties()) {
            String key = entry.getKey();
            if (!entry.getValue().isString()) {
                throw new Invalid(at(name, text, key) + ": colors." + key + ": a style is a string in quotes, e.g. " + key
                        + " = \"yellow bold\"");
            }
            try {
                Theme.role(key);
                StyleSpec.parse(entry.getValue().asString());
            } catch (StyleSpec.Invalid e) {
                throw new Invalid(at(name, text, key) + ": colors." + key + ": " + e.getMessage());
            }
            colors.put(key, entry.getValue().asString().strip());
        }
        return colors;
    }

    private static Optional<String> string(JsonNode root, String key, String name, String text) throws Invalid {
        JsonNode node = root.get(key);
        if (node == null) {
            return Optional.empty();
        }
        if (!node.isString() || node.asString().isBlank()) {
            throw new Invalid(at(name, text, key) + ": " + key + " must be a non-empty string in quotes");
        }
        return Optional.of(node.asString().strip());
    }

    private static List<String> strings(JsonNode root, String key, String name, String text) throws Invalid {
        JsonNode node = root.get(key);
        if (node == null) {
            return List.of();
        }
        if (!node.isArray()) {
            throw new Invalid(at(name, text, key) + ": " + key + " must be a list of strings, e.g. " + key + " = [\"a\", \"b\"]");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode item : node) {
            if (!item.isString() || item.asString().isBlank()) {
                throw new Invalid(at(name, text, key) + ": " + key + " must hold non-empty strings in quotes");
            }
            out.add(item.asString().strip());
        }
        return out;
    }

    /** "FILE, line N" for the line that sets {@code key} (the parsed tree keeps no positions, the text does). */
    private static String at(String name, String text, String key) {
        Pattern assignment = Pattern.compile("^\\s*\"?" + Pattern.quote(key) + "\"?\\s*=");
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (assignment.matcher(lines[i]).find()) {
                return name + ", line " + (i + 1);
            }
        }
        return name;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "not valid TOML";
        }
        int end = message.indexOf('\n');
        return end < 0 ? message : message.substring(0, end);
    }
}
