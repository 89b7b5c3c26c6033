package dev.p2pchat.cli.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

import dev.p2pchat.cli.command.Conversation;

/**
 * The conversations on screen, weechat style: buffer 1 is the status buffer (system notices), then one
 * buffer per room and per private chat, numbered in the order they appeared. Each keeps its recent lines,
 * how many messages arrived while it was not shown, whether one of them needs the user (a mention, a chat
 * request) and where the user left it (the read marker).
 *
 * <p>Pure and single-threaded: only the {@link UiActor} thread holds one, so nothing here locks. It holds any
 * number of rooms, although the registry keeps a session in one room today.
 */
final class Buffers {

    /** How much a line matters to the hotlist. */
    enum Activity {
        /** A notice: kept in the buffer, not counted. */
        QUIET,
        /** A message: counted as unread. */
        MESSAGE,
        /** A mention or a chat request: counted and the buffer is highlighted until it is shown. */
        HIGHLIGHT
    }

    /** Where a line goes. */
    sealed interface Place {
        /** The buffer shown now (answers to commands). */
        record Current() implements Place {}

        /** The status buffer. */
        record Status() implements Place {}

        /** The buffer of a conversation, created if it does not exist yet. */
        record Of(Conversation conversation) implements Place {
            public Of {
                Objects.requireNonNull(conversation, "conversation");
            }
        }

        Place CURRENT = new Current();
        Place STATUS = new Status();
    }

    /** One entry of the status line: {@code 2:#lobby(3)}, {@code 3:bob(1!)}. */
    record Entry(int number, String label, int unread, boolean highlight, boolean current) {
        @Override
        public String toString() {
            String shown = number + ":" + label + (unread > 0 || highlight ? "(" + unread + (highlight ? "!" : "") + ")" : "");
            return current ? "[" + shown + "]" : shown;
        }
    }

    /** The lines to show after a switch; {@code markerAt} is the index before which the read marker goes, or -1. */
    record View(List<String> lines, int markerAt) {
        View {
            lines = List.copyOf(lines);
        }
    }

    private static final class Buffer {
        final Optional<Conversation> conversation;
        final Deque<ScreenLine> lines = new ArrayDeque<>();
        /** Lines ever added: the read marker is a position in this count, so dropping old lines does not move it. */
        long added;
        long readUpTo;
        int unread;
        boolean highlight;

        Buffer(Optional<Conversation> conversation) {
            this.conversation = conversation;
        }

        String label() {
            return conversation.map(c -> c instanceof Conversation.Room ? "#" + c.name() : c.name()).orElse("status");
        }
    }

    private final int maxLines;
    private final List<Buffer> buffers = new ArrayList<>();
    private Buffer current;

    /** @param maxLines lines kept per buffer for redrawing it */
    Buffers(int maxLines) {
        if (maxLines < 1) {
            throw new IllegalArgumentException("maxLines must be positive");
        }
        this.maxLines = maxLines;
        current = new Buffer(Optional.empty());
        buffers.add(current);
    }

    /** Adds a line; true if it belongs to the buffer shown now (the caller prints it at once). */
    boolean add(Place place, String line, Activity activity) {
        return add(place, ScreenLine.fixed(line), activity);
    }

    /** Adds a line that is wrapped again when the window's width changes; true if it belongs to the buffer shown now. */
    boolean add(Place place, ScreenLine line, Activity activity) {
        Buffer buffer = resolve(place);
        buffer.lines.addLast(line);
        buffer.added++;
        if (buffer.lines.size() > maxLines) {
            buffer.lines.removeFirst();
        }
        if (buffer == current) {
            buffer.readUpTo = buffer.added;
            return true;
        }
        if (activity != Activity.QUIET) {
            buffer.unread++;
        }
        if (activity == Activity.HIGHLIGHT) {
            buffer.highlight = true;
        }
        return false;
    }

    /**
     * Shows the buffer of {@code conversation} (the status buffer if empty), creating it if needed. Returns
     * what to redraw, or empty if it was shown already. The buffer left keeps its read marker where it was left.
     */
    Optional<View> focus(Optional<Conversation> conversation) {
        return focus(conversation, 0);
    }

    /** Like {@link #focus(Optional)}, the lines wrapped for a terminal {@code columns} wide. */
    Optional<View> focus(Optional<Conversation> conversation, int columns) {
        Buffer target = conversation.map(c -> resolve(new Place.Of(c))).orElse(buffers.getFirst());
        if (target == current) {
            return Optional.empty();
        }
        current.readUpTo = current.added;
        current = target;
        long unseen = target.added - target.readUpTo;
        int markerAt = (int) Math.max(0, target.lines.size() - unseen);
        if (unseen <= 0 || markerAt == 0 && target.readUpTo == 0) {
            // Nothing new, or nothing was ever read here: a marker would say nothing.
            markerAt = -1;
        }
        target.unread = 0;
        target.highlight = false;
        return Optional.of(new View(rows(target, columns), markerAt));
    }

    /** The buffer shown now, wrapped for a terminal {@code columns} wide (after a resize: all of it was seen, no marker). */
    View current(int columns) {
        return new View(rows(current, columns), -1);
    }

    private static List<String> rows(Buffer buffer, int columns) {
        List<String> rows = new ArrayList<>(buffer.lines.size());
        for (ScreenLine line : buffer.lines) {
            rows.add(line.at(columns));
        }
        return rows;
    }

    /** The conversation of buffer {@code number} (1 is the status buffer: an empty conversation), if it exists. */
    Optional<Optional<Conversation>> at(int number) {
        if (number < 1 || number > buffers.size()) {
            return Optional.empty();
        }
        return Optional.of(buffers.get(number - 1).conversation);
    }

    /** The conversation {@code delta} buffers away from the current one, wrapping around. */
    Optional<Conversation> neighbour(int delta) {
        int size = buffers.size();
        int index = Math.floorMod(buffers.indexOf(current) + delta, size);
        return buffers.get(index).conversation;
    }

    /** The conversation shown now; empty for the status buffer. */
    Optional<Conversation> current() {
        return current.conversation;
    }

    /** The status line's entries, in buffer order. */
    List<Entry> entries() {
        List<Entry> entries = new ArrayList<>(buffers.size());
        for (int i = 0; i < buffers.size(); i++) {
            Buffer b = buffers.get(i);
            entries.add(new Entry(i + 1, b.label(), b.unread, b.highlight, b == current));
        }
        return entries;
    }

    /** The status line as plain text: {@code [1:status] 2:#lobby(3) 3:bob(1!)}. */
    String statusLine() {
        return String.join(" ", entries().stream().map(Entry::toString).toList());
    }

    private Buffer resolve(Place place) {
        return switch (place) {
            case Place.Current ignored -> current;
            case Place.Status ignored -> buffers.getFirst();
            case Place.Of of -> {
                String key = key(of.conversation());
                for (Buffer b : buffers) {
                    if (b.conversation.isPresent() && key(b.conversation.get()).equals(key)) {
                        yield b;
                    }
                }
                Buffer created = new Buffer(Optional.of(of.conversation()));
                buffers.add(created);
                yield created;
            }
        };
    }

    /** Names are case-insensitive; a room and a user may share a name. */
    private static String key(Conversation conversation) {
        return (conversation instanceof Conversation.Room ? "#" : "@") + conversation.name().toLowerCase(Locale.ROOT);
    }
}
