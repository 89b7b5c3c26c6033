package dev.p2pchat.cli.ui;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

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
 * <pre>
 * 12:03 [#lobby] bob: hello *everyone*
 * 12:03 [#lobby] alice: hi …
 * 12:03   ✓ 2/2
 * 12:04 [carol] carol: psst
 * 12:04 * dave joined lobby
 * </pre>
 */
public final class TerminalView implements ChatView {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm");

    private final Theme theme;
    private final TerminalCapabilities capabilities;
    private final DateTimeFormatter time;
    private final Consumer<String> printer;
    private final Consumer<String> promptChanged;

    /**
     * @param printer       shows one or more finished lines above the input line ({@code LineReader::printAbove})
     * @param promptChanged receives the new prompt (ANSI) when the user or conversation changes
     */
    public TerminalView(Theme theme, TerminalCapabilities capabilities, ZoneId zone,
                        Consumer<String> printer, Consumer<String> promptChanged) {
        this.theme = Objects.requireNonNull(theme, "theme");
        this.capabilities = Objects.requireNonNull(capabilities, "capabilities");
        this.time = TIME.withZone(zone);
        this.printer = Objects.requireNonNull(printer, "printer");
        this.promptChanged = Objects.requireNonNull(promptChanged, "promptChanged");
    }

    @Override
    public void message(Instant at, Conversation conversation, String sender, String text) {
        printer.accept(format(at, conversation, sender, text, false));
    }

    @Override
    public void sent(Instant at, Conversation conversation, String sender, String text, String id) {
        printer.accept(format(at, conversation, sender, text, true));
    }

    @Override
    public void receipt(Instant at, String id, Receipt receipt) {
        boolean good = switch (receipt) {
            case Receipt.Delivered ignored -> true;
            case Receipt.Failed ignored -> false;
            case Receipt.Room room -> !room.failed();
        };
        AttributedStringBuilder line = stamp(at).append("  ");
        line.append((good ? "✓ " : "✗ ") + TerminalText.sanitize(receipt.describe()).replace('\n', ' '),
                good ? theme.delivered() : theme.failed());
        printer.accept(ansi(line.toAttributedString()));
    }

    @Override
    public void notice(Instant at, String text) {
        printer.accept(ansi(stamp(at).append("* " + oneLine(text), theme.system()).toAttributedString()));
    }

    @Override
    public void error(Instant at, String text) {
        printer.accept(ansi(stamp(at).append("! " + oneLine(text), theme.error()).toAttributedString()));
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
        printer.accept(out.toString());
    }

    @Override
    public void stateChanged(String username, Optional<Conversation> current) {
        promptChanged.accept(prompt(username, current));
    }

    /** The prompt: {@code alice@lobby> } in a room, {@code alice→bob> } in a private chat, {@code > } logged out. */
    public String prompt(String user, Optional<Conversation> current) {
        String text;
        if (user == null) {
            text = "p2pchat> ";
        } else {
            text = user + current.map(c -> c instanceof Conversation.Room ? "@" + c.name() : "→" + c.name()).orElse("") + "> ";
        }
        return ansi(new AttributedString(oneLine(text), theme.prompt()));
    }

    /** One message as ANSI; the sender's name in their colour (own name bold), the text with markup and links. */
    String format(Instant at, Conversation conversation, String sender, String text, boolean own) {
        String tag = conversation instanceof Conversation.Room ? "#" + conversation.name() : conversation.name();
        AttributedStringBuilder head = stamp(at)
                .append("[" + oneLine(tag) + "] ", theme.timestamp())
                .append(oneLine(sender), own ? theme.own() : theme.user(sender))
                .append(": ");
        RenderedText body = Markup.renderWithLinks(TerminalText.sanitize(text), AttributedStyle.DEFAULT, theme.mode());
        StringBuilder out = new StringBuilder(ansi(head.toAttributedString()));
        // Continuation lines of a multi-line message are indented under the text.
        out.append(body.toAnsi(capabilities).replace("\n", "\n    "));
        if (own) {
            out.append(ansi(new AttributedString(" …", theme.timestamp())));
        }
        return out.toString();
    }

    private AttributedStringBuilder stamp(Instant at) {
        return new AttributedStringBuilder().append(time.format(at) + " ", theme.timestamp());
    }

    private String ansi(AttributedString text) {
        return text.toAnsi(capabilities.colors(), org.jline.utils.AttributedCharSequence.ForceMode.None);
    }

    private static String oneLine(String untrusted) {
        return TerminalText.sanitize(untrusted).replace('\n', ' ');
    }
}
