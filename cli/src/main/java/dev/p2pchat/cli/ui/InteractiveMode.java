package dev.p2pchat.cli.ui;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Predicate;

import org.jline.keymap.KeyMap;
import org.jline.reader.Binding;
import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.Reference;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.DefaultParser;
import org.jline.reader.impl.LineReaderImpl;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jline.utils.AttributedString;
import org.jline.utils.InfoCmp;

import dev.p2pchat.cli.command.Command;
import dev.p2pchat.cli.files.PrivateFiles;
import dev.p2pchat.cli.command.CommandParser;
import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.cli.render.Notifications;
import dev.p2pchat.cli.render.TerminalCapabilities;
import dev.p2pchat.cli.render.Theme;
import dev.p2pchat.cli.session.ChatPeer;
import dev.p2pchat.cli.session.ChatSession;
import dev.p2pchat.cli.session.EventRelay;
import dev.p2pchat.cli.session.PasswordSource;
import dev.p2pchat.cli.session.SettingsStore;
import dev.p2pchat.cli.session.SecretLines;
import dev.p2pchat.cli.session.UserError;

/**
 * The terminal chat: a JLine line editor with history (in the data dir, without password lines), tab
 * completion and a prompt naming the user and conversation; incoming events are printed above the
 * input line. Ctrl-D, or Ctrl-C on an empty line, quits like /quit.
 */
public final class InteractiveMode {

    private static final int HISTORY_LINES = 1_000;
    /** How long /quit waits for the commands typed before it (a request times out well before this). */
    private static final Duration QUIT_WAIT = Duration.ofMinutes(1);

    private final ChatPeer peer;
    private final EventRelay events;
    private final Theme theme;
    private final Hyperlinks hyperlinks;
    private final Map<String, String> environment;
    private final Path historyFile;
    private final Optional<char[]> filePassword;
    private final Clock clock;
    private CompletableFuture<?> peerStarted = CompletableFuture.completedFuture(null);
    private NotifyLevel notify = NotifyLevel.MENTIONS;
    private String timestamps = TerminalView.DEFAULT_TIMESTAMPS;
    private List<String> autojoin = List.of();
    private SettingsStore settings = SettingsStore.none();
    private List<String> ignore = List.of();

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

    /** The --user login waits for {@code started}: the peer is still trying to reach the registry. */
    public InteractiveMode loginWhen(CompletableFuture<?> started) {
        this.peerStarted = Objects.requireNonNull(started, "started");
        return this;
    }

    /** Which messages ring the bell and notify ({@code --notify}). */
    public InteractiveMode notifyOn(NotifyLevel level) {
        this.notify = Objects.requireNonNull(level, "level");
        return this;
    }

    /** The timestamp pattern ({@code --timestamps}, a {@link java.time.format.DateTimeFormatter} pattern). */
    public InteractiveMode timestamps(String pattern) {
        this.timestamps = Objects.requireNonNull(pattern, "pattern");
        return this;
    }

    /** Where /set and /save keep the settings (the config file). */
    public InteractiveMode settings(SettingsStore store) {
        this.settings = Objects.requireNonNull(store, "store");
        return this;
    }

    /** Rooms joined once the start-up login succeeded, and users ignored from the start (the config file's). */
    public InteractiveMode startWith(List<String> autojoin, List<String> ignore) {
        this.autojoin = List.copyOf(autojoin);
        this.ignore = List.copyOf(ignore);
        return this;
    }

    public int run(Optional<String> loginAs) throws IOException {
        try (Terminal terminal = TerminalBuilder.builder().system(true).build()) {
            return run(terminal, loginAs);
        }
    }

