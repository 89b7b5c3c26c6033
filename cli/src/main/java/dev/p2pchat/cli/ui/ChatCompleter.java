package dev.p2pchat.cli.ui;

import java.util.List;
import java.util.Locale;
import java.util.Set;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import dev.p2pchat.cli.command.CommandParser;
import dev.p2pchat.cli.session.ChatSession;

/**
 * Tab completion: command names in the first word; user names after commands that take a user
 * (/chat, /msg, /accept, /reject, /search, /switch); room names after /join and {@code /switch #}.
 * Names come from what the session has seen, refreshed from the registry at most every few seconds.
 */
final class ChatCompleter implements Completer {

    private static final Set<String> USER_COMMANDS = Set.of("/chat", "/msg", "/accept", "/reject", "/search", "/switch");
    private static final Set<String> ROOM_COMMANDS = Set.of("/join", "/switch");

    private final ChatSession session;

    ChatCompleter(ChatSession session) {
        this.session = session;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        int word = line.wordIndex();
        List<String> words = line.words();
        if (word == 0) {
            if (line.word().startsWith("/") || line.word().isEmpty()) {
                CommandParser.commandNames().forEach(name -> candidates.add(new Candidate(name)));
            }
            return;
        }
        if (word != 1 || words.isEmpty()) {
            return;
        }
        String command = words.getFirst().toLowerCase(Locale.ROOT);
        if (command.equals("/help")) {
            CommandParser.commandNames().forEach(name -> candidates.add(new Candidate(name.substring(1))));
            return;
        }
        if (USER_COMMANDS.contains(command) || ROOM_COMMANDS.contains(command)) {
            session.refreshNamesIfStale();
        }
        if (USER_COMMANDS.contains(command)) {
            session.userNames().forEach(name -> candidates.add(new Candidate(name)));
        }
        if (command.equals("/join")) {
            session.roomNames().forEach(name -> candidates.add(new Candidate(name)));
        } else if (command.equals("/switch")) {
            session.roomNames().forEach(name -> candidates.add(new Candidate("#" + name)));
        }
    }
}
