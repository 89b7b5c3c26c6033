package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.jline.terminal.Terminal;
import org.jline.terminal.Size;
import org.jline.terminal.impl.ExternalTerminal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.p2pchat.cli.render.ColorMode;
import dev.p2pchat.cli.render.Theme;
import dev.p2pchat.cli.session.ChatPeer;
import dev.p2pchat.cli.session.EventRelay;
import dev.p2pchat.peer.ConnectionState;
import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RoomSummary;

/**
 * The interactive UI on a real JLine reader over pipes (an xterm as far as JLine knows), with room
 * traffic pouring in from another thread while keys arrive: the deadlocks of issue 9 defect 1 (Tab
 * completion or the end of a line holding JLine's lock while an event holds the session's) must not
 * come back, and the input line must stay live while a command waits on the network (defect 8).
 */
class InteractiveModeConcurrencyTest {

    @TempDir
    Path tmp;

    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicBoolean flooding = new AtomicBoolean(true);
    private PipedOutputStream keys;
    private Terminal terminal;
    private final Screen screen = new Screen();

    @AfterEach
    void stop() throws Exception {
        flooding.set(false);
        if (keys != null) {
            keys.close();
        }
        threads.shutdownNow();
        if (terminal != null) {
            terminal.close();
        }
    }

    @Test
    void tabCompletionRacingIncomingEventsNeverFreezesTheInput() throws Exception {
        StubPeer peer = new StubPeer();
        EventRelay events = new EventRelay();
        Future<Integer> ui = start(peer, events);
        type("/login alice pw\r/join lobby\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.text().contains("joined lobby"));

        threads.execute(() -> flood(events, "bob"));
        for (int i = 0; i < 30; i++) {
            type("/chat \t");
            type("\u0015"); // Ctrl-U: clear the line again
        }
        type("/help\r");

        await().atMost(Duration.ofSeconds(60)).until(() -> screen.text().contains("/register NAME"));
        type("/quit\r");
        assertThat(ui.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }

    @Test
    void aPasteOfTwentyLinesWithRoomTrafficSendsEveryLine() throws Exception {
        StubPeer peer = new StubPeer();
        EventRelay events = new EventRelay();
        Future<Integer> ui = start(peer, events);
        type("/login alice pw\r/join lobby\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.text().contains("joined lobby"));

        threads.execute(() -> flood(events, "bob"));
        StringBuilder paste = new StringBuilder();
        for (int i = 1; i <= 20; i++) {
            paste.append("line ").append(i).append('\r');
        }
        type(paste.toString());

        await().atMost(Duration.ofSeconds(60)).until(() -> peer.roomSends.size() == 20);
        assertThat(peer.roomSends).containsExactly(java.util.stream.IntStream.rangeClosed(1, 20)
                .mapToObj(i -> "line " + i).toArray(String[]::new));
        type("/help\r");
        await().atMost(Duration.ofSeconds(60)).until(() -> screen.text().contains("/register NAME"));
        type("/quit\r");
        assertThat(ui.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }

    @Test
    void keysTypedWhileACommandWaitsAreEditedNotEchoedRaw() throws Exception {
        StubPeer peer = new StubPeer();
        CountDownLatch registryBack = new CountDownLatch(1);
        peer.beforeUsers = () -> {
            try {
                registryBack.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
        EventRelay events = new EventRelay();
        Future<Integer> ui = start(peer, events);
        type("/login alice pw\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.text().contains("logged in as alice"));

        type("/users\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> peer.usersAsked.get() == 1);
        // The command is still waiting; the input line is live: this is edited (and completed) by JLine.
        type("/hel\t");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.text().contains("/help"));
        registryBack.countDown();
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.text().contains("nobody else is online"));
        type("\r");
        await().atMost(Duration.ofSeconds(30)).until(() -> screen.text().contains("/register NAME"));
        type("/quit\r");
        assertThat(ui.get(60, java.util.concurrent.TimeUnit.SECONDS)).isZero();
    }

    private Future<Integer> start(StubPeer peer, EventRelay events) throws IOException {
        keys = new PipedOutputStream();
        PipedInputStream in = new PipedInputStream(keys, 1 << 16);
        // A pure-Java terminal over the pipes (no pty, no native code): JLine edits, completes and redraws
        // exactly as on an xterm.
        ExternalTerminal external = new ExternalTerminal("test", "xterm-256color", in, screen, StandardCharsets.UTF_8);
        external.setSize(new Size(120, 40));
        terminal = external;
        InteractiveMode mode = new InteractiveMode(peer, events, Theme.of(ColorMode.NO_COLOR), Hyperlinks.NEVER,
                Map.of(), tmp.resolve("data").resolve("history"), Optional.empty(), Clock.systemUTC());
        return threads.submit(() -> mode.run(terminal, Optional.empty()));
    }

    private void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.UTF_8));
        keys.flush();
    }

    private void flood(EventRelay events, String from) {
        long n = 0;
        while (flooding.get() && !Thread.currentThread().isInterrupted()) {
            events.onEvent(new PeerEvent.RoomMessageReceived("r" + n, "lobby", from, null, "traffic " + n++));
            if (n % 5 == 0) {
                events.onEvent(new PeerEvent.MemberJoined("lobby", "user" + n));
            }
            // Paced like a busy room (thousands a second), not a spin loop that starves a 2-core machine.
            java.util.concurrent.locks.LockSupport.parkNanos(200_000);
        }
    }

    /** The terminal's output, kept as text for the assertions. */
    private static final class Screen extends OutputStream {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        @Override
        public synchronized void write(int b) {
            bytes.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            bytes.write(b, off, len);
        }

        synchronized String text() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** A thread-safe peer that is always up; room sends are recorded in order. */
    private static final class StubPeer implements ChatPeer {
        volatile String user;
        volatile String room;
        final List<String> roomSends = new CopyOnWriteArrayList<>();
        final Set<String> known = new ConcurrentSkipListSet<>(Set.of("bob", "carol", "dave"));
        final AtomicInteger ids = new AtomicInteger();
        final AtomicInteger usersAsked = new AtomicInteger();
        volatile Runnable beforeUsers = () -> { };

        @Override public void register(String username, char[] password) { }
        @Override public void login(String username, char[] password) { user = username; }
        @Override public void logout() { user = null; room = null; }
        @Override public List<RoomSummary> rooms(boolean detailed) { return List.of(); }
        @Override public void createRoom(String name, char[] password, int capacity, String description) { }
        @Override public void joinRoom(String name, char[] password) { room = name; }
        @Override public void leaveRoom() { room = null; }
        @Override public Optional<String> currentRoom() { return Optional.ofNullable(room); }
        @Override public List<PeerInfo> roomMembers() { return List.of(); }

        @Override
        public List<PeerInfo> onlineUsers() {
            usersAsked.incrementAndGet();
            beforeUsers.run();
            return List.of();
        }

        @Override public PeerInfo search(String username) { return null; }
        @Override public void requestChat(String username) { }
        @Override public void acceptChat(String username) { }
        @Override public void rejectChat(String username) { }
        @Override public void closeChat(String username) { }
        @Override public Set<String> openChats() { return Set.of(); }
        @Override public Set<String> pendingChatRequests() { return Set.of(); }
        @Override public String sendDirect(String username, String text) { return "d" + ids.incrementAndGet(); }

        @Override
        public String sendToRoom(String text) throws PeerException {
            roomSends.add(text);
            return "m" + ids.incrementAndGet();
        }

        @Override public String username() { return user; }
        @Override public ConnectionState state() { return ConnectionState.CONNECTED; }
    }
}
