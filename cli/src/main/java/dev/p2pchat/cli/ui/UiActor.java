package dev.p2pchat.cli.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.p2pchat.cli.command.Conversation;

/**
 * The one thread that writes to the terminal. Everyone else (the peer's event thread through the session,
 * the command thread, the input thread) only hands it lines and prompts; it drains everything queued and
 * shows it with one {@link Screen#printAbove} call, so a burst costs one redraw, not one per line.
 *
 * <p>It must never be called into JLine while a lock of ours is held: the queue's monitor is released
 * before the screen is touched, and a producer never waits (the queue is bounded; when it is full the
 * oldest line is dropped and counted, so a socket thread is never blocked by a slow terminal).
 * Chat requests that arrive together are folded into one line after the first few.
 *
 * <p>It alone owns the {@link Buffers}: each line goes to its conversation's buffer and only the buffer shown
 * now reaches the screen; the others count unread lines for the status line. A switch (the session's current
 * conversation changed) redraws the screen with that buffer's recent lines and its read marker. A line that
 * carries an alert (a mention, a private message, a chat request) rings the bell and notifies unless its
 * buffer is shown and the terminal has the focus.
 */
final class UiActor implements AutoCloseable {

    /** What the actor draws on: the JLine reader in the app, a recorder in tests. */
    interface Screen {
        /** Shows finished lines (joined by '\n') above the input line. */
        void printAbove(String lines);

        /** Replaces the prompt of the line being edited. */
        void prompt(String prompt);

        /** Clears the screen and shows {@code lines} (joined by '\n'): another buffer is shown now. */
        default void redraw(String lines) {
            printAbove(lines);
        }

        /** Shows the buffer list under the input line. */
        default void status(List<Buffers.Entry> entries) {
        }

        /** Shows the file transfers in progress, a line each, over the buffer list. */
        default void transfers(List<String> lines) {
        }

        /** Rings the bell and, where the terminal can, shows a desktop notification with {@code text} (plain). */
        default void alert(String text) {
        }

        /** Whether the terminal window has the focus (true where the terminal does not report it). */
        default boolean focused() {
            return true;
        }

        /**
         * The terminal's width now, in columns; 0 if unknown. When it changes, the buffer shown is redrawn wrapped
         * at the new width (checked once per batch and at least once a second).
         */
        default int width() {
            return 0;
        }

        /** Called after every batch, outside any lock of ours: a chance to publish fresh completion names. */
        default void afterBatch() {
        }
    }

    static final int DEFAULT_CAPACITY = 4_096;
    /** Chat requests shown one by one in a batch; the rest are summed up in one line. */
    static final int REQUESTS_SHOWN = 3;
    /** Lines each buffer keeps for its redraw. */
    static final int BUFFER_LINES = 1_000;

    private static final Logger log = LoggerFactory.getLogger(UiActor.class);
    private static final long IDLE_TICK_MILLIS = 1_000;

    private sealed interface Item {}

    /** @param alert plain text for the bell and notification, or null */
    private record Line(Buffers.Place place, ScreenLine text, Buffers.Activity activity, String chatRequestFrom,
                        String alert) implements Item {}

    private record Focus(Optional<Conversation> conversation) implements Item {}

    private final Screen screen;
    private final int capacity;
    private final Function<List<String>, String> requestSummary;
    private final IntFunction<String> droppedNotice;
    private final String readMarker;

    // Guarded by this.
    private final Deque<Item> items = new ArrayDeque<>();
    private String pendingPrompt;
    private int dropped;
    private boolean closing;

    // Owned by the actor thread (and by close() once that thread is gone).
    private final Buffers buffers = new Buffers(BUFFER_LINES);
    private List<Buffers.Entry> shownStatus = List.of();
    /** Each transfer in progress and its line, in the order they started (guarded by this). */
    private final Map<String, String> transfers = new LinkedHashMap<>();
    /** The transfers changed since the last batch (guarded by this). */
    private boolean transfersChanged;
    /** A resize was reported since the last batch (guarded by this). */
    private boolean resizeSeen;
    /** The width the lines on screen were wrapped for; -1 before the first batch. */
    private int shownWidth = -1;

    /** What the key bindings read to find buffer N or the next one; replaced after every batch. */
    private volatile Snapshot snapshot = new Snapshot(List.of(Optional.empty()), 0);

    private record Snapshot(List<Optional<Conversation>> order, int current) {}

    private final Thread thread;

    /**
     * @param requestSummary the line for chat requests beyond the first few in one batch, given their senders
     *                       (one entry per request, in order)
     * @param droppedNotice  the line saying how many lines were dropped because the queue was full
     */
    UiActor(Screen screen, int capacity, Function<List<String>, String> requestSummary, IntFunction<String> droppedNotice) {
        this(screen, capacity, requestSummary, droppedNotice, "-- read up to here --");
    }

