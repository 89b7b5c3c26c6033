package dev.p2pchat.cli.ui;

import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.IntSupplier;

import org.jline.utils.AttributedCharSequence;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import dev.p2pchat.cli.command.Command;
import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.cli.render.Markup;
import dev.p2pchat.cli.render.Mentions;
import dev.p2pchat.cli.render.RenderedText;
import dev.p2pchat.cli.render.TerminalCapabilities;
import dev.p2pchat.cli.render.TerminalText;
import dev.p2pchat.cli.render.Wrap;
import dev.p2pchat.cli.render.Theme;
import dev.p2pchat.cli.session.ChatView;
import dev.p2pchat.cli.session.Receipt;

/**
 * The interactive chat display: each event becomes styled ANSI text handed to {@code printAbove}, so it
 * appears above the line the user is typing without disturbing it. Formatting is pure (see
 * {@link #format}); only the {@code printer} touches the terminal.
 *
 * <p>A receipt is printed under its message, indented to the message text and dimmed. When other lines
 * came in between, it quotes the start of the message, so it still says which one it is about:
 * <pre>
 * 12:03 [#lobby] bob: hello *everyone*
 * 12:03 [#lobby] alice: hi …
 *                       ✓ 2/2 delivered
 * 12:04 [carol] alice: psst …
 * 12:04 * dave joined lobby
 *                       ✓ delivered to carol · "psst"
 * </pre>
 */
public final class TerminalView implements ChatView {

    /** The default timestamp: weechat shows seconds, irssi does not; {@code --timestamps HH:mm:ss} adds them. */
    public static final String DEFAULT_TIMESTAMPS = "HH:mm";
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("EEEE d MMMM uuuu", java.util.Locale.ENGLISH);
    /** Own messages end with this until their receipt: the wrap keeps room for it. */
    private static final String PENDING = " …";
    /** Own messages remembered for their receipt; older ones get a receipt line without indent or quote. */
    private static final int REMEMBERED_SENDS = 1_000;
    private static final int QUOTE_CHARS = 24;
    /** A receipt is never indented further than this, so it stays visible on narrow windows. */
    private static final int MAX_INDENT = 40;

    /**
     * Where the view's lines go: the UI actor's buffers. {@code alert} is the plain text of a bell and desktop
     * notification, or null.
     */
    interface Output {
        void line(Buffers.Place place, ScreenLine line, Buffers.Activity activity, String alert);

        /** A chat request line; a flood of them may be folded into one. */
        void chatRequest(Buffers.Place place, String from, ScreenLine line, String alert);

        /** The session's current conversation changed (empty: none, the status buffer). */
        void focus(Optional<Conversation> conversation);

        void prompt(String ansi);

        /** Transfer {@code key}'s live progress line (plain text, safe to show), or null once it is over. */
        default void transfer(String key, String line) {
        }
    }

    /** Changed by /set colors.ROLE; lines already shown keep their colours. */
    private volatile Theme theme;
    private final TerminalCapabilities capabilities;
    /** Changed by /set timestamps; read by the UI thread too (summary lines). */
    private volatile DateTimeFormatter time;
    private final ZoneId zone;
    private final IntSupplier width;
    /** The day of the last line of each buffer: a line of another day is preceded by a date line. */
    private final Map<String, LocalDate> lastDay = new HashMap<>();
    private final Output output;
    private volatile NotifyLevel notify;

    /** Where each own message's text starts on screen, how to quote it, and in which conversation it was sent. */
    private record SentLine(int indent, String quote, Conversation conversation) {}

