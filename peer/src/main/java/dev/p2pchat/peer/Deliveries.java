package dev.p2pchat.peer;

import dev.p2pchat.peer.outbox.Outbox;
import dev.p2pchat.peer.outbox.OutboxEntry;
import dev.p2pchat.peer.registry.Backoff;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets every outgoing copy to its recipient or reports why not. Each message is in the {@link Outbox} (one record,
 * all recipients) before its first copy leaves, and each copy is settled there once the recipient confirmed it,
 * refused it, or its delivery window ran out.
 *
 * <p>One <em>lane</em> per recipient with pending copies: a virtual thread that takes the oldest copy, tries it
 * with backoff until it is confirmed, refused or past its deadline, settles it, and only then takes the next.
 * Copies to one recipient therefore arrive, and are reported, in the order they were sent; a later copy whose
 * window ended while it waited fails at once when its turn comes. All state (lanes, their queues, the room
 * tallies) is guarded by one lock; time comes from the injected {@link Clock} and waiting from the injected
 * {@link Sleeper}, so tests run without real time passing. Room messages are tallied so that one
 * {@link PeerEvent.RoomDeliveryReport} follows the last member's outcome.
 */
final class Deliveries implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Deliveries.class);

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

        /**
         * The recipient's key is not the pinned one: the copy waits, neither sent nor sealed, for as long as it
         * takes the user to trust the new key (its delivery window does not run out meanwhile); then
         * {@link #retryNow()} sends it on.
         */
        record Held(String reason) implements Outcome {
        }

        /**
         * The recipient cannot be reached directly now (offline, or unreachable for the whole window): a
         * one-to-one copy goes to its mailbox ({@link Fallback}); a room copy fails.
         */
        record Unreachable(String reason) implements Outcome {
        }
    }

    /** Where a one-to-one copy goes when it cannot be delivered directly: the recipient's mailbox. */
    @FunctionalInterface
    interface Fallback {
        Fallback NONE = entry -> new Deposit(false, "no mailbox");

        /** Leaves {@code entry} for later; blocking is fine (it runs on the recipient's lane). */
        Deposit deposit(OutboxEntry entry);
    }

    /** What {@link Fallback#deposit} did: stored, or why not. */
    record Deposit(boolean stored, String problem) {
    }

    /** Makes one attempt at one copy; blocking is fine (it runs on its recipient's lane thread). */
    @FunctionalInterface
    interface Transport {
        Outcome attempt(OutboxEntry entry, int attempt);
    }

    /** How a lane waits between attempts; {@link Wakeup#wake()} ends the wait early. */
    @FunctionalInterface
    interface Sleeper {
        Sleeper REAL = (delay, wakeup) -> wakeup.await(delay);

        void sleep(Duration delay, Wakeup wakeup) throws InterruptedException;
    }

    /** A lane's alarm: woken when it should look again now (network back, copies abandoned, suspended). */
    static final class Wakeup {
        private boolean woken;

        synchronized void wake() {
            woken = true;
            notifyAll();
        }

        /** Waits up to {@code delay}, or until woken; consumes the wake-up. */
        synchronized void await(Duration delay) throws InterruptedException {
            long end = System.nanoTime() + delay.toNanos();
            long left = delay.toNanos();
            while (!woken && left > 0) {
                wait(Math.max(1, left / 1_000_000));
                left = end - System.nanoTime();
            }
            woken = false;
        }

        /** Waits until woken, however long (for tests whose time stands still). */
        synchronized void awaitWake() throws InterruptedException {
            while (!woken) {
                wait();
            }
            woken = false;
        }
    }

    private final Outbox outbox;
    private final Transport transport;
    private final EventDispatcher events;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Backoff backoff;
    private final Duration window;
    private final Fallback fallback;
    private final Object lock = new Object();
    /** Recipient → its lane; a lane exists while it has copies. Guarded by {@link #lock}, as is everything below. */
    private final Map<String, Lane> lanes = new HashMap<>();
    private final Map<String, Tally> tallies = new HashMap<>();
    /** Bumped by {@link #suspendAll()}: lanes of an older generation stop without settling anything. */
    private int generation;

    Deliveries(Outbox outbox, Transport transport, EventDispatcher events, Clock clock, Sleeper sleeper,
               Backoff backoff, Duration window) {
        this(outbox, transport, events, clock, sleeper, backoff, window, Fallback.NONE);
    }

    Deliveries(Outbox outbox, Transport transport, EventDispatcher events, Clock clock, Sleeper sleeper,
               Backoff backoff, Duration window, Fallback fallback) {
        this.fallback = fallback;
        this.outbox = outbox;
        this.transport = transport;
        this.events = events;
        this.clock = clock;
        this.sleeper = sleeper;
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
        if (tally && copies.isEmpty()) {
            events.emit(new Tally(id, List.of()).report());
            return;
        }
        synchronized (lock) {
            if (tally) {
                tallies.put(id, new Tally(id, copies.stream().map(OutboxEntry::recipient).toList()));
            }
            copies.forEach(this::enqueue);
        }
    }

    /** Starts delivering copies left over from an earlier run, oldest first (no room report is made for them). */
    void resume(List<OutboxEntry> leftovers) {
        synchronized (lock) {
            for (OutboxEntry entry : leftovers) {
                Lane lane = lanes.get(entry.recipient());
                if (lane == null || lane.queue.stream().noneMatch(c -> c.entry.key().equals(entry.key()))) {
                    enqueue(entry);
                }
            }
        }
    }

    /** Tries every waiting copy now instead of at its scheduled time (the network came back). */
    void retryNow() {
        synchronized (lock) {
            lanes.values().forEach(l -> l.wakeup.wake());
        }
    }

    /** Gives up the matching copies, reporting {@code reason}; each lane settles them in its order. */
    void abandon(Predicate<OutboxEntry> which, String reason) {
        synchronized (lock) {
            for (Lane lane : lanes.values()) {
                boolean any = false;
                for (Copy copy : lane.queue) {
                    if (copy.abandoned == null && which.test(copy.entry)) {
                        copy.abandoned = reason;
                        any = true;
                    }
                }
                if (any) {
                    lane.wakeup.wake();
                }
            }
        }
    }

    /**
     * Stops trying the matching copies directly: the recipient is gone ({@code reason}), so each goes to its
     * mailbox (or, without one, fails) when its lane reaches it, in its order.
     */
    void divert(Predicate<OutboxEntry> which, String reason) {
        synchronized (lock) {
            for (Lane lane : lanes.values()) {
                boolean any = false;
                for (Copy copy : lane.queue) {
                    if (copy.abandoned == null && copy.diverted == null && which.test(copy.entry)) {
                        copy.diverted = reason;
                        any = true;
                    }
                }
                if (any) {
                    lane.wakeup.wake();
                }
            }
        }
    }

    /** Stops all work but keeps the copies in the outbox for the next login. */
    void suspendAll() {
        synchronized (lock) {
            generation++;
            lanes.values().forEach(l -> l.wakeup.wake());
            lanes.clear();
            tallies.clear();
        }
    }

    int pending() {
        synchronized (lock) {
            return lanes.values().stream().mapToInt(l -> l.queue.size()).sum();
        }
    }

    @Override
    public void close() {
        suspendAll();
    }

    /** Under {@link #lock}. */
    private void enqueue(OutboxEntry entry) {
        Lane lane = lanes.get(entry.recipient());
        if (lane == null) {
            lane = new Lane(entry.recipient(), generation);
            lanes.put(entry.recipient(), lane);
            Lane started = lane;
            Thread.ofVirtual().name("deliver-" + entry.recipient()).start(() -> run(started));
        }
        lane.queue.addLast(new Copy(entry));
    }

    private void run(Lane lane) {
        while (true) {
            Copy head;
            synchronized (lock) {
                if (lane.generation != generation) {
                    return;
                }
                head = lane.queue.peekFirst();
                if (head == null) {
                    lanes.remove(lane.recipient, lane);
                    return;
                }
            }
            Outcome outcome;
            try {
                outcome = deliver(lane, head);
            } catch (InterruptedException e) {
                return;
            }
            if (outcome == null) {
                return; // suspended: the copies stay in the outbox
            }
            settle(lane, head, outcome);
        }
    }

    /** Tries {@code head} until it is settled; null when the lane was suspended meanwhile. */
    private Outcome deliver(Lane lane, Copy head) throws InterruptedException {
        String lastProblem = null;
        boolean held = false;
        for (int attempt = 0; ; attempt++) {
            synchronized (lock) {
                if (lane.generation != generation) {
                    return null;
                }
            }
            if (head.abandoned != null) {
                return new Outcome.Refused(head.abandoned);
            }
            if (head.diverted != null) {
                return new Outcome.Unreachable(head.diverted);
            }
            Instant deadline = head.entry.deadline();
            if (!held && !clock.instant().isBefore(deadline)) {
                return new Outcome.Unreachable("not delivered within " + describe(window) + ": " + (lastProblem != null
                        ? lastProblem : "an earlier message to " + head.entry.recipient() + " was still undelivered"));
            }
            Outcome outcome;
            try {
                outcome = transport.attempt(head.entry, attempt);
            } catch (RuntimeException e) {
                LOG.error("Delivery attempt for {} failed unexpectedly", head.entry, e);
                outcome = new Outcome.Retry("internal error: " + e.getMessage());
            }
            if (outcome instanceof Outcome.Held hold) {
                if (!held) {
                    LOG.info("{} held: {}", head.entry, hold.reason());
                }
                held = true;
                lastProblem = hold.reason();
                sleeper.sleep(backoff.delay(attempt), lane.wakeup);
                continue;
            }
            held = false;
            if (!(outcome instanceof Outcome.Retry retry)) {
                return outcome;
            }
            lastProblem = retry.reason();
            Duration untilDeadline = Duration.between(clock.instant(), deadline);
            if (untilDeadline.isNegative() || untilDeadline.isZero()) {
                continue; // the deadline check above reports it
            }
            Duration delay = backoff.delay(attempt);
            LOG.debug("{} not delivered ({}); retrying in {} ms", head.entry, retry.reason(), delay.toMillis());
            sleeper.sleep(delay.compareTo(untilDeadline) < 0 ? delay : untilDeadline, lane.wakeup);
        }
    }

    private void settle(Lane lane, Copy copy, Outcome outcome) {
        OutboxEntry entry = copy.entry;
        PeerEvent.RoomDeliveryReport report = null;
        boolean delivered = outcome instanceof Outcome.Confirmed;
        boolean stored = false;
        if (outcome instanceof Outcome.Unreachable unreachable && entry.kind() != OutboxEntry.Kind.ROOM
                && fallback != Fallback.NONE) {
            // Before the lock, since it asks the registry; the lane takes no other copy meanwhile, so the order
            // of one recipient's messages is kept in its mailbox too.
            Deposit deposit;
            try {
                deposit = fallback.deposit(entry);
            } catch (RuntimeException e) {
                LOG.error("Leaving {} in the mailbox failed unexpectedly", entry, e);
                deposit = new Deposit(false, "internal error: " + e.getMessage());
            }
            stored = deposit.stored();
            if (!stored) {
                outcome = new Outcome.Refused(unreachable.reason() + "; could not leave it in " + entry.recipient()
                        + "'s mailbox: " + deposit.problem());
            }
        }
        synchronized (lock) {
            if (lane.generation != generation) {
                return; // suspended while the last attempt ran: it stays in the outbox and is tried again later
            }
            lane.queue.remove(copy);
            Tally tally = entry.kind() == OutboxEntry.Kind.ROOM ? tallies.get(entry.id()) : null;
            if (tally != null && tally.settle(entry.recipient(), delivered)) {
                tallies.remove(entry.id());
                report = tally.report();
            }
            // Emitted under the lock, so that a room's report cannot overtake the copy outcome it sums up.
            if (delivered) {
                events.emit(new PeerEvent.Delivered(entry.id(), entry.recipient()));
            } else if (stored) {
                LOG.info("{} left in {}'s mailbox", entry, entry.recipient());
                events.emit(new PeerEvent.StoredForLater(entry.id(), entry.recipient()));
            } else {
                String reason = switch (outcome) {
                    case Outcome.Refused refused -> refused.reason();
                    case Outcome.Unreachable unreachable -> unreachable.reason();
                    case Outcome.Held hold -> hold.reason();
                    default -> "not delivered";
                };
                LOG.info("{} failed: {}", entry, reason);
                events.emit(new PeerEvent.DeliveryFailed(entry.id(), entry.recipient(), reason));
            }
            if (report != null) {
                events.emit(report);
            }
        }
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

    /** The copies waiting for one recipient, oldest first; only the head is attempted. */
    private static final class Lane {
        final String recipient;
        final int generation;
        final Deque<Copy> queue = new ArrayDeque<>();
        final Wakeup wakeup = new Wakeup();

        Lane(String recipient, int generation) {
            this.recipient = recipient;
            this.generation = generation;
        }
    }

    /** One copy in a lane; {@code abandoned} set (under the lock) says why it is to be given up. */
    private static final class Copy {
        final OutboxEntry entry;
        volatile String abandoned;
        /** Set (under the lock) when the recipient went away: the copy goes to its mailbox instead. */
        volatile String diverted;

        Copy(OutboxEntry entry) {
            this.entry = Objects.requireNonNull(entry);
        }
    }

    /** The outcomes of one room message so far; guarded by the Deliveries lock. */
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
        boolean settle(String member, boolean ok) {
            if (ok) {
                delivered.add(member);
            }
            unsettled.remove(member);
            return unsettled.isEmpty();
        }

        PeerEvent.RoomDeliveryReport report() {
            List<String> missing = members.stream().filter(m -> !delivered.contains(m)).sorted().toList();
            return new PeerEvent.RoomDeliveryReport(id, delivered.size(), members.size(), missing);
        }
    }
}
