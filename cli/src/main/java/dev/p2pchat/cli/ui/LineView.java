package dev.p2pchat.cli.ui;

import java.io.PrintStream;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.cli.render.EventLine;
import dev.p2pchat.cli.session.ChatView;
import dev.p2pchat.cli.session.Receipt;

/**
 * Line mode output: one {@link EventLine} per event on one stream, errors included, so a script sees
 * everything in order. No colours, no escape sequences. Own messages end with {@code (pending ID)} and
 * their receipt names the same id:
 * <pre>
 * 12:03:04 [chat bob] &lt;alice&gt; hi (pending 3f2a9c)
 * 12:03:04 ✓ delivered 3f2a9c to bob
 * 12:03:05 ✗ failed 3f2a9c to bob: bob is offline
 * 12:03:06 ✓ delivered 77a1b0 1/2 — missing: carol
 * </pre>
 */
public final class LineView implements ChatView {

    private final PrintStream out;
    private final EventLine lines;

    public LineView(PrintStream out, EventLine lines) {
        this.out = Objects.requireNonNull(out, "out");
        this.lines = Objects.requireNonNull(lines, "lines");
    }

    @Override
    public void message(Instant at, Conversation conversation, String sender, String text) {
        print(format(at, conversation, sender, text));
    }

    @Override
    public void sent(Instant at, Conversation conversation, String sender, String text, String id) {
        print(format(at, conversation, sender, text) + " (pending " + EventLine.oneLine(id) + ")");
    }

    @Override
    public void receipt(Instant at, String id, Receipt receipt) {
        print(switch (receipt) {
            case Receipt.Delivered delivered -> lines.delivered(at, id + " to " + delivered.to());
            case Receipt.Stored stored -> lines.stored(at, id, stored.to());
            case Receipt.Failed failed -> lines.failed(at, id + " to " + failed.to(),
                    failed.reason() == null || failed.reason().isBlank() ? "no reason given" : failed.reason());
            case Receipt.Room room when room.failed() -> lines.failed(at, id + " " + room.delivered() + "/" + room.members(),
                    "missing: " + String.join(", ", room.missing()));
            case Receipt.Room room -> lines.delivered(at, id + " " + room.describe());
        });
    }

    @Override
    public void notice(Instant at, String text) {
        print(lines.notice(at, text));
    }

    @Override
    public void error(Instant at, String text) {
        print(lines.error(at, text));
    }

    @Override
    public void connection(Instant at, Connection change) {
        print(change.up() ? lines.notice(at, change.text()) : lines.error(at, change.text()));
    }

    @Override
    public void history(Instant at, Conversation conversation, List<String> shown) {
        String kind = conversation instanceof Conversation.Room ? "room" : "chat";
        shown.forEach(line -> print(lines.history(at, kind, conversation.name(), line)));
    }

    @Override
    public void block(Instant at, List<String> block) {
        block.forEach(line -> print(lines.notice(at, line)));
    }

    @Override
    public void stateChanged(String username, Optional<Conversation> current) {
        // Line mode has no prompt.
    }

    private String format(Instant at, Conversation conversation, String sender, String text) {
        return switch (conversation) {
            case Conversation.Room room -> lines.roomMessage(at, room.name(), sender, text);
            case Conversation.Direct direct -> lines.directMessage(at, direct.name(), sender, text);
        };
    }

    private void print(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
