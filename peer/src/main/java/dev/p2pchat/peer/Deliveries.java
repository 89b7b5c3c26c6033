package dev.p2pchat.peer;

import dev.p2pchat.peer.outbox.Outbox;
import dev.p2pchat.peer.outbox.OutboxEntry;
import dev.p2pchat.peer.registry.Backoff;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets every outgoing copy to its recipient or reports why not. Each copy is in the {@link Outbox} before the
 * first attempt and leaves it only when the recipient confirmed it, refused it, or the delivery window ran
 * out; until then failed attempts are retried with backoff. Copies to one recipient go one at a time, in the
 * order they were sent: a later copy waits while an earlier one is retried (or fails when its own window ends
 * first), so a link that breaks and comes back never reorders a conversation. Room messages are tallied so
 * that one {@link PeerEvent.RoomDeliveryReport} follows the last member's outcome.
 */
final class Deliveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);
    /** How soon a waiting copy looks again when an earlier one's last attempt is still running. */
    private static final Duration SETTLE_RECHECK = Duration.ofMillis(20);

    /** What one attempt achieved. */
    sealed interface Outcome {
        record Confirmed() implements Outcome {
        }

        /** The recipient answered no: retrying cannot help. */
        record Refused(String reason) implements Outcome {
        }

        /** The recipient could not be reached or did not answer in time. */
        record Retry(String reason) implements Outcome {
        }
    }

    /** Makes one attempt at one copy; blocking is fine (it runs on its own virtual thread). */
    @FunctionalInterface
    interface Transport {
        Outcome attempt(OutboxEntry entry, int attempt);
    }

    private final Outbox outbox;
    private final Transport transport;
    private final EventDispatcher events;
    private final ScheduledExecutorService timer;
    private final Clock clock;
    private final Backoff backoff;
    private final Duration window;
    private final Map<String, Task> tasks = new ConcurrentHashMap<>();
    private final Map<String, Tally> tallies = new ConcurrentHashMap<>();
    /** Unsettled copies per recipient, oldest first; only the head is attempted. Guarded by itself. */
    private final Map<String, Deque<Task>> lanes = new HashMap<>();

    Deliveries(Outbox outbox, Transport transport, EventDispatcher events, ScheduledExecutorService timer, Clock clock,
               Backoff backoff, Duration window) {
        this.outbox = outbox;
        this.transport = transport;
        this.events = events;
        this.timer = timer;
        this.clock = clock;
        this.backoff = backoff;
        this.window = window;
    }

    Duration window() {
        return window;
    }

    Instant deadlineFrom(Instant sentAt) {
        return sentAt.plus(window);
    }

    /**
     * Persists and starts delivering the copies of one message. For a room message ({@code tally}), one
     * report follows once every copy is settled; with no copies at all it follows at once.
     *
     * @throws IOException when the outbox cannot store them (nothing is sent then)
     */
    void submit(String id, List<OutboxEntry> copies, boolean tally) throws IOException {
        outbox.add(copies); // one durable record for all copies, before the first leaves
        if (tally) {
            Tally t = new Tally(id, copies.stream().map(OutboxEntry::recipient).toList());
            if (copies.isEmpty()) {
                events.emit(t.report());
                return;
            }
            tallies.put(id, t);
        }
        copies.forEach(this::start);
    }

    /** Starts delivering copies left over from an earlier run (no room report is made for them). */
    void resume(List<OutboxEntry> leftovers) {
        for (OutboxEntry entry : leftovers) {
            if (!tasks.containsKey(entry.key())) {
                start(entry);
            }
        }
    }

    /** Tries every waiting copy now instead of at its scheduled time (the network came back). */
    void retryNow() {
        for (Task task : tasks.values()) {
            task.hurry();
        }
    }

    /** Gives up the matching copies at once, reporting {@code reason}. */
    void abandon(Predicate<OutboxEntry> which, String reason) {
        for (Task task : List.copyOf(tasks.values())) {
            if (which.test(task.entry)) {
                settle(task, new Outcome.Refused(reason));
            }
        }
    }

    /** Stops all work but keeps the copies in the outbox for the next login. */
    void suspendAll() {
        for (Task task : List.copyOf(tasks.values())) {
            task.cancel();
        }
        tasks.clear();
        tallies.clear();
        synchronized (lanes) {
            lanes.clear();
        }
    }

    int pending() {
        return tasks.size();
    }

    @Override
    public void close() {
        suspendAll();
    }

    private void start(OutboxEntry entry) {
        Task task = new Task(entry);
        if (tasks.putIfAbsent(entry.key(), task) == null) {
            synchronized (lanes) {
                Deque<Task> lane = lanes.computeIfAbsent(entry.recipient(), r -> new ArrayDeque<>());
                lane.addLast(task);
                // Behind an earlier copy it waits to be promoted; by its deadline at the latest it runs to fail.
                task.schedule(lane.peekFirst() == task ? Duration.ZERO
                        : Duration.between(clock.instant(), entry.deadline()));
            }
        }
    }

    private void run(Task task) {
        if (!task.isHead()) {
            return;
        }
        if (!task.begin()) {
            return;
        }
        Outcome outcome;
        try {
            outcome = transport.attempt(task.entry, task.attempts++);
        } catch (RuntimeException e) {
            LOG.error("Delivery attempt for {} failed unexpectedly", task.entry, e);
            outcome = new Outcome.Retry("internal error: " + e.getMessage());
        } finally {
            task.end();
        }
        if (outcome instanceof Outcome.Retry retry) {
            task.lastProblem = retry.reason();
            Instant now = clock.instant();
            Instant deadline = task.entry.deadline();
            if (!now.isBefore(deadline)) {
                settle(task, new Outcome.Refused("not delivered within " + describe(window) + ": " + retry.reason()));
                return;
            }
            Duration delay = backoff.delay(task.attempts - 1);
            Duration untilDeadline = Duration.between(now, deadline);
            LOG.debug("{} not delivered ({}); retrying in {} ms", task.entry, retry.reason(), delay.toMillis());
            task.schedule(delay.compareTo(untilDeadline) < 0 ? delay : untilDeadline);
            return;
        }
        settle(task, outcome);
    }

    private void settle(Task task, Outcome outcome) {
        if (task.finish()) {
            settleFinished(task, outcome);
        }
    }

    private void settleFinished(Task task, Outcome outcome) {
        tasks.remove(task.entry.key(), task);
        removeQuietly(task.entry);
        OutboxEntry entry = task.entry;
        boolean delivered = outcome instanceof Outcome.Confirmed;
        if (delivered) {
            events.emit(new PeerEvent.Delivered(entry.id(), entry.recipient()));
        } else {
            String reason = outcome instanceof Outcome.Refused refused ? refused.reason() : "not delivered";
            LOG.info("{} failed: {}", entry, reason);
            events.emit(new PeerEvent.DeliveryFailed(entry.id(), entry.recipient(), reason));
        }
        Tally tally = entry.kind() == OutboxEntry.Kind.ROOM ? tallies.get(entry.id()) : null;
        if (tally != null && tally.settle(entry.recipient(), delivered)) {
            tallies.remove(entry.id());
            events.emit(tally.report());
        }
        // Only now does the next copy to this recipient move up, so its outcome is reported after this one's.
        Task next = null;
        synchronized (lanes) {
            Deque<Task> lane = lanes.get(entry.recipient());
            if (lane != null) {
                boolean wasHead = lane.peekFirst() == task;
                lane.remove(task);
                if (lane.isEmpty()) {
                    lanes.remove(entry.recipient());
                } else if (wasHead) {
                    next = lane.peekFirst();
                }
            }
        }
        if (next != null) {
            next.hurry();
        }
    }

    private void removeQuietly(OutboxEntry entry) {
        try {
            outbox.settle(entry);
        } catch (IOException e) {
            LOG.warn("Could not mark {} settled in the outbox: {}", entry, e.toString());
        }
    }

    static String describe(Duration d) {
        if (d.toSeconds() >= 120 && d.toSecondsPart() == 0) {
            return d.toMinutes() + " minutes";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + " s";
        }
        return d.toMillis() + " ms";
    }

    /** One copy's delivery: at most one attempt runs at a time, and it settles exactly once. */
    private final class Task {
        final OutboxEntry entry;
        int attempts;
        /** Why the last attempt did not get through, for the failure notice. */
        volatile String lastProblem;
        private boolean running;
        private boolean done;
        private ScheduledFuture<?> next;

        Task(OutboxEntry entry) {
            this.entry = Objects.requireNonNull(entry);
        }

        /**
         * Whether this copy may be attempted now: it is the oldest unsettled one to its recipient. A waiting
         * copy whose window has ended fails here without an attempt, reporting what holds it up.
         */
        boolean isHead() {
            List<Task> expiredEarlier = new ArrayList<>();
            synchronized (lanes) {
                Deque<Task> lane = lanes.get(entry.recipient());
                if (lane == null || lane.peekFirst() == this) {
                    return true;
                }
                Instant now = clock.instant();
                if (now.isBefore(entry.deadline())) {
                    schedule(Duration.between(now, entry.deadline()));
                    return false;
                }
                // Failures are reported in the order the messages were sent: earlier copies whose window has
                // ended too go first; one whose last attempt is still running settles itself, then we look again.
                for (Task earlier : lane) {
                    if (earlier == this) {
                        break;
                    }
                    if (!now.isBefore(earlier.entry.deadline())) {
                        if (earlier.isRunning()) {
                            schedule(SETTLE_RECHECK);
                            return false;
                        }
                        expiredEarlier.add(earlier);
                    }
                }
            }
            for (Task earlier : expiredEarlier) {
                if (!earlier.finishIfIdle()) {
                    schedule(SETTLE_RECHECK); // it started an attempt or is settling itself: report it first
                    return false;
                }
                settleFinished(earlier, new Outcome.Refused("not delivered within " + describe(window)
                        + (earlier.lastProblem == null ? "" : ": " + earlier.lastProblem)));
            }
            settle(this, new Outcome.Refused("not delivered within " + describe(window) + ": an earlier message to "
                    + entry.recipient() + " is still undelivered"));
            return false;
        }

        synchronized boolean isRunning() {
            return running;
        }

        /** Finishes this copy unless an attempt is under way (that attempt's outcome settles it instead). */
        synchronized boolean finishIfIdle() {
            return !running && finish();
        }

        synchronized void schedule(Duration delay) {
            if (done) {
                return;
            }
            next = timer.schedule(() -> Thread.ofVirtual().name("deliver-" + entry.key()).start(() -> run(this)),
                    Math.max(0, delay.toMillis()), TimeUnit.MILLISECONDS);
        }

        /** Moves a waiting retry to now; does nothing while an attempt is running. */
        synchronized void hurry() {
            if (done || running || next == null || next.isDone()) {
                return;
            }
            if (next.cancel(false)) {
                schedule(Duration.ZERO);
            }
        }

        synchronized boolean begin() {
            if (done || running) {
                return false;
            }
            running = true;
            return true;
        }

        synchronized void end() {
            running = false;
        }

        synchronized boolean finish() {
            if (done) {
                return false;
            }
            done = true;
            if (next != null) {
                next.cancel(false);
            }
            return true;
        }

        synchronized void cancel() {
            done = true;
            if (next != null) {
                next.cancel(false);
            }
        }
    }

    /** The outcomes of one room message so far. */
    private static final class Tally {
        private final String id;
        private final Set<String> members;
        private final Set<String> delivered = new LinkedHashSet<>();
        private final Set<String> unsettled;

        Tally(String id, List<String> members) {
            this.id = id;
            this.members = new LinkedHashSet<>(members);
            this.unsettled = new LinkedHashSet<>(members);
        }

        /** True when this was the last outstanding member. */
        synchronized boolean settle(String member, boolean ok) {
            if (ok) {
                delivered.add(member);
            }
            unsettled.remove(member);
            return unsettled.isEmpty();
        }

        synchronized PeerEvent.RoomDeliveryReport report() {
            List<String> missing = members.stream().filter(m -> !delivered.contains(m)).sorted().toList();
            return new PeerEvent.RoomDeliveryReport(id, delivered.size(), members.size(), missing);
        }
    }
}
