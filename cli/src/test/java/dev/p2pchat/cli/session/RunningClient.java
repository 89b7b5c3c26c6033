package dev.p2pchat.cli.session;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import dev.p2pchat.cli.command.CommandParser;
import dev.p2pchat.peer.Peer;
import dev.p2pchat.peer.PeerConfig;
import dev.p2pchat.peer.PeerException;

/**
 * One user's chat client on the real stack: a real {@link Peer} (TLS to the registry, its own peer server)
 * driven by a {@link ChatSession}, exactly as the app wires them, with a {@link RecordingView} to read.
 */
final class RunningClient implements AutoCloseable {

    static final Duration WAIT = Duration.ofSeconds(20);

    final RecordingView view = new RecordingView();
    final ChatSession session;
    private final Peer peer;

    RunningClient(LocalRegistry registry, Path dataDir) throws PeerException {
        PeerConfig config = new PeerConfig("127.0.0.1", registry.port(), registry.fingerprint(), "127.0.0.1", 0,
                dataDir, Duration.ofSeconds(3), Duration.ofSeconds(10), Duration.ofMillis(50), Duration.ofMillis(400), 0);
        EventRelay events = new EventRelay();
        this.peer = Peer.start(config, events);
        this.session = new ChatSession(new PeerAdapter(peer), view, PasswordSource.none(), Clock.systemUTC());
        events.attach(session);
    }

    /** Types one line, as the user would. */
    ChatSession.Next type(String line) {
        return session.handle(CommandParser.parse(line));
    }

    /** Registers {@code user} with a password made from the name, and logs in. */
    RunningClient loggedInAs(String user) {
        type("/register " + user + " " + user + "-pw");
        type("/login " + user + " " + user + "-pw");
        awaitLine(line -> line.equals("notice logged in as " + user));
        return this;
    }

    /** Waits for an output line matching {@code wanted} and returns it. */
    String awaitLine(Predicate<String> wanted) {
        try {
            return Awaitility.await().atMost(WAIT)
                    .until(() -> view.out.stream().filter(wanted).findFirst(), found -> found.isPresent())
                    .orElseThrow();
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("the expected line did not come within " + WAIT + "; the client showed:\n  "
                    + String.join("\n  ", view.out), e);
        }
    }

    String awaitLine(String exactly) {
        return awaitLine(exactly::equals);
    }

    List<String> lines() {
        return List.copyOf(view.out);
    }

    @Override
    public void close() {
        session.end();
        peer.close();
    }
}
