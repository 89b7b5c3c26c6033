package dev.p2pchat.cli.command;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Turns one line of user input into a {@link Command}. Never throws: anything wrong becomes
 * {@link Command.Invalid} with a message meant for the user.
 *
 * <ul>
 *   <li>A blank line is {@link Command.Empty}. A line whose first non-blank character is not {@code /}
 *       is {@link Command.Say}, kept exactly as typed.</li>
 *   <li>Leading blanks before a {@code /} are ignored, so " /login bob secret" is a command and is
 *       never sent to a room as text.</li>
 *   <li>{@code //text} says "/text". Command names are case-insensitive.</li>
 *   <li>Arguments are split as {@link ArgumentLexer} describes; message text and an unquoted
 *       description take the rest of the line as typed.</li>
 * </ul>
 */
public final class CommandParser {

    /** A user-facing reason to refuse the input; only {@link #parse} catches it. */
    private static final class Rejected extends Exception {
        Rejected(String message) {
            super(message, null, false, false);
        }
    }

    private static final String USER = "user name";
    private static final String ROOM = "room name";

    private CommandParser() {}

    /** The command names with their slash ("/join"), in help order, for tab completion. */
    public static List<String> commandNames() {
        return HelpText.entries().stream().map(entry -> "/" + entry.name()).toList();
    }

    public static Command parse(String line) {
        if (line == null || line.isBlank()) {
            return new Command.Empty();
        }
        String trimmed = line.stripLeading();
        if (!trimmed.startsWith("/")) {
            return say(line);
        }
        if (trimmed.startsWith("//")) {
            return say(trimmed.substring(1));
        }
        int nameEnd = commandNameEnd(trimmed);
        String typed = trimmed.substring(1, nameEnd);
        if (typed.isEmpty()) {
            return new Command.Invalid("type a command after the /, or /help to list them");
        }
        ArgumentLexer args = new ArgumentLexer(trimmed.substring(nameEnd));
        try {
            return command(typed, args);
        } catch (Rejected rejected) {
            return new Command.Invalid(rejected.getMessage());
        } catch (ArgumentLexer.UnclosedQuote unclosed) {
            return new Command.Invalid(unclosed.getMessage());
        }
    }

    /**
     * The command word of {@code line} as the parser sees it, lower-cased with its slash ("/login"), an alias
     * resolved ("/j" is "/join"), or empty for chat text. The one definition of where a command name ends: the history filter uses it too, so a
     * line the parser reads as /login can never be recorded as something else.
     */
    public static Optional<String> commandName(String line) {
        if (line == null) {
            return Optional.empty();
        }
        String trimmed = line.stripLeading();
        if (!trimmed.startsWith("/") || trimmed.startsWith("//")) {
            return Optional.empty();
        }
        // An alias is the command it stands for: "/j lobby PASSWORD" must be kept from the history like /join.
        return Optional.of("/" + HelpText.resolve(trimmed.substring(1, commandNameEnd(trimmed))));
    }

    /** Whitespace between words of a command: the same test the argument lexer uses. */
    static boolean isSeparator(char c) {
        return Character.isWhitespace(c);
    }

    private static int commandNameEnd(String trimmed) {
        int nameEnd = 1;
        while (nameEnd < trimmed.length() && !isSeparator(trimmed.charAt(nameEnd))) {
            nameEnd++;
        }
        return nameEnd;
    }

    private static Command command(String typed, ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        String command = HelpText.resolve(typed);
        Command parsed = switch (command) {
            case "register" -> new Command.Register(user(args, command), password(args));
            case "login" -> new Command.Login(user(args, command), password(args));
            case "logout" -> new Command.Logout();
            case "users" -> new Command.Users();
            case "search" -> new Command.Search(user(args, command));
            case "chat" -> new Command.Chat(user(args, command));
            case "accept" -> new Command.Accept(user(args, command));
            case "reject" -> new Command.Reject(user(args, command));
            case "close" -> new Command.Close(optionalUser(args));
            case "chats" -> new Command.Chats();
            case "msg" -> msg(args);
            case "rooms" -> rooms(args);
            case "create" -> create(args);
            case "join" -> new Command.Join(room(args, command), password(args));
            case "leave" -> new Command.Leave(optionalRoom(args));
            case "me" -> me(args);
            case "ignore" -> new Command.Ignore(optionalUser(args));
            case "unignore" -> new Command.Unignore(user(args, command));
            case "who" -> new Command.Who();
            case "verify" -> verify(args);
            case "trust" -> new Command.Trust(user(args, command));
            case "contacts" -> new Command.Contacts();
            case "history" -> history(args);
            case "find" -> find(args);
            case "forget" -> forget(args);
            case "path" -> new Command.Path(user(args, command));
            case "send" -> new Command.SendFile(user(args, command),
                    args.next().orElseThrow(() -> new Rejected(HelpText.usage("send"))));
            case "get" -> new Command.GetFile(user(args, command), args.next());
            case "decline" -> new Command.DeclineFile(user(args, command));
            case "switch" -> switchTo(args);
            case "help" -> help(args);
            case "set" -> set(args);
            case "save" -> new Command.Save();
            case "quit" -> new Command.Quit();
            default -> throw unknown(typed);
        };
        if (args.hasNext()) {
            throw new Rejected(HelpText.usage(command));
        }
        return parsed;
    }

    private static Command say(String text) {
        return InputChecks.messageProblem(text).<Command>map(Command.Invalid::new).orElseGet(() -> new Command.Say(text));
    }

    private static String user(ArgumentLexer args, String command) throws Rejected, ArgumentLexer.UnclosedQuote {
        String name = args.next().orElseThrow(() -> new Rejected(HelpText.usage(command)));
        return checked(name, InputChecks.nameProblem(USER, name));
    }

    private static String room(ArgumentLexer args, String command) throws Rejected, ArgumentLexer.UnclosedQuote {
        String name = args.next().orElseThrow(() -> new Rejected(HelpText.usage(command)));
        return checked(name, InputChecks.nameProblem(ROOM, name));
    }

    private static Optional<String> optionalUser(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        Optional<String> name = args.next();
        if (name.isPresent()) {
            checked(name.get(), InputChecks.nameProblem(USER, name.get()));
        }
        return name;
    }

    /** An optional room name, written with or without its '#'. */
    private static Optional<String> optionalRoom(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        Optional<String> name = args.next().map(n -> n.startsWith("#") ? n.substring(1) : n);
        if (name.isPresent()) {
            checked(name.get(), InputChecks.nameProblem(ROOM, name.get()));
        }
        return name;
    }

    private static Command me(ArgumentLexer args) throws Rejected {
        String action = args.rest();
        if (action.isBlank()) {
            throw new Rejected(HelpText.usage("me"));
        }
        return new Command.Me(checked(action, InputChecks.messageProblem(Command.Me.PREFIX + action)));
    }

    private static Optional<String> password(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        Optional<String> password = args.next();
        if (password.isPresent()) {
            checked(password.get(), InputChecks.passwordProblem(password.get()));
        }
        return password;
    }

    private static Command msg(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        String name = user(args, "msg");
        String text = args.rest();
        if (text.isEmpty()) {
            throw new Rejected(HelpText.usage("msg"));
        }
        return new Command.Msg(name, checked(text, InputChecks.messageProblem(text)));
    }

    private static Command rooms(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        Optional<String> detail = args.next();
        if (detail.isPresent() && !detail.get().equalsIgnoreCase("detailed")) {
            throw new Rejected(HelpText.usage("rooms"));
        }
        return new Command.Rooms(detail.isPresent());
    }

    private static Command create(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        String name = room(args, "create");
        Optional<String> password = Optional.empty();
        OptionalInt capacity = OptionalInt.empty();
        Optional<String> description = Optional.empty();
        while (args.hasNext()) {
            String option = args.next().orElseThrow();
            Optional<String> inlineValue = Optional.empty();
            int equals = option.indexOf('=');
            if (option.startsWith("--") && equals > 0) {
                inlineValue = Optional.of(option.substring(equals + 1));
                option = option.substring(0, equals);
            }
            switch (option.toLowerCase(Locale.ROOT)) {
                case "--password" -> {
                    once(password.isPresent(), option);
                    String value = value(inlineValue, args, option);
                    password = Optional.of(checked(value, InputChecks.passwordProblem(value)));
                }
                case "--capacity" -> {
                    once(capacity.isPresent(), option);
                    capacity = OptionalInt.of(capacity(value(inlineValue, args, option)));
                }
                case "--description" -> {
                    once(description.isPresent(), option);
                    // A quoted description ends at its closing quote; an unquoted one takes the rest of the line.
                    String value = inlineValue.isPresent() || args.nextIsQuoted()
                            ? value(inlineValue, args, option)
                            : args.rest();
                    description = Optional.of(checked(value, InputChecks.descriptionProblem(value)));
                }
                default -> throw new Rejected(option.startsWith("-")
                        ? "unknown option " + option + " — " + HelpText.usage("create")
                        : HelpText.usage("create"));
            }
        }
        return new Command.Create(name, password, capacity, description);
    }

    private static Command verify(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        String name = user(args, "verify");
        Optional<String> confirm = args.next();
        if (confirm.isPresent() && !confirm.get().equalsIgnoreCase("confirm")) {
            throw new Rejected(HelpText.usage("verify"));
        }
        return new Command.Verify(name, confirm.isPresent());
    }

    private static Command history(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        Optional<String> n = args.next();
        if (n.isEmpty()) {
            return new Command.History(OptionalInt.empty());
        }
        if (!n.get().matches("[0-9]{1,4}") || Integer.parseInt(n.get()) == 0) {
            throw new Rejected(HelpText.usage("history"));
        }
        return new Command.History(OptionalInt.of(Integer.parseInt(n.get())));
    }

    private static Command find(ArgumentLexer args) throws Rejected {
        String words = args.rest().strip();
        if (words.isEmpty()) {
            throw new Rejected(HelpText.usage("find"));
        }
        return new Command.Find(words);
    }

    private static Command forget(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        if (!args.hasNext()) {
            return new Command.Forget(Optional.empty());
        }
        // a conversation by name, as /switch takes one; a buffer number is not a conversation
        if (!(switchTo(args) instanceof Command.Switch conversation)) {
            throw new Rejected(HelpText.usage("forget"));
        }
        return new Command.Forget(Optional.of(conversation.target()));
    }

    private static Command switchTo(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        String target = args.next().orElseThrow(() -> new Rejected(HelpText.usage("switch")));
        if (target.matches("[0-9]{1,2}") && Integer.parseInt(target) > 0) {
            return new Command.SwitchBuffer(Integer.parseInt(target));
        }
        if (target.startsWith("#")) {
            String room = target.substring(1);
            return new Command.Switch(new Conversation.Room(checked(room, InputChecks.nameProblem(ROOM, room))));
        }
        return new Command.Switch(new Conversation.Direct(checked(target, InputChecks.nameProblem(USER, target))));
    }

    private static Command set(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        String key = args.next().orElseThrow(() -> new Rejected(HelpText.usage("set"))).toLowerCase(Locale.ROOT);
        // The value is the rest of the line as typed: a password_cmd or a time pattern holds blanks.
        String value = args.nextIsQuoted() ? args.next().orElse("") : args.rest();
        if (value.isBlank()) {
            throw new Rejected(HelpText.usage("set"));
        }
        return new Command.Set(key, value.strip());
    }

    private static Command help(ArgumentLexer args) throws Rejected, ArgumentLexer.UnclosedQuote {
        Optional<String> topic = args.next();
        if (topic.isEmpty()) {
            return new Command.Help(Optional.empty());
        }
        HelpText.Entry entry = HelpText.entry(topic.get()).orElseThrow(() -> unknown(topic.get().replaceFirst("^/", "")));
        return new Command.Help(Optional.of(entry.name()));
    }

    private static int capacity(String value) throws Rejected {
        if (!value.matches("[0-9]{1,9}")) {
            throw new Rejected(InputChecks.capacityRule());
        }
        int capacity = Integer.parseInt(value);
        checked(value, InputChecks.capacityProblem(capacity));
        return capacity;
    }

    private static String value(Optional<String> inlineValue, ArgumentLexer args, String option)
            throws Rejected, ArgumentLexer.UnclosedQuote {
        if (inlineValue.isPresent()) {
            return inlineValue.get();
        }
        return args.next().orElseThrow(() -> new Rejected(option + " needs a value — " + HelpText.usage("create")));
    }

    private static void once(boolean alreadyGiven, String option) throws Rejected {
        if (alreadyGiven) {
            throw new Rejected(option + " is given twice");
        }
    }

    private static String checked(String value, Optional<String> problem) throws Rejected {
        if (problem.isPresent()) {
            throw new Rejected(problem.get());
        }
        return value;
    }

    private static Rejected unknown(String typed) {
        return new Rejected("unknown command /" + typed + " — type /help");
    }
}