    private final Map<String, SentLine> sent = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, SentLine> eldest) {
            return size() > REMEMBERED_SENDS;
        }
    };
    /** The id of the own message printed last, while nothing else has been printed after it. */
    private String lastLineSentId;
    private String user;
    private Optional<Conversation> current = Optional.empty();
    private boolean connected = true;

    /**
     * @param printer       shows one or more finished lines above the input line ({@code LineReader::printAbove})
     * @param promptChanged receives the new prompt (ANSI) when the user, conversation or connection changes
     */
    public TerminalView(Theme theme, TerminalCapabilities capabilities, ZoneId zone,
                        Consumer<String> printer, Consumer<String> promptChanged) {
        this(theme, capabilities, zone, printer, (from, ansi) -> printer.accept(ansi), promptChanged);
    }

    /** @param requestPrinter shows a chat request line, given its sender (the UI actor folds floods of them) */
    public TerminalView(Theme theme, TerminalCapabilities capabilities, ZoneId zone, Consumer<String> printer,
                        BiConsumer<String, String> requestPrinter, Consumer<String> promptChanged) {
        this(theme, capabilities, zone, DEFAULT_TIMESTAMPS, NotifyLevel.MENTIONS, () -> 0, new Output() {
            @Override
            public void line(Buffers.Place place, ScreenLine line, Buffers.Activity activity, String alert) {
                printer.accept(line.at(0));
            }

            @Override
            public void chatRequest(Buffers.Place place, String from, ScreenLine line, String alert) {
                requestPrinter.accept(from, line.at(0));
            }

            @Override
            public void focus(Optional<Conversation> conversation) {
            }

            @Override
            public void prompt(String ansi) {
                promptChanged.accept(ansi);
            }
        });
        Objects.requireNonNull(printer, "printer");
        Objects.requireNonNull(requestPrinter, "requestPrinter");
        Objects.requireNonNull(promptChanged, "promptChanged");
    }

    /** The view of the buffered UI: every line says which buffer it belongs to. */
    /**
     * @param timestamps a {@link DateTimeFormatter} pattern for the time before each line ("HH:mm:ss")
     * @param width      the terminal's width now (lines wrap at it; 0 or less: no wrapping)
     */
    TerminalView(Theme theme, TerminalCapabilities capabilities, ZoneId zone, String timestamps, NotifyLevel notify,
                 IntSupplier width, Output output) {
        this.theme = Objects.requireNonNull(theme, "theme");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.zone = Objects.requireNonNull(zone, "zone");
        this.time = DateTimeFormatter.ofPattern(timestamps).withZone(zone);
        this.width = Objects.requireNonNull(width, "width");
        this.notify = Objects.requireNonNull(notify, "notify");
        this.output = Objects.requireNonNull(output, "output");
    }

    @Override
    public void message(Instant at, Conversation conversation, String sender, String text) {
        boolean mention = Mentions.mentions(text, user);
        boolean direct = conversation instanceof Conversation.Direct;
        String alert = switch (notify) {
            case NEVER -> null;
            case MENTIONS -> mention || direct ? alertText(conversation, sender, text) : null;
            case ALWAYS -> alertText(conversation, sender, text);
        };
        print(at, new Buffers.Place.Of(conversation), formatLine(at, conversation, sender, text, false, mention),
                mention ? Buffers.Activity.HIGHLIGHT : Buffers.Activity.MESSAGE, alert);
    }

    @Override
    public void sent(Instant at, Conversation conversation, String sender, String text, String id) {
        print(at, new Buffers.Place.Of(conversation), formatLine(at, conversation, sender, text, true, false),
                Buffers.Activity.QUIET, null);
        sent.put(id, new SentLine(Math.min(MAX_INDENT, head(at, conversation, sender, true, false, isAction(text)).columnLength()),
                quote(text), conversation));
        lastLineSentId = id;
    }

    @Override
    public void receipt(Instant at, String id, Receipt receipt) {
        SentLine line = sent.get(id);
        Buffers.Place place = line == null ? Buffers.Place.CURRENT : new Buffers.Place.Of(line.conversation());
        print(place, ScreenLine.fixed(formatReceipt(at, id, receipt)), Buffers.Activity.QUIET, null);
    }

    @Override
    public void notice(Instant at, String text) {
        print(at, Buffers.Place.CURRENT, noticeOf(at, text), Buffers.Activity.QUIET, null);
    }

    @Override
    public void settingChanged(String key, String value) {
        switch (key) {
            case "notify" -> notify = NotifyLevel.valueOf(value.toUpperCase(java.util.Locale.ROOT));
            case "timestamps" -> time = DateTimeFormatter.ofPattern(value).withZone(zone);
            default -> {
                if (key.startsWith("colors.")) {
                    theme = theme.with(Theme.role(key.substring("colors.".length())), value);
                }
            }
        }
    }

    @Override
    public void roomNotice(Instant at, String room, String text) {
        print(at, new Buffers.Place.Of(new Conversation.Room(room)), noticeOf(at, text), Buffers.Activity.QUIET, null);
    }

    @Override
    public void chatNotice(Instant at, String with, String text) {
        print(at, new Buffers.Place.Of(new Conversation.Direct(with)), noticeOf(at, text), Buffers.Activity.QUIET, null);
    }

    /** In the status area, over the buffer list, updated in place: a line a second in the chat would bury it. */
    @Override
    public void transferProgress(Instant at, String with, String key, String text) {
        output.transfer(key, oneLine(text));
    }

    @Override
    public void transferEnded(String key) {
        output.transfer(key, null);
    }

    /** Chat requests go to the status buffer, highlighted there until it is looked at. */
    @Override
    public void chatRequest(Instant at, String from, String text) {
        lastLineSentId = null;
        dateLine(at, Buffers.Place.STATUS);
        output.chatRequest(Buffers.Place.STATUS, from, noticeOf(at, text),
                notify == NotifyLevel.NEVER ? null : oneLine(from) + " asks for a private chat");
    }

    /** "bob in #lobby: hi alice", "bob: psst": the plain text of a notification. */
    private static String alertText(Conversation conversation, String sender, String text) {
        String where = conversation instanceof Conversation.Room room ? " in #" + room.name() : "";
        return oneLine(sender) + where + ": " + oneLine(text);
    }

    /** The line standing for chat requests beyond the first few of a burst: one entry per request. */
    String requestSummary(Instant at, List<String> from) {
        List<String> names = from.stream().map(TerminalView::oneLine).distinct().toList();
        String who = names.size() <= 5 ? String.join(", ", names)
                : String.join(", ", names.subList(0, 5)) + " and " + (names.size() - 5) + " others";
        return noticeLine(at, from.size() + " more chat request" + (from.size() == 1 ? "" : "s") + " from " + who
                + " — /chats lists them");
    }

    /** The line saying that lines were dropped because they came faster than the terminal could show them. */
    String droppedLines(Instant at, int count) {
        return ansi(stamp(at).append("! " + count + " line" + (count == 1 ? "" : "s")
                + " not shown: they came faster than the terminal could show them", theme.warning()).toAttributedString());
    }

    private String noticeLine(Instant at, String text) {
        return noticeOf(at, text).at(width.getAsInt());
    }

    private ScreenLine noticeOf(Instant at, String text) {
        return wrapped(stamp(at).append("* ", theme.system()).toAttributedString(),
                new RenderedText(new AttributedString(oneLine(text), theme.system()), List.of()), 0);
    }

    @Override
    public void error(Instant at, String text) {
        print(at, Buffers.Place.CURRENT, wrapped(stamp(at).append("! ", theme.error()).toAttributedString(),
                new RenderedText(new AttributedString(oneLine(text), theme.error()), List.of()), 0), Buffers.Activity.QUIET, null);
    }

    @Override
    public void connection(Instant at, Connection change) {
        print(at, Buffers.Place.CURRENT, ScreenLine.fixed(ansi(stamp(at).append((change.up() ? "* " : "! ")
                + oneLine(change.text()), change.up() ? theme.system() : theme.warning()).toAttributedString())),
                Buffers.Activity.QUIET, null);
        if (connected != change.up()) {
            connected = change.up();
            output.prompt(prompt(user, current));
        }
    }

    /** In the conversation's own buffer, dimmed, quiet: history is not news. */
    @Override
    public void history(Instant at, Conversation conversation, List<String> lines) {
        Buffers.Place place = new Buffers.Place.Of(conversation);
        for (String line : lines) {
            print(place, ScreenLine.fixed(ansi(new AttributedString(oneLine(line), theme.history()))), Buffers.Activity.QUIET, null);
        }
    }

    @Override
    public void block(Instant at, List<String> lines) {
        StringBuilder out = new StringBuilder();
        for (String line : lines) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(ansi(new AttributedString(oneLine(line))));
        }
        print(out.toString());
    }

    @Override
    public void stateChanged(String username, Optional<Conversation> conversation) {
        this.user = username;
        this.current = Objects.requireNonNull(conversation, "conversation");
        if (username == null) {
            // Logged out, the connection is no longer reported (see ChatSession); the next /login tells.
            connected = true;
        }
        output.focus(conversation);
        output.prompt(prompt(username, conversation));
    }

    /**
     * The prompt: {@code alice@lobby> } in a room, {@code alice→bob> } in a private chat, {@code p2pchat> }
     * logged out; {@code (offline)} is added while the registry cannot be reached.
     */
    public String prompt(String user, Optional<Conversation> current) {
        String who = user == null ? "p2pchat"
                : user + current.map(c -> c instanceof Conversation.Room ? "@" + c.name() : "→" + c.name()).orElse("");
        AttributedStringBuilder prompt = new AttributedStringBuilder().append(oneLine(who), theme.prompt());
        if (!connected) {
            prompt.append(" (offline)", theme.warning());
        }
        return ansi(prompt.append("> ", theme.prompt()).toAttributedString());
    }

    /**
     * The status line under the input: {@code [1:status] 2:#lobby(3) 3:bob(1!)}, the buffer shown in brackets,
     * buffers with unread messages bold, highlighted ones (a mention, a chat request) in the highlight style;
     * cut to {@code width} columns.
     */
    AttributedString statusLine(List<Buffers.Entry> entries, int width) {
        AttributedStringBuilder line = new AttributedStringBuilder();
        for (Buffers.Entry entry : entries) {
            if (!line.isEmpty()) {
                line.append(" ");
            }
            AttributedStyle style = entry.highlight() ? theme.highlight()
                    : entry.unread() > 0 ? theme.unread() : AttributedStyle.DEFAULT;
            line.append(oneLine(entry.toString()), entry.current() ? style.bold() : style);
        }
        AttributedString full = line.toAttributedString();
        return width > 1 && full.columnLength() > width ? full.columnSubSequence(0, width - 1) : full;
    }

    /** One message as ANSI; the sender's name in their colour (own name bold), the text with markup and links. */
    String format(Instant at, Conversation conversation, String sender, String text, boolean own) {
        return format(at, conversation, sender, text, own, false);
    }

    /** @param mention the message names this user: the sender's name is shown in the highlight style */
    String format(Instant at, Conversation conversation, String sender, String text, boolean own, boolean mention) {
        return formatLine(at, conversation, sender, text, own, mention).at(width.getAsInt());
    }

    /** The message as the buffers keep it: wrapped again at each width it is shown at. */
    private ScreenLine formatLine(Instant at, Conversation conversation, String sender, String text, boolean own,
                                  boolean mention) {
        boolean action = isAction(text);
        String shown = action ? text.substring(Command.Me.PREFIX.length()) : text;
        RenderedText body = Markup.renderWithLinks(TerminalText.sanitize(shown), AttributedStyle.DEFAULT, theme.mode());
        ScreenLine out = wrapped(head(at, conversation, sender, own, mention, action), body, own ? PENDING.length() : 0);
        if (!own) {
            return out;
        }
        String pending = ansi(new AttributedString(PENDING, theme.timestamp()));
        return columns -> out.at(columns) + pending;
    }

    /**
     * {@code head} then {@code body}, wrapped at word boundaries to the terminal's width; continuation lines
     * (wrapped, or after a line break in the text) are indented under the text, not under the time.
     * {@code reserve} columns are kept free at the end of the last line.
     */
    private ScreenLine wrapped(AttributedString head, RenderedText body, int reserve) {
        String headAnsi = ansi(head);
        return columns -> wrapped(headAnsi, head.columnLength(), body, reserve, columns);
    }

    private String wrapped(String headAnsi, int headColumns, RenderedText body, int reserve, int columns) {
        int indent = Math.min(MAX_INDENT, headColumns);
        if (columns > 0 && indent > columns / 2) {
            indent = Math.min(4, columns / 4); // a narrow window: the text would be squeezed into a sliver
        }
        int first = columns > 0 ? Math.max(1, columns - headColumns - reserve) : 0;
        int rest = columns > 0 ? Math.max(1, columns - indent - reserve) : 0;
        String text = body.text().toString();
        StringBuilder out = new StringBuilder(headAnsi);
        String pad = " ".repeat(indent);
        boolean firstLine = true;
        for (Wrap.Line line : Wrap.lines(text, first, rest)) {
            if (!firstLine) {
                out.append('\n').append(pad);
            }
            firstLine = false;
            out.append(body.slice(line.start(), line.end()).toAnsi(capabilities));
        }
        return out.toString();
    }

    /** The receipt line: under its message when that was the last line, else quoting the message. */
    String formatReceipt(Instant at, String id, Receipt receipt) {
        SentLine line = sent.remove(id);
        boolean underItsMessage = id.equals(lastLineSentId);
        AttributedStyle mark;
        AttributedStyle words;
        String text;
        switch (receipt) {
            case Receipt.Delivered delivered -> {
                mark = theme.delivered();
                words = theme.receipt();
                text = "✓ delivered to " + delivered.to();
            }
            case Receipt.Stored stored -> {
                mark = theme.warning();
                words = theme.receipt();
                text = "✉ " + stored.describe();
            }
            case Receipt.Failed failed -> {
                mark = theme.failed();
                words = theme.failed();
                text = "✗ " + failed.describe();
            }
            case Receipt.Room room when room.failed() -> {
                mark = theme.failed();
                words = theme.failed();
                text = "✗ " + roomTally(room);
            }
            case Receipt.Room room when room.complete() -> {
                mark = theme.delivered();
                words = theme.receipt();
                text = room.members() == 0 ? "✓ 0/0 — nobody else is in the room" : "✓ " + roomTally(room);
            }
            case Receipt.Room room -> {
                mark = theme.warning();
                words = theme.warning();
                text = "✓ " + roomTally(room);
            }
        }
        AttributedStringBuilder out = new AttributedStringBuilder();
        if (line == null) {
            out.append(stamp(at).toAttributedString());
        } else {
            out.append(" ".repeat(line.indent()));
        }
        String body = oneLine(text);
        out.append(body.substring(0, 1), mark).append(body.substring(1), words);
        if (line != null && !underItsMessage) {
            out.append(" · \"" + line.quote() + "\"", theme.receipt());
        }
        return ansi(out.toAttributedString());
    }

    /** "2/2 delivered", "1/2 delivered — missing: carol". */
    private static String roomTally(Receipt.Room room) {
        return room.delivered() + "/" + room.members() + " delivered"
                + (room.missing().isEmpty() ? "" : " — missing: " + String.join(", ", room.missing()));
    }

    /** {@code 12:03 [#lobby] bob: }, or for an action {@code 12:03 [#lobby] * bob } (the action follows). */
    private AttributedString head(Instant at, Conversation conversation, String sender, boolean own, boolean mention,
                                  boolean action) {
        String tag = conversation instanceof Conversation.Room ? "#" + conversation.name() : conversation.name();
        AttributedStringBuilder head = stamp(at).append("[" + oneLine(tag) + "] ", theme.timestamp());
        if (action) {
            head.append("* ");
        }
        return head.append(oneLine(sender), own ? theme.own() : mention ? theme.highlight() : theme.user(sender))
                .append(action ? " " : ": ")
                .toAttributedString();
    }

    /**
     * A /me action travels as text starting with "/me " (no wire change: a client that does not know actions
     * shows the text as it is, which IRC users read the same way).
     */
    static boolean isAction(String text) {
        return text != null && text.startsWith(Command.Me.PREFIX) && !text.substring(Command.Me.PREFIX.length()).isBlank();
    }

    private void print(String ansi) {
        print(Buffers.Place.CURRENT, ScreenLine.fixed(ansi), Buffers.Activity.QUIET, null);
    }

    private void print(Buffers.Place place, ScreenLine line, Buffers.Activity activity, String alert) {
        lastLineSentId = null;
        output.line(place, line, activity, alert);
    }

    /** Like {@link #print(Buffers.Place, ScreenLine, Buffers.Activity, String)}, after a date line if the day changed. */
    private void print(Instant at, Buffers.Place place, ScreenLine line, Buffers.Activity activity, String alert) {
        dateLine(at, place);
        print(place, line, activity, alert);
    }

    /** "-- Thursday 3 December 2026 --" before the first line of a new day in a buffer (not before its first line). */
    private void dateLine(Instant at, Buffers.Place place) {
        String key = switch (place) {
            case Buffers.Place.Current ignored -> current.map(TerminalView::key).orElse("status");
            case Buffers.Place.Status ignored -> "status";
            case Buffers.Place.Of of -> key(of.conversation());
        };
        LocalDate day = at.atZone(zone).toLocalDate();
        LocalDate before = lastDay.put(key, day);
        if (before != null && !before.equals(day)) {
            output.line(place, ScreenLine.fixed(ansi(new AttributedString("-- " + DAY.format(day) + " --", theme.system()))),
                    Buffers.Activity.QUIET, null);
        }
    }

    private static String key(Conversation conversation) {
        return (conversation instanceof Conversation.Room ? "#" : "@") + conversation.name().toLowerCase(java.util.Locale.ROOT);
    }

    private AttributedStringBuilder stamp(Instant at) {
        return new AttributedStringBuilder().append(time.format(at) + " ", theme.timestamp());
    }

    private String ansi(AttributedString text) {
        return text.toAnsi(capabilities.colors(), AttributedCharSequence.ForceMode.None);
    }

    private static String quote(String untrusted) {
        String flat = TerminalText.sanitize(untrusted).replaceAll("\\s+", " ").strip();
        int end = flat.offsetByCodePoints(0, Math.min(QUOTE_CHARS, flat.codePointCount(0, flat.length())));
        return end < flat.length() ? flat.substring(0, end).stripTrailing() + "…" : flat;
    }

    private static String oneLine(String untrusted) {
        return TerminalText.sanitize(untrusted).replace('\n', ' ');
    }
}
