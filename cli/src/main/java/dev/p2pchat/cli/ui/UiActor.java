package dev.p2pchat.cli.ui;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.IntFunction;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one thread that writes to the terminal. Everyone else (the peer's event thread through the session,
 * the command thread, the input thread) only hands it lines and prompts; it drains everything queued and
 * shows it with one {@link Screen#printAbove} call, so a burst costs one redraw, not one per line.
 *
 * <p>It must never be called into JLine while a lock of ours is held: the queue's monitor is released
 * before the screen is touched, and a producer never waits (the queue is bounded; when it is full the
 * oldest line is dropped and counted, so a socket thread is never blocked by a slow terminal).
 * Chat requests that arrive together are folded into one line after the first few.
 */
final class UiActor implements AutoCloseable {

    /** What the actor draws on: the JLine reader in the app, a recorder in tests. */
    interface Screen {
        /** Shows finished lines (joined by '\n') above the input line. */
        void printAbove(String lines);

        /** Replaces the prompt of the line being edited. */
        void prompt(String prompt);

        /** Called after every batch, outside any lock of ours: a chance to publish fresh completion names. */
        default void afterBatch() {
        }
    }

    static final int DEFAULT_CAPACITY = 4_096;
    /** Chat requests shown one by one in a batch; the rest are summed up in one line. */
    static final int REQUESTS_SHOWN = 3;

    private static final Logger log = LoggerFactory.getLogger(UiActor.class);
    private static final long IDLE_TICK_MILLIS = 1_000;

    private record Line(String ansi, String chatRequestFrom) {}

    private final Screen screen;
    private final int capacity;
    private final Function<List<String>, String> requestSummary;
    private final IntFunction<String> droppedNotice;

    // Guarded by this.
    private final Deque<Line> lines = new ArrayDeque<>();
    private String pendingPrompt;
    private int dropped;
    private boolean closing;

    private final Thread thread;

    /**
     * @param requestSummary the line for chat requests beyond the first few in one batch, given their senders
     *                       (one entry per request, in order)
     * @param droppedNotice  the line saying how many lines were dropped because the queue was full
     */
    UiActor(Screen screen, int capacity, Function<List<String>, String> requestSummary, IntFunction<String> droppedNotice) {
        this.screen = Objects.requireNonNull(screen, "screen");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.capacity = capacity;
        this.requestSummary = Objects.requireNonNull(requestSummary, "requestSummary");
        this.droppedNotice = Objects.requireNonNull(droppedNotice, "droppedNotice");
        this.thread = Thread.ofPlatform().name("ui").daemon(true).unstarted(this::loop);
    }

    UiActor start() {
        thread.start();
        return this;
    }

    /** Queues finished lines (ANSI); never blocks. */
    void print(String ansi) {
        offer(new Line(ansi, null));
    }

    /** Queues the line announcing {@code from}'s chat request; a flood of them is coalesced. */
    void printChatRequest(String from, String ansi) {
        offer(new Line(ansi, from));
    }

    /** Sets the prompt; only the latest one is shown. Never blocks. */
    synchronized void prompt(String ansi) {
        pendingPrompt = ansi;
        notifyAll();
    }

    private synchronized void offer(Line line) {
        if (closing) {
            return;
        }
        if (lines.size() >= capacity) {
            lines.removeFirst();
            dropped++;
        }
        lines.addLast(line);
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
                if (lines.isEmpty() && pendingPrompt == null && !closing) {
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
        List<Line> batch;
        String prompt;
        int lost;
        synchronized (this) {
            batch = new ArrayList<>(lines);
            lines.clear();
            prompt = pendingPrompt;
            pendingPrompt = null;
            lost = dropped;
            dropped = 0;
        }
        try {
            String text = render(batch, lost);
            if (!text.isEmpty()) {
                screen.printAbove(text);
            }
            if (prompt != null) {
                screen.prompt(prompt);
            }
            screen.afterBatch();
        } catch (RuntimeException e) {
            log.error("could not update the screen", e);
        }
    }

    /** The batch as one text: lines in order, chat requests beyond the first few folded into one summary. */
    private String render(List<Line> batch, int lost) {
        List<String> out = new ArrayList<>(batch.size() + 2);
        if (lost > 0) {
            out.add(droppedNotice.apply(lost));
        }
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
            out.add(line.ansi());
        }
        if (summaryAt >= 0) {
            out.set(summaryAt, requestSummary.apply(List.copyOf(more)));
        }
        return String.join("\n", out);
    }
}
