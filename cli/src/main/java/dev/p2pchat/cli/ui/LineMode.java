package dev.p2pchat.cli.ui;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.p2pchat.cli.command.Command;
import dev.p2pchat.cli.command.CommandParser;
import dev.p2pchat.cli.render.EventLine;
import dev.p2pchat.cli.session.ChatPeer;
import dev.p2pchat.cli.session.ChatSession;
import dev.p2pchat.cli.session.EventRelay;
import dev.p2pchat.cli.session.PasswordSource;
import dev.p2pchat.cli.session.SettingsStore;

/**
 * The non-interactive client, for scripts, tests and pipes: one command per input line, one event per
 * output line ({@link LineView}). At the end of the input (or /quit) it waits until every sent message
 * has a receipt, at most {@code receiptWait}, then logs out.
 */
public final class LineMode {

    private final ChatPeer peer;
    private final EventRelay events;
    private final PasswordSource passwords;
    private final Duration receiptWait;
    private final ZoneId zone;
    private final Clock clock;
    private List<String> autojoin = List.of();
    private SettingsStore settings = SettingsStore.none();
    private List<String> ignore = List.of();

    public LineMode(ChatPeer peer, EventRelay events, PasswordSource passwords, Duration receiptWait, ZoneId zone,
                    Clock clock) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.events = Objects.requireNonNull(events, "events");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.receiptWait = Objects.requireNonNull(receiptWait, "receiptWait");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where /set and /save keep the settings (the config file). */
    public LineMode settings(SettingsStore store) {
        this.settings = Objects.requireNonNull(store, "store");
        return this;
    }

    /** Rooms joined once the start-up login succeeded, and users ignored from the start (the config file's). */
    public LineMode startWith(List<String> autojoin, List<String> ignore) {
        this.autojoin = List.copyOf(autojoin);
        this.ignore = List.copyOf(ignore);
        return this;
    }

    /** Reads commands from {@code in} until its end; returns the exit code: 0 if every command succeeded, else 1. */
    public int run(InputStream in, PrintStream out, Optional<String> loginAs) throws IOException, InterruptedException {
        EventLine format = new EventLine(zone);
        LineView view = new LineView(out, format);
        ChatSession session = new ChatSession(peer, view, passwords, clock);
        session.ignoreAll(ignore);
        session.settings(settings);
        events.attach(session);
        loginAs.ifPresent(user -> session.handle(new Command.Login(user, Optional.empty())));
        if (loginAs.isPresent() && session.username() != null) {
            autojoin.forEach(room -> session.handle(new Command.Join(room, Optional.empty())));
        }
        try (BufferedReader input = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = input.readLine()) != null) {
                if (session.handle(CommandParser.parse(line)) == ChatSession.Next.QUIT) {
                    break;
                }
            }
        }
        if (!session.awaitReceipts(receiptWait)) {
            int left = session.awaitingReceipts();
            view.notice(clock.instant(), left + (left == 1 ? " message has" : " messages have") + " no receipt yet; leaving anyway");
        }
        session.end();
        // A script must be able to tell that something it asked for did not happen.
        return session.failedCommands() == 0 ? 0 : 1;
    }
}
