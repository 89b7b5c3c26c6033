package dev.p2pchat.cli.command;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import dev.p2pchat.protocol.Names;

/**
 * One entry per command: the usage shown by /help and in error messages, and the names offered
 * by tab completion. This table is the single list of commands; the parser's usage errors quote it.
 */
public final class HelpText {

    /** @param name the command name without the slash, e.g. "join" */
    public record Entry(String name, String usage, String description) {}

    private static final List<Entry> ENTRIES = List.of(
            new Entry("register", "/register NAME [PASSWORD]", "create an account (the password is asked for if left out)"),
            new Entry("login", "/login NAME [PASSWORD]", "log in (the password is asked for if left out)"),
            new Entry("logout", "/logout", "log out"),
            new Entry("users", "/users", "list the users online"),
            new Entry("search", "/search NAME", "look up a user"),
            new Entry("chat", "/chat NAME", "ask NAME for a private chat, or switch to an open one"),
            new Entry("accept", "/accept NAME", "accept NAME's chat request"),
            new Entry("reject", "/reject NAME", "reject NAME's chat request"),
            new Entry("close", "/close [NAME]", "close the private chat with NAME (or the current one)"),
            new Entry("chats", "/chats", "list open private chats and unanswered chat requests"),
            new Entry("msg", "/msg NAME TEXT...", "send NAME a private message"),
            new Entry("rooms", "/rooms [detailed]", "list the rooms"),
            new Entry("create", "/create NAME [--password P] [--capacity N] [--description TEXT...]",
                    "create a room (capacity " + Names.MIN_CAPACITY + "–" + Names.MAX_CAPACITY + ", default "
                            + Command.Create.DEFAULT_CAPACITY + ")"),
            new Entry("join", "/join NAME [PASSWORD]", "join a room"),
            new Entry("leave", "/leave", "leave the current room"),
            new Entry("who", "/who", "list the members of the current room"),
            new Entry("switch", "/switch NAME|#ROOM", "make a chat or a room the current conversation"),
            new Entry("help", "/help [COMMAND]", "show all commands, or one"),
            new Entry("quit", "/quit", "leave the chat"));

    private static final int USAGE_WIDTH = ENTRIES.stream().mapToInt(e -> e.usage().length()).max().orElse(0);

    private HelpText() {}

    /** All commands, in the order /help lists them. */
    public static List<Entry> entries() {
        return ENTRIES;
    }

    /** The entry for {@code command} ("join" or "/join", any case). */
    public static Optional<Entry> entry(String command) {
        String name = command.startsWith("/") ? command.substring(1) : command;
        String key = name.toLowerCase(Locale.ROOT);
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
            "Tab completes commands, users and rooms; Ctrl-D or /quit leaves.");

    /** The help lines for all commands. */
    public static List<String> lines() {
        return ENTRIES.stream().map(HelpText::line).toList();
    }

    /** A few lines on how typing works, for the end of the full /help. */
    public static List<String> typing() {
        return TYPING;
    }

    /** "usage: /join NAME [PASSWORD]" for a known command name. */
    static String usage(String name) {
        return "usage: " + entry(name).orElseThrow().usage();
    }
}
