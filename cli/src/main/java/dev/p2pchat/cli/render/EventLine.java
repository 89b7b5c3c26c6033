package dev.p2pchat.cli.render;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * One chat event as one plain line, for line mode (scripts, tests, pipes). The format is an
 * interface for scripts, so it is fixed:
 * <pre>
 * 12:03:04 [room lobby] &lt;alice&gt; hello
 * 12:03:04 [chat bob] &lt;bob&gt; hi
 * 12:03:04 * bob joined lobby
 * 12:03:04 ! error: unknown room
 * 12:03:04 ✓ delivered 3f2a9c
 * 12:03:04 ✗ failed 3f2a9c: peer offline
 * </pre>
 * Every field is sanitised, and a newline inside a field becomes "↵", so one event is always
 * exactly one line and no peer can forge a line that looks like another event.
 */
public final class EventLine {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss");

    private final DateTimeFormatter time;

    /** @param zone the zone timestamps are shown in (the system default in the app, fixed in tests) */
    public EventLine(ZoneId zone) {
        this.time = TIME.withZone(Objects.requireNonNull(zone, "zone"));
    }

    public String roomMessage(Instant at, String room, String sender, String text) {
        return message(at, "room", room, sender, text);
    }

    public String directMessage(Instant at, String peer, String sender, String text) {
        return message(at, "chat", peer, sender, text);
    }

    /** A line from the chat history, replayed at login: marked so that no one takes it for a new message. */
    public String history(Instant at, String kind, String conversation, String line) {
        return time.format(at) + " [" + kind + " " + oneLine(conversation) + "] (history) " + oneLine(line);
    }

    public String notice(Instant at, String text) {
        return time.format(at) + " * " + oneLine(text);
    }

    public String error(Instant at, String text) {
        return time.format(at) + " ! error: " + oneLine(text);
    }

    public String delivered(Instant at, String messageId) {
        return time.format(at) + " ✓ delivered " + oneLine(messageId);
    }

    /** A message waiting in the offline recipient's mailbox. */
    public String stored(Instant at, String messageId, String to) {
        return time.format(at) + " ✉ stored " + oneLine(messageId) + " for " + oneLine(to) + " (offline)";
    }

    public String failed(Instant at, String messageId, String reason) {
        return time.format(at) + " ✗ failed " + oneLine(messageId) + ": " + oneLine(reason);
    }

    private String message(Instant at, String kind, String conversation, String sender, String text) {
        return time.format(at) + " [" + kind + " " + oneLine(conversation) + "] <" + oneLine(sender) + "> " + oneLine(text);
    }

    /** {@code untrusted} sanitised, with every newline shown as "↵": safe as part of one output line. */
    public static String oneLine(String untrusted) {
        return TerminalText.sanitize(untrusted).replace('\n', '↵');
    }
}