    /**
     * The chat on {@code terminal}. Three threads, one job each: this one reads keys (JLine), the
     * {@code commands} thread runs one command after another (they may wait for the network), and the
     * {@link UiActor} thread alone writes to the screen. Peer events reach the screen through the session
     * and the actor, never by calling JLine while a lock of ours is held.
     */
    int run(Terminal terminal, Optional<String> loginAs) throws IOException {
        ChatLineReader reader = new ChatLineReader(terminal);
        reader.setParser(lenientParser());
        reader.setHistory(new FilteringHistory());
        reader.setVariable(LineReader.HISTORY_FILE, historyFile);
        reader.setVariable(LineReader.HISTORY_FILE_SIZE, HISTORY_LINES);
        reader.setVariable(LineReader.HISTORY_SIZE, HISTORY_LINES);
        // Chat text is not shell input: '!' must not expand history, and nothing is a comment.
        reader.setOpt(LineReader.Option.DISABLE_EVENT_EXPANSION);
        reader.setOpt(LineReader.Option.HISTORY_IGNORE_SPACE);
        PrivateFiles.secure(historyFile);

        Integer maxColors = terminal.getNumericCapability(InfoCmp.Capability.max_colors);
        TerminalCapabilities capabilities = new TerminalCapabilities(maxColors == null ? 8 : maxColors,
                hyperlinks.enabled(environment));
        AtomicReference<String> prompt = new AtomicReference<>();
        // The prompt the line being edited shows: a prompt change that raced the start of readLine is caught up.
        AtomicReference<String> onScreen = new AtomicReference<>();
        AtomicReference<CompletionSnapshot> names = new AtomicReference<>(CompletionSnapshot.EMPTY);
        AtomicReference<ChatSession> sessionRef = new AtomicReference<>();
        AtomicReference<TerminalView> viewRef = new AtomicReference<>();
        AtomicBoolean focused = new AtomicBoolean(true);
        Notifications.Kind notifications = Notifications.kind(environment);

        UiActor actor = new UiActor(new UiActor.Screen() {
            @Override
            public void printAbove(String lines) {
                reader.printAbove(lines);
            }

            @Override
            public void prompt(String newPrompt) {
                updatePrompt(reader, prompt, onScreen, newPrompt);
            }

            @Override
            public void redraw(String lines) {
                // The last screenful only: older lines would scroll by unseen.
                String[] all = lines.split("\n", -1);
                int rows = Math.max(1, reader.laidOutRows() - 2);
                reader.redraw(all.length <= rows || lines.isEmpty() ? lines
                        : String.join("\n", Arrays.asList(all).subList(all.length - rows, all.length)));
            }

            /** The status area: transfers in progress, then the buffer list; both kept to draw them together. */
            private List<Buffers.Entry> shownEntries = List.of();
            private List<String> shownTransfers = List.of();

            @Override
            public void status(List<Buffers.Entry> entries) {
                shownEntries = entries;
                drawStatus();
            }

            @Override
            public void transfers(List<String> lines) {
                shownTransfers = lines;
                drawStatus();
            }

            private void drawStatus() {
                int columns = reader.laidOutColumns();
                List<AttributedString> lines = new ArrayList<>();
                for (String transfer : shownTransfers) {
                    AttributedString line = new AttributedString(transfer);
                    lines.add(columns > 1 && line.columnLength() > columns ? line.columnSubSequence(0, columns - 1) : line);
                }
                lines.add(viewRef.get().statusLine(shownEntries, columns));
                reader.status(lines);
            }

            @Override
            public void alert(String text) {
                reader.writeControl("\u0007" + Notifications.sequence(notifications, "p2pchat", text).orElse(""));
            }

            @Override
            public boolean focused() {
                return focused.get();
            }

            @Override
            public int width() {
                return reader.laidOutColumns();
            }

            @Override
            public void afterBatch() {
                String wanted = prompt.get();
                if (reader.isReading() && !reader.askingSecret && wanted != null && !wanted.equals(onScreen.get())) {
                    updatePrompt(reader, prompt, onScreen, wanted);
                }
                ChatSession session = sessionRef.get();
                if (session != null) {
                    names.set(CompletionSnapshot.of(session));
                }
            }
        }, UiActor.DEFAULT_CAPACITY, from -> viewRef.get().requestSummary(clock.instant(), from),
                count -> viewRef.get().droppedLines(clock.instant(), count), readMarker(theme, capabilities)).start();
        reader.onResize(actor::resized);
        TerminalView view = new TerminalView(theme, capabilities, clock.getZone(), timestamps, notify, reader::laidOutColumns,
                new TerminalView.Output() {
                @Override
                public void line(Buffers.Place place, ScreenLine line, Buffers.Activity activity, String alert) {
                    actor.print(place, line, activity, alert);
                }

                @Override
                public void chatRequest(Buffers.Place place, String from, ScreenLine line, String alert) {
                    actor.printChatRequest(place, from, line, alert);
                }

                @Override
                public void focus(Optional<Conversation> conversation) {
                    actor.focus(conversation);
                }

                @Override
                public void prompt(String ansi) {
                    actor.prompt(ansi);
                }

                @Override
                public void transfer(String key, String line) {
                    actor.transfer(key, line);
                }
            });
        viewRef.set(view);
        prompt.set(view.prompt(null, Optional.empty()));

        ExecutorService commands = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("commands").daemon(true).factory());
        ExecutorService background = Executors.newSingleThreadExecutor(
                Thread.ofPlatform().name("completion-names").daemon(true).factory());
        ChatSession session = new ChatSession(peer, view, PasswordSource.none(), clock);
        session.ignoreAll(ignore);
        session.settings(settings);
        sessionRef.set(session);
        AtomicBoolean refreshing = new AtomicBoolean();
        reader.setCompleter(new ChatCompleter(names::get, () -> {
            if (refreshing.compareAndSet(false, true)) {
                background.execute(() -> {
                    try {
                        session.refreshNamesIfStale();
                    } finally {
                        refreshing.set(false);
                    }
                });
            }
        }));
        reader.eraseFinishedLines(line -> wipeFromScreen(line, names.get().inConversation()));
        bindBufferKeys(reader, actor, session, commands, focused);
        // Focus reporting (CSI ?1004h): the terminal says when its window gains or loses the focus, so a
        // message in the buffer being looked at does not ring while the user is reading it.
        reader.writeControl("\u001B[?1004h");
        actor.focus(Optional.empty());
        events.attach(session);