    /** @param readMarker the line (ANSI) shown where the user left a buffer */
    UiActor(Screen screen, int capacity, Function<List<String>, String> requestSummary, IntFunction<String> droppedNotice,
            String readMarker) {
        this.screen = Objects.requireNonNull(screen, "screen");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.requestSummary = Objects.requireNonNull(requestSummary, "requestSummary");
        this.droppedNotice = Objects.requireNonNull(droppedNotice, "droppedNotice");
        this.readMarker = Objects.requireNonNull(readMarker, "readMarker");
        this.thread = Thread.ofPlatform().name("ui").daemon(true).unstarted(this::loop);
    }

    UiActor start() {
        thread.start();
        return this;
    }

    /** Queues finished lines (ANSI) for the buffer shown now; never blocks. */
    void print(String ansi) {
        print(Buffers.Place.CURRENT, ansi, Buffers.Activity.QUIET, null);
    }

    /** Queues finished lines (ANSI) for {@code place}; {@code alert} (plain, or null) rings and notifies. Never blocks. */
    void print(Buffers.Place place, String ansi, Buffers.Activity activity, String alert) {
        print(place, ScreenLine.fixed(ansi), activity, alert);
    }

    /** Queues a line that is wrapped again at the new width when the window is resized. Never blocks. */
    void print(Buffers.Place place, ScreenLine line, Buffers.Activity activity, String alert) {
        offer(new Line(place, line, activity, null, alert));
    }

    /** Queues the line announcing {@code from}'s chat request; a flood of them is coalesced. */
    void printChatRequest(String from, String ansi) {
        offer(new Line(Buffers.Place.CURRENT, ScreenLine.fixed(ansi), Buffers.Activity.HIGHLIGHT, from, null));
    }

    /** Queues a chat request line for {@code place}, with its alert. */
    void printChatRequest(Buffers.Place place, String from, String ansi, String alert) {
        printChatRequest(place, from, ScreenLine.fixed(ansi), alert);
    }

    void printChatRequest(Buffers.Place place, String from, ScreenLine line, String alert) {
        offer(new Line(place, line, Buffers.Activity.HIGHLIGHT, from, alert));
    }

    /** Shows the buffer of {@code conversation} (the status buffer if empty) from now on. Never blocks. */
    void focus(Optional<Conversation> conversation) {
        offer(new Focus(Objects.requireNonNull(conversation, "conversation")));
    }

    /** Buffer {@code number}'s conversation as last drawn (empty inside: the status buffer), if there is one. */
    Optional<Optional<Conversation>> buffer(int number) {
        List<Optional<Conversation>> order = snapshot.order();
        return number < 1 || number > order.size() ? Optional.empty() : Optional.of(order.get(number - 1));
    }

    /** The conversation {@code delta} buffers away from the one shown, wrapping around. */
    Optional<Conversation> neighbour(int delta) {
        Snapshot now = snapshot;
        return now.order().get(Math.floorMod(now.current() + delta, now.order().size()));
    }

    /** Shows transfer {@code key}'s progress {@code line} in place, or takes it away (null). Never blocks. */
    synchronized void transfer(String key, String line) {
        if (line == null) {
            transfers.remove(key);
        } else {
            transfers.put(key, line);
        }
        transfersChanged = true;
        notifyAll();
    }

    /** The window was resized: the buffer shown is wrapped again now rather than at the next tick. Never blocks. */
    synchronized void resized() {
        resizeSeen = true;
        notifyAll();
    }

    /** Sets the prompt; only the latest one is shown. Never blocks. */
    synchronized void prompt(String ansi) {
        pendingPrompt = ansi;
        notifyAll();
    }

    private synchronized void offer(Item item) {
        if (closing) {
            return;
        }
        if (items.size() >= capacity) {
            // The oldest line goes; a switch never does, or the screen would show the wrong buffer.
            for (var it = items.iterator(); it.hasNext(); ) {
                if (it.next() instanceof Line) {
                    it.remove();
                    dropped++;
                    break;
                }
            }
        }
        items.addLast(item);
        notifyAll();
    }

    /** Shows what is queued, then stops the thread; later lines are ignored. */
    @Override
    public void close() throws InterruptedException {
        synchronized (this) {
            closing = true;
            notifyAll();
        }
        if (thread.isAlive()) {
            thread.join(TimeUnit.SECONDS.toMillis(10));
        } else {
            drainOnce();
        }
    }

    private void loop() {
        while (true) {
            boolean last;
            synchronized (this) {
                if (items.isEmpty() && pendingPrompt == null && !resizeSeen && !transfersChanged && !closing) {
                    try {
                        wait(IDLE_TICK_MILLIS);
                    } catch (InterruptedException e) {
                        closing = true;
                    }
                }
                last = closing;
            }
            drainOnce();
            if (last) {
                return;
            }
        }
    }

