package dev.p2pchat.cli.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.ZoneId;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.InfoCmp;

import dev.p2pchat.cli.command.Command;
import dev.p2pchat.cli.command.CommandParser;
import dev.p2pchat.cli.render.TerminalCapabilities;
import dev.p2pchat.cli.render.Theme;
import dev.p2pchat.cli.session.ChatPeer;
import dev.p2pchat.cli.session.ChatSession;
import dev.p2pchat.cli.session.EventRelay;
import dev.p2pchat.cli.session.PasswordSource;
import dev.p2pchat.cli.session.SecretLines;
import dev.p2pchat.cli.session.UserError;

/**
 * The terminal chat: a JLine line editor with history (in the data dir, without password lines), tab
 * completion and a prompt naming the user and conversation; incoming events are printed above the
 * input line. Ctrl-D, or Ctrl-C on an empty line, quits like /quit.
 */
public final class InteractiveMode {

    private static final int HISTORY_LINES = 1_000;

    private final ChatPeer peer;
    private final EventRelay events;
    private final Theme theme;
    private final Hyperlinks hyperlinks;
    private final Map<String, String> environment;
    private final Path historyFile;
    private final Optional<char[]> filePassword;
    private final Clock clock;

    public InteractiveMode(ChatPeer peer, EventRelay events, Theme theme, Hyperlinks hyperlinks,
                           Map<String, String> environment, Path historyFile, Optional<char[]> filePassword, Clock clock) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.events = Objects.requireNonNull(events, "events");
        this.theme = Objects.requireNonNull(theme, "theme");
        this.hyperlinks = Objects.requireNonNull(hyperlinks, "hyperlinks");
        this.environment = Map.copyOf(environment);
        this.historyFile = Objects.requireNonNull(historyFile, "historyFile");
        this.filePassword = Objects.requireNonNull(filePassword, "filePassword");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public int run(Optional<String> loginAs) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            ChatLineReader reader = new ChatLineReader(terminal);
            reader.setParser(lenientParser());
            reader.setHistory(new FilteringHistory());
            reader.setVariable(LineReader.HISTORY_FILE, historyFile);
            reader.setVariable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES);
            reader.setVariable(LineReader.HISTORY_SIZE, HISTORY_LINES);
            // Chat text is not shell input: '!' must not expand history, and nothing is a comment.
            reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
            reader.setOpt(LineReader.Option.HISTORY_IGNORE_SPACE);

            Integer maxColors = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
            TerminalCapabilities capabilities = new TerminalCapabilities(maxColors == null ? 8 : maxColors,
                    hyperlinks.enabled(environment));
            AtomicReference<String> prompt = new AtomicReference<>();
            TerminalView view = new TerminalView(theme, capabilities, clock.getZone(), reader::printAbove,
                    newPrompt -> updatePrompt(reader, prompt, newPrompt));
            prompt.set(view.prompt(null, Optional.empty()));

            ChatSession session = new ChatSession(peer, view, passwordSource(reader), clock);
            reader.setCompleter(new ChatCompleter(session));
            reader.eraseFinishedLines(line -> wipeFromScreen(line, session.current().isPresent()));
            events.attach(session);

            if (loginAs.isEmpty()) {
                view.notice(clock.instant(), "type /help — not logged in (new here? /register NAME, then /login NAME)");
            }
            loginAs.ifPresent(user -> session.handle(new Command.Login(user, Optional.empty())));
            loop(reader, prompt, session);
            session.end();
            reader.getHistory().save();
        }
        return 0;
    }

    private static void loop(ChatLineReader reader, AtomicReference<String> prompt, ChatSession session) {
        while (true) {
            String line;
            try {
                line = reader.readLine(prompt.get());
            } catch (UserInterruptException e) {
                if (e.getPartialLine() == null || e.getPartialLine().isBlank()) {
                    return;
                }
                continue;
            } catch (EndOfFileException e) {
                return;
            }
            if (session.handle(CommandParser.parse(line)) == ChatSession.Next.QUIT) {
                return;
            }
        }
    }

    /**
     * Whether a finished input line is wiped from the screen. Chat text reappears at once as the formatted
     * message, so its raw echo is noise; but when there is no conversation the session refuses it, and the
     * line stays so the error has its context. A typed password is wiped too. Other commands stay.
     */
    static boolean wipeFromScreen(String line, boolean inConversation) {
        if (line.isBlank()) {
            return true;
        }
        Command command = CommandParser.parse(line);
        return switch (command) {
            case Command.Say say -> inConversation;
            case Command.Login login -> login.password().isPresent();
            case Command.Register register -> register.password().isPresent();
            default -> SecretLines.mayHoldSecret(line);
        };
    }

    private static void updatePrompt(LineReaderImpl reader, AtomicReference<String> prompt, String newPrompt) {
        prompt.set(newPrompt);
        if (reader.isReading()) {
            try {
                // Redisplay alone: it diffs against what is on screen, so a shorter prompt leaves no debris
                // (REDRAW_LINE first would forget the old line and leave its tail behind).
                reader.setPrompt(newPrompt);
                reader.callWidget(LineReader.REDISPLAY);
            } catch (IllegalStateException notReadingAnyMore) {
                // The next readLine shows the new prompt anyway.
            }
        }
    }

    /** Without echo, and never into the history; asked twice for a new account. */
    private PasswordSource passwordSource(ChatLineReader reader) {
        return (username, newAccount) -> {
            if (filePassword.isPresent()) {
                return filePassword.get().clone();
            }
            char[] first = ask(reader, "password for " + username + ": ");
            if (newAccount) {
                char[] again = ask(reader, "repeat the password: ");
                boolean same = Arrays.equals(first, again);
                Arrays.fill(again, '\0');
                if (!same) {
                    Arrays.fill(first, '\0');
                    throw new UserError("the passwords do not match");
                }
            }
            return first;
        };
    }

    private static char[] ask(ChatLineReader reader, String prompt) throws UserError {
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        // The prompt and its mask are wiped once answered: the notice that follows says what happened.
        Predicate<String> before = reader.eraseFinishedLines(line -> true);
        try {
            String typed = reader.readLine(prompt, LineReaderImpl.NULL_MASK);
            if (typed.isEmpty()) {
                throw new UserError("the password must not be empty");
            }
            return typed.toCharArray();
        } catch (UserInterruptException | EndOfFileException e) {
            throw new UserError("cancelled");
        } finally {
            reader.eraseFinishedLines(before);
            reader.setVariable(LineReader.DISABLE_HISTORY, false);
        }
    }

    /** Splits words for completion only; never asks for a continuation line (an apostrophe is not a quote). */
    private static DefaultParser lenientParser() {
        DefaultParser parser = new DefaultParser();
        parser.setEofOnUnclosedQuote(false);
        parser.setEofOnEscapedNewLine(false);
        parser.setEofOnUnclosedBracket();
        parser.setLineCommentDelims(null);
        parser.setEscapeChars(new char[0]);
        return parser;
    }
}
