package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.peer.outbox.Outbox;
import dev.p2pchat.peer.outbox.OutboxEntry;
import dev.p2pchat.peer.registry.Backoff;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The retry and reporting rules, with a scripted transport instead of a network and a test clock: a lane's
 * sleep either moves the clock on at once ({@link Time#flowing}) or, with time standing still, lasts until the
 * lane is woken. No real time passes, so nothing here depends on how fast the machine is; {@code await} only
 * waits for the lane threads to get there.
 */
class DeliveriesTest {
    private static final Duration WINDOW = Duration.ofMillis(600);
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path dir;

    final List<PeerEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Deliveries.Outcome> script = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final List<String> attemptedIds = new CopyOnWriteArrayList<>();
    final Time time = new Time();
    EventDispatcher dispatcher;
    Outbox outbox;
    Deliveries deliveries;

    /** The test's clock and the lanes' sleeper in one. */
    static final class Time extends Clock implements Deliveries.Sleeper {
        private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");
        volatile boolean flowing = true;

        @Override
        public void sleep(Duration delay, Deliveries.Wakeup wakeup) throws InterruptedException {
            if (flowing) {
                synchronized (this) {
                    now = now.plus(delay);
                }
            } else {
                wakeup.awaitWake();
            }
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    @BeforeEach
    void setUp() throws Exception {
        dispatcher = new EventDispatcher(events::add);
        outbox = new Outbox(dir);
        deliveries = new Deliveries(outbox, this::attempt, dispatcher, time, time,
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(80), () -> 0.0), WINDOW);
    }

    @AfterEach
    void tearDown() {
        deliveries.close();
        dispatcher.close();
    }

    private Deliveries.Outcome attempt(OutboxEntry entry, int attempt) {
        attempts.computeIfAbsent(entry.recipient(), r -> new AtomicInteger()).incrementAndGet();
        attemptedIds.add(entry.id());
        return script.getOrDefault(entry.recipient(), new Deliveries.Outcome.Retry(entry.recipient() + " is not online"));
    }

    private OutboxEntry copy(String id, String to, OutboxEntry.Kind kind) {
        Instant now = time.instant();
        return new OutboxEntry(kind, id, "alice", to, kind == OutboxEntry.Kind.ROOM ? "lobby" : null, now,
                deliveries.deadlineFrom(now), "text");
    }

    @Test
    void confirmedCopyIsReportedDeliveredAndLeavesTheOutbox() throws Exception {
        script.put("bob", new Deliveries.Outcome.Confirmed());
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.Delivered("m1", "bob")));
        assertThat(outbox.load("alice")).isEmpty();
        assertThat(deliveries.pending()).isZero();
    }

    @Test
    void refusedCopyFailsAtOnceWithoutRetrying() throws Exception {
        script.put("bob", new Deliveries.Outcome.Refused("bob has no open chat with you"));
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> events.contains(
                new PeerEvent.DeliveryFailed("m1", "bob", "bob has no open chat with you")));
        assertThat(attempts.get("bob")).hasValue(1);
        assertThat(outbox.load("alice")).isEmpty();
    }

    @Test
    void unreachableRecipientIsRetriedUntilTheWindowEndsThenReportedOnce() throws Exception {
        Instant start = time.instant();
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        PeerEvent.DeliveryFailed failed = await().atMost(WAIT)
                .until(() -> events.stream().filter(PeerEvent.DeliveryFailed.class::isInstance).toList(),
                        l -> !l.isEmpty()).stream().map(PeerEvent.DeliveryFailed.class::cast).findFirst().orElseThrow();
        assertThat(Duration.between(start, time.instant())).isEqualTo(WINDOW);
        assertThat(failed.reason()).isEqualTo("not delivered within 600 ms: bob is not online");
        // 0, 20, 60, 140, 220, ... 540 ms: backoff 20 ms doubling to 80 ms, then the deadline.
        assertThat(attempts.get("bob").get()).isEqualTo(9);
        await().atMost(WAIT).until(() -> deliveries.pending() == 0);
        assertThat(events).filteredOn(PeerEvent.DeliveryFailed.class::isInstance).hasSize(1);
        assertThat(outbox.load("alice")).isEmpty();
    }

    @Test
    void retriedCopyIsDeliveredOnceTheRecipientAnswers() throws Exception {
        time.flowing = false;
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob"));
        deliveries.retryNow();
        await().atMost(WAIT).until(() -> attempts.get("bob").get() >= 2);
        script.put("bob", new Deliveries.Outcome.Confirmed());
        deliveries.retryNow();
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.Delivered("m1", "bob")));
        assertThat(events).noneMatch(PeerEvent.DeliveryFailed.class::isInstance);
    }

    @Test
    void roomReportFollowsTheLastMembersOutcome() throws Exception {
        script.put("bob", new Deliveries.Outcome.Confirmed());
        script.put("carol", new Deliveries.Outcome.Refused("carol is not in room lobby"));
        // The lanes share one clock: dave's retries must not move it past the window before bob's lane has run.
        time.flowing = false;
        OutboxEntry toBob = copy("r1", "bob", OutboxEntry.Kind.ROOM);
        deliveries.submit("r1", List.of(toBob, toBob.withRecipient("carol"), toBob.withRecipient("dave")), true);
        await().atMost(WAIT).until(() -> attempts.containsKey("dave") && deliveries.pending() == 1);
        time.flowing = true;
        deliveries.retryNow();
        PeerEvent.RoomDeliveryReport report = await().atMost(WAIT)
                .until(() -> events.stream().filter(PeerEvent.RoomDeliveryReport.class::isInstance).toList(),
                        l -> !l.isEmpty()).stream().map(PeerEvent.RoomDeliveryReport.class::cast).findFirst().orElseThrow();
        assertThat(report).isEqualTo(new PeerEvent.RoomDeliveryReport("r1", 1, 3, List.of("carol", "dave")));
        assertThat(events.indexOf(report)).as("the report comes last").isEqualTo(events.size() - 1);
    }

    @Test
    void roomMessageWithNobodyElseIsReportedAtOnce() throws Exception {
        deliveries.submit("r1", List.of(), true);
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.RoomDeliveryReport("r1", 0, 0, List.of())));
    }

    @Test
    void abandonedCopiesFailWithTheGivenReason() throws Exception {
        time.flowing = false;
        deliveries.submit("r1", List.of(copy("r1", "bob", OutboxEntry.Kind.ROOM)), true);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob"));
        deliveries.abandon(e -> e.recipient().equals("bob"), "bob left the room");
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.DeliveryFailed("r1", "bob", "bob left the room")));
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.RoomDeliveryReport("r1", 0, 1, List.of("bob"))));
        assertThat(outbox.load("alice")).isEmpty();
    }

    @Test
    void suspendedCopiesStayInTheOutboxForLater() throws Exception {
        time.flowing = false;
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob"));
        deliveries.suspendAll();
        assertThat(deliveries.pending()).isZero();
        assertThat(outbox.load("alice")).hasSize(1);
        assertThat(attempts.get("bob")).hasValue(1);
        assertThat(events).isEmpty();

        script.put("bob", new Deliveries.Outcome.Confirmed());
        deliveries.resume(outbox.load("alice"));
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.Delivered("m1", "bob")));
    }

    @Test
    void laterCopiesToOneRecipientWaitWhileAnEarlierOneIsRetriedAndArriveInOrder() throws Exception {
        time.flowing = false;
        for (String id : List.of("m1", "m2", "m3")) {
            deliveries.submit(id, List.of(copy(id, "bob", OutboxEntry.Kind.DIRECT)), false);
        }
        script.put("carol", new Deliveries.Outcome.Confirmed());
        deliveries.submit("c1", List.of(copy("c1", "carol", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob") && events.size() == 1);
        deliveries.retryNow();
        await().atMost(WAIT).until(() -> attempts.get("bob").get() >= 2);
        assertThat(attemptedIds).as("only the oldest copy to bob is tried").containsOnly("m1", "c1");
        assertThat(events).as("another recipient is not held up").containsExactly(new PeerEvent.Delivered("c1", "carol"));

        script.put("bob", new Deliveries.Outcome.Confirmed());
        deliveries.retryNow();
        await().atMost(WAIT).until(() -> events.size() == 4);
        assertThat(events.subList(1, 4)).containsExactly(new PeerEvent.Delivered("m1", "bob"),
                new PeerEvent.Delivered("m2", "bob"), new PeerEvent.Delivered("m3", "bob"));
        assertThat(attemptedIds.stream().filter(id -> !id.equals("m1")).toList()).containsExactly("c1", "m2", "m3");
    }

    @Test
    void copyWaitingBehindAnUndeliverableOneStillFailsWhenItsWindowEnds() throws Exception {
        Instant start = time.instant();
        time.flowing = false; // both are queued before time moves
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        deliveries.submit("m2", List.of(copy("m2", "bob", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob"));
        time.flowing = true;
        deliveries.retryNow();
        await().atMost(WAIT).until(() -> events.stream().filter(PeerEvent.DeliveryFailed.class::isInstance).count() == 2);
        assertThat(Duration.between(start, time.instant())).isEqualTo(WINDOW);
        assertThat(events).extracting(e -> ((PeerEvent.DeliveryFailed) e).id()).containsExactly("m1", "m2");
        assertThat(((PeerEvent.DeliveryFailed) events.get(1)).reason())
                .isEqualTo("not delivered within 600 ms: an earlier message to bob was still undelivered");
        assertThat(attemptedIds).as("the later copy is never tried once its window is over").doesNotContain("m2");
        assertThat(outbox.load("alice")).isEmpty();
    }
}