        try {
            if (loginAs.isEmpty()) {
                view.notice(clock.instant(), "type /help — not logged in (new here? /register NAME, then /login NAME)");
            }
            // With the registry down at start, the login waits until the peer could start (see OfflineStart).
            loginAs.ifPresent(user -> peerStarted.thenRun(() -> {
                try {
                    commands.execute(() -> {
                        session.handle(new Command.Login(user, Optional.empty()), filePasswords(loginAs));
                        if (session.username() != null) {
                            autojoin.forEach(room -> session.handle(new Command.Join(room, Optional.empty())));
                        }
                    });
                } catch (java.util.concurrent.RejectedExecutionException quitting) {
                    // The user quit before the registry answered.
                }
            }));
            loop(reader, prompt, onScreen, session, actor, commands, loginAs);
        } finally {
            commands.shutdown();
            try {
                // The commands typed before /quit still run, in order.
                if (!commands.awaitTermination(QUIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    commands.shutdownNow();
                }
                session.end();
                background.shutdownNow();
                actor.close();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            reader.writeControl("\u001B[?1004l");
            reader.getHistory().save();
            PrivateFiles.secure(historyFile);
        }
        return 0;
    }

    private void loop(ChatLineReader reader, AtomicReference<String> prompt, AtomicReference<String> onScreen,
                      ChatSession session, UiActor actor,
                      ExecutorService commands, Optional<String> loginAs) {
        while (true) {
            String line;
            try {
                String shown = prompt.get();
                onScreen.set(shown);
                line = reader.readLine(shown);
            } catch (UserInterruptException e) {
                if (e.getPartialLine() == null || e.getPartialLine().isBlank()) {
                    return;
                }
                continue;
            } catch (EndOfFileException e) {
                return;
            }
            Command command = CommandParser.parse(line);
            if (command instanceof Command.Quit) {
                return;
            }
            if (command instanceof Command.SwitchBuffer buffer) {
                // Buffer numbers are the UI's: resolved here, like Alt-N.
                Optional<Optional<Conversation>> target = actor.buffer(buffer.number());
                if (target.isPresent()) {
                    queueFocus(commands, session, target.get());
                } else {
                    commands.execute(() -> session.handle(new Command.Invalid("there is no buffer " + buffer.number())));
                }
                continue;
            }
            // A password is asked here, on the thread that owns the keyboard, before the command is queued.
            PasswordSource passwords = askedPasswords(reader, command, loginAs);
            commands.execute(() -> session.handle(command, passwords));
        }
    }

    /**
     * Alt-1..9 show buffer 1..9, Alt-Left/Right the previous/next one. The widget runs on the input thread and
     * queues the switch on the commands thread, so what is typed next goes to the buffer picked; the session
     * then tells the view, which tells the actor to redraw.
     */
    private static void bindBufferKeys(ChatLineReader reader, UiActor actor, ChatSession session, ExecutorService commands,
                                       AtomicBoolean focused) {
        KeyMap<Binding> main = reader.getKeyMaps().get(LineReader.MAIN);
        for (int i = 1; i <= 9; i++) {
            int number = i;
            String name = "p2pchat-buffer-" + i;
            reader.getWidgets().put(name, () -> {
                actor.buffer(number).ifPresent(target -> queueFocus(commands, session, target));
                return true;
            });
            main.bind(new Reference(name), KeyMap.alt((char) ('0' + i)));
        }
        reader.getWidgets().put("p2pchat-buffer-previous", () -> {
            queueFocus(commands, session, actor.neighbour(-1));
            return true;
        });
        reader.getWidgets().put("p2pchat-buffer-next", () -> {
            queueFocus(commands, session, actor.neighbour(1));
            return true;
        });
        // xterm and tmux send CSI 1;3D for Alt-Left; others send ESC then the plain arrow.
        main.bind(new Reference("p2pchat-buffer-previous"), "\u001B[1;3D", "\u001B\u001B[D", "\u001B\u001BOD");
        main.bind(new Reference("p2pchat-buffer-next"), "\u001B[1;3C", "\u001B\u001B[C", "\u001B\u001BOC");
        reader.getWidgets().put("p2pchat-focus-in", () -> {
            focused.set(true);
            return true;
        });
        reader.getWidgets().put("p2pchat-focus-out", () -> {
            focused.set(false);
            return true;
        });
        main.bind(new Reference("p2pchat-focus-in"), "\u001B[I");
        main.bind(new Reference("p2pchat-focus-out"), "\u001B[O");
    }

    private static void queueFocus(ExecutorService commands, ChatSession session, Optional<Conversation> target) {
        try {
            commands.execute(() -> session.focus(target));
        } catch (java.util.concurrent.RejectedExecutionException quitting) {
            // Leaving anyway.
        }
    }

    private static String readMarker(Theme theme, TerminalCapabilities capabilities) {
        return new org.jline.utils.AttributedString("-------------- unread --------------", theme.warning())
                .toAnsi(capabilities.colors(), org.jline.utils.AttributedCharSequence.ForceMode.None);
    }

    /**
     * The password for a /login or /register typed without one: the {@code --password-file}'s if it is
     * for that account (no {@code --user}, or the same name), else asked now without echo. An answer that
     * cannot be used becomes the command's error.
     */
    private PasswordSource askedPasswords(ChatLineReader reader, Command command, Optional<String> loginAs) {
        String name;
        boolean newAccount;
        switch (command) {
            case Command.Login login when login.password().isEmpty() -> {
                name = login.name();
                newAccount = false;
            }
            case Command.Register register when register.password().isEmpty() -> {
                name = register.name();
                newAccount = true;
            }
            default -> {
                return PasswordSource.none();
            }
        }
        if (filePasswordIsFor(name, loginAs)) {
            return filePasswords(loginAs);
        }
        try {
            char[] typed = askTwiceIfNew(reader, name, newAccount);
            AtomicReference<char[]> once = new AtomicReference<>(typed);
            return (user, isNew) -> {
                char[] password = once.getAndSet(null);
                if (password == null) {
                    throw new UserError("the password was already used");
                }
                return password;
            };
        } catch (UserError e) {
            return (user, isNew) -> {
                throw e;
            };
        }
    }

    /** The --password-file serves --user only (or any account when no --user was given). */
    private boolean filePasswordIsFor(String name, Optional<String> loginAs) {
        return filePassword.isPresent() && loginAs.map(user -> user.equalsIgnoreCase(name)).orElse(true);
    }

    private PasswordSource filePasswords(Optional<String> loginAs) {
        return (username, newAccount) -> {
            if (!filePasswordIsFor(username, loginAs)) {
                throw new UserError("the --password-file is for " + loginAs.orElseThrow()
                        + ", not " + username + " — type the password: /login " + username);
            }
            return filePassword.orElseThrow(() -> new UserError("no password given")).clone();
        };
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
            case Command.Me me -> inConversation;
            case Command.Login login -> login.password().isPresent();
            case Command.Register register -> register.password().isPresent();
            default -> SecretLines.mayHoldSecret(line);
        };
    }

    private static void updatePrompt(ChatLineReader reader, AtomicReference<String> prompt,
                                     AtomicReference<String> onScreen, String newPrompt) {
        prompt.set(newPrompt);
        if (reader.isReading() && !reader.askingSecret) {
            try {
                onScreen.set(newPrompt);
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
    private static char[] askTwiceIfNew(ChatLineReader reader, String username, boolean newAccount) throws UserError {
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
    }

    private static char[] ask(ChatLineReader reader, String prompt) throws UserError {
        reader.setVariable(LineReader.DISABLE_HISTORY, true);
        // The prompt and its mask are wiped once answered: the notice that follows says what happened.
        Predicate<String> before = reader.eraseFinishedLines(line -> true);
        reader.askingSecret = true;
        try {
            String typed = reader.readLine(prompt, LineReaderImpl.NULL_MASK);
            if (typed.isEmpty()) {
                throw new UserError("the password must not be empty");
            }
            return typed.toCharArray();
        } catch (UserInterruptException | EndOfFileException e) {
            throw new UserError("cancelled");
        } finally {
            reader.askingSecret = false;
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
