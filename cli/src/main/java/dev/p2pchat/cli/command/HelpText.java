package dev.p2pchat.cli.command;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

import dev.p2pchat.protocol.Names;

/**
 * One entry per command: the usage shown by /help and in error messages, and the names offered
 * by tab completion. This table is the single list of commands; the parser's usage errors quote it.
 */
public final class HelpText {

    /** One option of a command, e.g. {@code --capacity N}. */
    public record Option(String synopsis, String description) {}

    /**
     * @param name    the command name without the slash, e.g. "join"
     * @param usage   as listed by /help; a command with options writes them as {@code [OPTIONS]} here
     * @param options spelled out by /help NAME and in usage errors
     */
    public record Entry(String name, String usage, String description, List<Option> options) {
        public Entry {
            options = List.copyOf(options);
        }

        Entry(String name, String usage, String description) {
            this(name, usage, description, List.of());
        }

        /** The usage with every option written out: {@code /create NAME [--password P] [--capacity N] …}. */
        public String fullUsage() {
            return options.isEmpty() ? usage : usage.replace("[OPTIONS]",
                    String.join(" ", options.stream().map(o -> "[" + o.synopsis() + "]").toList()));
        }
    }

    private static final List<Entry> ENTRIES = List.of(
            new Entry("register", "/register NAME [PASSWORD]", "create an account (asks for the password if left out)"),
            new Entry("login", "/login NAME [PASSWORD]", "log in (asks for the password if left out)"),
            new Entry("logout", "/logout", "log out"),
            new Entry("users", "/users", "list who else is online"),
            new Entry("search", "/search NAME", "look up a user: online or not, in which room"),
            new Entry("chat", "/chat NAME", "ask NAME for a private chat, or switch to an open one"),
            new Entry("accept", "/accept NAME", "accept NAME's chat request"),
            new Entry("reject", "/reject NAME", "reject NAME's chat request"),
            new Entry("close", "/close [NAME]", "close the private chat with NAME (or the current one)"),
            new Entry("chats", "/chats", "list open private chats and unanswered chat requests"),
            new Entry("send", "/send NAME FILE", "offer FILE to NAME in your private chat"),
            new Entry("get", "/get NAME [DIR]", "take (or resume) NAME's file; DIR: data-dir/downloads"),
            new Entry("decline", "/decline NAME", "refuse NAME's file offer"),
            new Entry("msg", "/msg NAME TEXT...", "send NAME a private message without switching to it"),
            new Entry("me", "/me ACTION...", "an action, shown as * alice ACTION"),
            new Entry("ignore", "/ignore [NAME]", "drop NAME's messages and chat requests (alone: list)"),
            new Entry("unignore", "/unignore NAME", "stop ignoring NAME"),
            new Entry("contacts", "/contacts", "list pinned keys: verified, unverified, changed"),
            new Entry("verify", "/verify NAME [confirm]", "safety number to compare (confirm: it matched)"),
            new Entry("trust", "/trust NAME", "accept NAME's new key; held messages go"),
            new Entry("history", "/history [N]", "show the last N messages here (default 20)"),
            new Entry("find", "/find TEXT...", "search the history of every conversation"),
            new Entry("forget", "/forget [NAME|#ROOM]", "delete a conversation's history (default: here)"),
            new Entry("rooms", "/rooms [detailed]", "list the rooms (detailed: with descriptions)"),
            new Entry("create", "/create NAME [OPTIONS]", "create a room; /help create lists the options", List.of(
                    new Option("--password P", "members must give P to /join"),
                    new Option("--capacity N", "at most N members, " + Names.MIN_CAPACITY + "–" + Names.MAX_CAPACITY
                            + " (default " + Command.Create.DEFAULT_CAPACITY + ")"),
                    new Option("--description TEXT...", "shown by /rooms detailed; quoted, or the rest of the line"))),
            new Entry("join", "/join NAME [PASSWORD]", "join a room too (the others stay joined)"),
            new Entry("leave", "/leave [#ROOM]", "leave the room named, or this buffer's room"),
            new Entry("who", "/who", "list the members of this buffer's room"),
            new Entry("path", "/path NAME", "how the link to NAME opened (direct, LAN, mapped…)"),
            new Entry("switch", "/switch NAME|#ROOM|N", "make a chat, a room or buffer N the current one"),
            new Entry("set", "/set KEY VALUE", "change a setting: notify, timestamps, autojoin, …"),
            new Entry("save", "/save", "write the settings and ignore list to the config file"),
            new Entry("help", "/help [COMMAND]", "show all commands, or one"),
            new Entry("quit", "/quit", "leave the chat"));

