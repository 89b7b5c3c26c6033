package dev.p2pchat.cli.ui;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

import org.jline.reader.Candidate;
import org.jline.reader.Completer;
import org.jline.reader.LineReader;
import org.jline.reader.ParsedLine;

import dev.p2pchat.cli.command.CommandParser;

/**
 * Tab completion of the first argument, offering only what the command can take: command names first;
 * online users after /chat, /msg and /search; the users asking for a chat after /accept and /reject; open
 * chats after /close; open chats and the current room after /switch; rooms after /join. Names come from
 * what the session has seen (an immutable snapshot the UI thread publishes), refreshed from the
 * registry in the background at most every few seconds. It never takes a lock of ours: JLine calls it
 * holding its own.
 */
final class ChatCompleter implements Completer {

    /** The names completion draws on; a {@link CompletionSnapshot} in the app, a stub in tests. Never blocks. */
    interface Names {
        /** Asks the registry again, in the background, if the last answer is a few seconds old; quiet on failure. */
        void refresh();

        Collection<String> users();

        Collection<String> rooms();

        Collection<String> openChats();

        Collection<String> chatRequests();

        Optional<String> currentRoom();

        /** Every room the user is in (several at once), for /switch and /leave. */
        default Collection<String> joinedRooms() {
            return currentRoom().map(List::of).orElse(List.of());
        }

        /** Users on the /ignore list, for /unignore. */
        default Collection<String> ignored() {
            return List.of();
        }
    }

    private final Names names;

    /**
     * Completion over the latest {@code snapshot}; {@code refresh} must not block (it asks for fresh names
     * in the background, which reach a later snapshot).
     */
    ChatCompleter(Supplier<CompletionSnapshot> snapshot, Runnable refresh) {
        this(new Names() {
            @Override
            public void refresh() {
                refresh.run();
            }

            @Override
            public Collection<String> users() {
                return snapshot.get().users();
            }

            @Override
            public Collection<String> rooms() {
                return snapshot.get().rooms();
            }

            @Override
            public Collection<String> openChats() {
                return snapshot.get().openChats();
            }

            @Override
            public Collection<String> chatRequests() {
                return snapshot.get().chatRequests();
            }

            @Override
            public Optional<String> currentRoom() {
                return snapshot.get().currentRoom();
            }

            @Override
            public Collection<String> joinedRooms() {
                return snapshot.get().joinedRooms();
            }

            @Override
            public Collection<String> ignored() {
                return snapshot.get().ignored();
            }
        });
    }

    ChatCompleter(Names names) {
        this.names = names;
    }

    @Override
    public void complete(LineReader reader, ParsedLine line, List<Candidate> candidates) {
        candidates(line.words(), line.wordIndex()).forEach(value -> candidates.add(new Candidate(value)));
    }

    /** What may stand at word {@code index} of {@code words}. */
    List<String> candidates(List<String> words, int index) {
        String word = index < words.size() ? words.get(index) : "";
        if (index == 0) {
            return word.isEmpty() || word.startsWith("/") ? CommandParser.commandNames() : List.of();
        }
        if (index != 1 || words.isEmpty()) {
            return List.of();
        }
        List<String> out = new ArrayList<>();
        switch (words.getFirst().toLowerCase(Locale.ROOT)) {
            case "/help" -> CommandParser.commandNames().forEach(name -> out.add(name.substring(1)));
            case "/chat", "/msg", "/search", "/query", "/ignore" -> {
                names.refresh();
                out.addAll(names.users());
            }
            case "/accept", "/reject" -> out.addAll(names.chatRequests());
            case "/close" -> out.addAll(names.openChats());
            case "/switch" -> {
                out.addAll(names.openChats());
                names.joinedRooms().forEach(room -> out.add("#" + room));
            }
            case "/leave", "/part" -> names.joinedRooms().forEach(room -> out.add("#" + room));
            case "/unignore" -> out.addAll(names.ignored());
            case "/join", "/j" -> {
                names.refresh();
                out.addAll(names.rooms());
            }
            default -> { }
        }
        return out;
    }
}
