package dev.p2pchat.cli.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jline.utils.AttributedCharSequence;
import org.jline.utils.AttributedString;
import org.jline.utils.AttributedStringBuilder;
import org.jline.utils.AttributedStyle;

import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.cli.render.Markup;
import dev.p2pchat.cli.render.RenderedText;
import dev.p2pchat.cli.render.TerminalCapabilities;
import dev.p2pchat.cli.render.TerminalText;
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

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");
    /** Own messages remembered for their receipt; older ones get a receipt line without indent or quote. */
    private static final int REMEMBERED_SENDS = 1_000;
    private static final int QUOTE_CHARS = 24;
    /** A receipt is never indented further than this, so it stays visible on narrow windows. */
    private static final int MAX_INDENT = 40;

    private final Theme theme;
    private final TerminalCapabilities capabilities;
    private final DateTimeFormatter time;
    private final Consumer<String> printer;
    private final Consumer<String> promptChanged;
    private final BiConsumer<String, String> requestPrinter;

    /** Where each own message's text starts on screen, and how to quote it. */
    private record SentLine(int indent, String quote) {}

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
        this.requestPrinter = Objects.requireNonNull(requestPrinter, "requestPrinter");
        this.theme = Objects.requireNonNull(theme, "theme");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.time = TIME.withZone(zone);
        this.printer = Objects.requireNonNull(printer, "printer");
        this.promptChanged = Objects.requireNonNull(promptChanged, "promptChanged");
    }

    @Override
    public void message(Instant at, Conversation conversation, String sender, String text) {
        print(format(at, conversation, sender, text, false));
    }

    @Override
    public void sent(Instant at, Conversation conversation, String sender, String text, String id) {
        print(format(at, conversation, sender, text, true));
        sent.put(id, new SentLine(Math.min(MAX_INDENT, head(at, conversation, sender, true).columnLength()), quote(text)));
        lastLineSentId = id;
    }

    @Override
    public void receipt(Instant at, String id, Receipt receipt) {
        print(formatReceipt(at, id, receipt));
    }

    @Override
    public void notice(Instant at, String text) {
        print(noticeLine(at, text));
    }

    @Override
    public void chatRequest(Instant at, String from, String text) {
        lastLineSentId = null;
        requestPrinter.accept(from, noticeLine(at, text));
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
        return ansi(stamp(at).append("* " + oneLine(text), theme.system()).toAttributedString());
    }

    @Override
    public void error(Instant at, String text) {
        print(ansi(stamp(at).append("! " + oneLine(text), theme.error()).toAttributedString()));
    }

    @Override
    public void connection(Instant at, Connection change) {
        print(ansi(stamp(at).append((change.up() ? "* " : "! ") + oneLine(change.text()),
                change.up() ? theme.system() : theme.warning()).toAttributedString()));
        if (connected != change.up()) {
            connected = change.up();
            promptChanged.accept(prompt(user, current));
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
        promptChanged.accept(prompt(username, conversation));
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

    /** One message as ANSI; the sender's name in their colour (own name bold), the text with markup and links. */
    String format(Instant at, Conversation conversation, String sender, String text, boolean own) {
        RenderedText body = Markup.renderWithLinks(TerminalText.sanitize(text), AttributedStyle.DEFAULT, theme.mode());
        StringBuilder out = new StringBuilder(ansi(head(at, conversation, sender, own)));
        // Continuation lines of a multi-line message are indented under the text.
        out.append(body.toAnsi(capabilities).replace("\n", "\n    "));
        if (own) {
            out.append(ansi(new AttributedString(" …", theme.timestamp())));
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

    private AttributedString head(Instant at, Conversation conversation, String sender, boolean own) {
        String tag = conversation instanceof Conversation.Room ? "#" + conversation.name() : conversation.name();
        return stamp(at)
                .append("[" + oneLine(tag) + "] ", theme.timestamp())
                .append(oneLine(sender), own ? theme.own() : theme.user(sender))
                .append(": ")
                .toAttributedString();
    }

    private void print(String ansi) {
        lastLineSentId = null;
        printer.accept(ansi);
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
