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
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The retry and reporting rules, with a scripted transport instead of a network. */
class DeliveriesTest {
    private static final Duration WINDOW = Duration.ofMillis(600);
    private static final Duration WAIT = Duration.ofSeconds(5);

    @TempDir
    Path dir;

    final List<PeerEvent> events = new CopyOnWriteArrayList<>();
    final Map<String, Deliveries.Outcome> script = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    final List<String> attemptedIds = new CopyOnWriteArrayList<>();
    EventDispatcher dispatcher;
    ScheduledExecutorService timer;
    Outbox outbox;
    Deliveries deliveries;

    @BeforeEach
    void setUp() throws Exception {
        dispatcher = new EventDispatcher(events::add);
        timer = Executors.newSingleThreadScheduledExecutor();
        outbox = new Outbox(dir);
        deliveries = new Deliveries(outbox, this::attempt, dispatcher, timer, Clock.systemUTC(),
                new Backoff(Duration.ofMillis(20), Duration.ofMillis(80), () -> 0.0), WINDOW);
    }

    @AfterEach
    void tearDown() {
        deliveries.close();
        timer.shutdownNow();
        dispatcher.close();
    }

    private Deliveries.Outcome attempt(OutboxEntry entry, int attempt) {
        attempts.computeIfAbsent(entry.recipient(), r -> new AtomicInteger()).incrementAndGet();
        attemptedIds.add(entry.id());
        return script.getOrDefault(entry.recipient(), new Deliveries.Outcome.Retry(entry.recipient() + " is not online"));
    }

    private OutboxEntry copy(String id, String to, OutboxEntry.Kind kind) {
        Instant now = Instant.now();
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
        Instant start = Instant.now();
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        assertThat(outbox.load("alice")).hasSize(1);
        PeerEvent.DeliveryFailed failed = await().atMost(WAIT)
                .until(() -> events.stream().filter(PeerEvent.DeliveryFailed.class::isInstance).toList(),
                        l -> !l.isEmpty()).stream().map(PeerEvent.DeliveryFailed.class::cast).findFirst().orElseThrow();
        assertThat(Duration.between(start, Instant.now())).isGreaterThanOrEqualTo(WINDOW);
        assertThat(failed.reason()).isEqualTo("not delivered within 600 ms: bob is not online");
        assertThat(attempts.get("bob").get()).isGreaterThan(3);
        await().during(Duration.ofMillis(200)).atMost(WAIT)
                .until(() -> events.stream().filter(PeerEvent.DeliveryFailed.class::isInstance).count() == 1);
        assertThat(outbox.load("alice")).isEmpty();
    }

    @Test
    void retriedCopyIsDeliveredOnceTheRecipientAnswers() throws Exception {
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob") && attempts.get("bob").get() >= 2);
        script.put("bob", new Deliveries.Outcome.Confirmed());
        deliveries.retryNow();
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.Delivered("m1", "bob")));
        assertThat(events).noneMatch(PeerEvent.DeliveryFailed.class::isInstance);
    }

    @Test
    void roomReportFollowsTheLastMembersOutcome() throws Exception {
        script.put("bob", new Deliveries.Outcome.Confirmed());
        script.put("carol", new Deliveries.Outcome.Refused("carol is not in room lobby"));
        OutboxEntry toBob = copy("r1", "bob", OutboxEntry.Kind.ROOM);
        deliveries.submit("r1", List.of(toBob, toBob.withRecipient("carol"), toBob.withRecipient("dave")), true);
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
        deliveries.submit("r1", List.of(copy("r1", "bob", OutboxEntry.Kind.ROOM)), true);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob"));
        deliveries.abandon(e -> e.recipient().equals("bob"), "bob left the room");
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.DeliveryFailed("r1", "bob", "bob left the room")));
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.RoomDeliveryReport("r1", 0, 1, List.of("bob"))));
        assertThat(outbox.load("alice")).isEmpty();
    }

    @Test
    void suspendedCopiesStayInTheOutboxForLater() throws Exception {
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        deliveries.suspendAll();
        assertThat(outbox.load("alice")).hasSize(1);
        int tried = attempts.containsKey("bob") ? attempts.get("bob").get() : 0;
        await().during(Duration.ofMillis(200)).atMost(WAIT)
                .until(() -> (attempts.containsKey("bob") ? attempts.get("bob").get() : 0) <= tried + 1);
        assertThat(events).isEmpty();

        script.put("bob", new Deliveries.Outcome.Confirmed());
        deliveries.resume(outbox.load("alice"));
        await().atMost(WAIT).until(() -> events.contains(new PeerEvent.Delivered("m1", "bob")));
    }

    @Test
    void laterCopiesToOneRecipientWaitWhileAnEarlierOneIsRetriedAndArriveInOrder() throws Exception {
        for (String id : List.of("m1", "m2", "m3")) {
            deliveries.submit(id, List.of(copy(id, "bob", OutboxEntry.Kind.DIRECT)), false);
        }
        script.put("carol", new Deliveries.Outcome.Confirmed());
        deliveries.submit("c1", List.of(copy("c1", "carol", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> attempts.containsKey("bob") && attempts.get("bob").get() >= 3);
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
        Instant start = Instant.now();
        deliveries.submit("m1", List.of(copy("m1", "bob", OutboxEntry.Kind.DIRECT)), false);
        deliveries.submit("m2", List.of(copy("m2", "bob", OutboxEntry.Kind.DIRECT)), false);
        await().atMost(WAIT).until(() -> events.stream().filter(PeerEvent.DeliveryFailed.class::isInstance).count() == 2);
        assertThat(Duration.between(start, Instant.now())).isLessThan(WINDOW.multipliedBy(3));
        assertThat(events).extracting(e -> ((PeerEvent.DeliveryFailed) e).id()).containsExactly("m1", "m2");
        assertThat(outbox.load("alice")).isEmpty();
    }
}