    /** What weechat and irssi users type, and the command each stands for. */
    private static final Map<String, String> ALIASES = aliases("j", "join", "part", "leave", "query", "chat", "q", "quit",
            "w", "who");

    private static Map<String, String> aliases(String... pairs) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            map.put(pairs[i], pairs[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Alias → command name, e.g. "j" → "join", in the order /help lists them. */
    public static Map<String, String> aliases() {
        return ALIASES;
    }

    /** The command name {@code typed} stands for: itself, or what the alias means (both lower case, no slash). */
    public static String resolve(String typed) {
        String key = typed.toLowerCase(Locale.ROOT);
        return ALIASES.getOrDefault(key, key);
    }

    private static final int USAGE_WIDTH = ENTRIES.stream().mapToInt(e -> e.usage().length()).max().orElse(0);

    private HelpText() {}

    /** All commands, in the order /help lists them. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry for {@code command} ("join" or "/join", any case). */
    public static Optional<Entry> entry(String command) {
        String name = command.startsWith("/") ? command.substring(1) : command;
        String key = resolve(name);
        return ENTRIES.stream().filter(e -> e.name().equals(key)).findFirst();
    }

    /** The help line for one command: usage, padded, then description. */
    public static String line(Entry entry) {
        return String.format("%-" + USAGE_WIDTH + "s  %s", entry.usage(), entry.description());
    }

    /** How typing works, shown under the full command list. */
    private static final List<String> TYPING = List.of(
            "Text without a leading / goes to the current conversation (the prompt names it); //text sends \"/text\".",
            "Quote arguments that contain blanks: /create lobby --description 'our first room'.",
            "Tab completes commands, users and rooms; Ctrl-D or /quit leaves.",
            "Aliases: " + String.join(", ", ALIASES.entrySet().stream().map(a -> "/" + a.getKey() + " = /" + a.getValue()).toList()) + ".",
            "Alt-1..9 show buffer 1..9 (1 is the status buffer), Alt-Left/Right the previous or next one.");

    /** The help lines for all commands. */
    public static List<String> lines() {
        return ENTRIES.stream().map(HelpText::line).toList();
    }

    /** A few lines on how typing works, for the end of the full /help. */
    public static List<String> typing() {
        return TYPING;
    }

    /**
     * The help for one command: its table line; for a command with options, the full usage, what it does,
     * then one line per option.
     */
    public static List<String> detail(Entry entry) {
        if (entry.options().isEmpty()) {
            return List.of(line(entry));
        }
        int width = entry.options().stream().mapToInt(o -> o.synopsis().length()).max().orElse(0);
        List<String> lines = new java.util.ArrayList<>();
        lines.add(entry.fullUsage());
        lines.add("  " + entry.description().replaceFirst("; /help " + entry.name() + " lists the options$", ""));
        entry.options().forEach(o -> lines.add(String.format("  %-" + width + "s  %s", o.synopsis(), o.description())));
        return lines;
    }

    /** "usage: /join NAME [PASSWORD]" for a known command name, options written out. */
    static String usage(String name) {
        return "usage: " + entry(name).orElseThrow().fullUsage();
    }
}