    /** Takes everything queued and shows it; runs with no lock of ours held while the screen is called. */
    private void drainOnce() {
        List<Item> batch;
        String prompt;
        int lost;
        boolean windowResized;
        List<String> transferLines;
        synchronized (this) {
            batch = new ArrayList<>(items);
            items.clear();
            prompt = pendingPrompt;
            pendingPrompt = null;
            lost = dropped;
            dropped = 0;
            windowResized = resizeSeen;
            resizeSeen = false;
            transferLines = transfersChanged ? List.copyOf(transfers.values()) : null;
            transfersChanged = false;
        }
        try {
            int width = screen.width();
            boolean resized = windowResized || shownWidth >= 0 && width != shownWidth;
            shownWidth = width;
            Effects effects = apply(batch, lost, width, resized);
            String text = render(effects.shown(), width);
            if (effects.redraw() != null) {
                String all = effects.redraw().isEmpty() ? text : text.isEmpty() ? effects.redraw() : effects.redraw() + "\n" + text;
                screen.redraw(all);
            } else if (!text.isEmpty()) {
                screen.printAbove(text);
            }
            boolean focused = effects.alerts().isEmpty() || screen.focused();
            for (Alert alert : effects.alerts()) {
                if (!alert.shown() || !focused) {
                    screen.alert(alert.text());
                }
            }
            List<Buffers.Entry> status = buffers.entries();
            if (resized || !status.equals(shownStatus)) {
                // After a resize too: the status line was laid out for the old width.
                shownStatus = status;
                screen.status(status);
            }
            if (transferLines != null) {
                screen.transfers(transferLines);
            }
            if (prompt != null) {
                screen.prompt(prompt);
            }
            screen.afterBatch();
        } catch (RuntimeException e) {
            log.error("could not update the screen", e);
        }
    }

    private record Alert(String text, boolean shown) {}

    /** @param redraw the new buffer's lines if the batch switched buffers (null if not); @param shown lines to print */
    private record Effects(String redraw, List<Line> shown, List<Alert> alerts) {}

    /** Puts the batch into the buffers: what to print now, what to redraw, whom to alert. */
    private Effects apply(List<Item> batch, int lost, int width, boolean resized) {
        List<Line> shown = new ArrayList<>();
        List<Alert> alerts = new ArrayList<>();
        String redraw = null;
        if (resized) {
            // Rows wrapped for the old width would be cut or ragged: show the buffer again, wrapped anew.
            redraw = String.join("\n", buffers.current(width).lines());
        }
        if (lost > 0) {
            ScreenLine notice = ScreenLine.fixed(droppedNotice.apply(lost));
            buffers.add(Buffers.Place.CURRENT, notice, Buffers.Activity.QUIET);
            shown.add(new Line(Buffers.Place.CURRENT, notice, Buffers.Activity.QUIET, null, null));
        }
        for (Item item : batch) {
            switch (item) {
                case Line line -> {
                    boolean now = buffers.add(line.place(), line.text(), line.activity());
                    if (now) {
                        shown.add(line);
                    }
                    if (line.alert() != null) {
                        alerts.add(new Alert(line.alert(), now));
                    }
                }
                case Focus focus -> {
                    Optional<Buffers.View> view = buffers.focus(focus.conversation(), width);
                    if (view.isPresent()) {
                        shown.clear();
                        List<String> lines = new ArrayList<>(view.get().lines());
                        if (view.get().markerAt() >= 0) {
                            lines.add(view.get().markerAt(), readMarker);
                        }
                        redraw = String.join("\n", lines);
                    }
                }
            }
        }
        List<Optional<Conversation>> order = new ArrayList<>();
        int current = 0;
        for (Buffers.Entry entry : buffers.entries()) {
            order.add(buffers.at(entry.number()).orElseThrow());
            if (entry.current()) {
                current = entry.number() - 1;
            }
        }
        snapshot = new Snapshot(List.copyOf(order), current);
        return new Effects(redraw, shown, alerts);
    }

    /** The lines to print as one text: in order, chat requests beyond the first few folded into one summary. */
    private String render(List<Line> batch, int width) {
        List<String> out = new ArrayList<>(batch.size() + 2);
        int requests = 0;
        List<String> more = new ArrayList<>();
        int summaryAt = -1;
        for (Line line : batch) {
            if (line.chatRequestFrom() != null && ++requests > REQUESTS_SHOWN) {
                if (summaryAt < 0) {
                    summaryAt = out.size();
                    out.add(null);
                }
                more.add(line.chatRequestFrom());
                continue;
            }
            out.add(line.text().at(width));
        }
        if (summaryAt >= 0) {
            out.set(summaryAt, requestSummary.apply(List.copyOf(more)));
        }
        return String.join("\n", out);
    }
}
