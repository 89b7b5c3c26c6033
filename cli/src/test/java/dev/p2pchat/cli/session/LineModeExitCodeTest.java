package dev.p2pchat.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import dev.p2pchat.cli.ui.LineMode;
import dev.p2pchat.peer.PeerException;

/** Line mode is for scripts: its exit code must say whether every command did what was asked. */
class LineModeExitCodeTest {

    private final FakePeer peer = new FakePeer();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    private int run(String input) throws Exception {
        LineMode mode = new LineMode(peer, new EventRelay(), PasswordSource.none(), Duration.ZERO, ZoneOffset.UTC,
                Clock.systemUTC());
        return mode.run(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), Optional.empty());
    }

    @Test
    void everyCommandSucceedingExitsZero() throws Exception {
        assertThat(run("/login alice pw\n/rooms\n")).isZero();
    }

    @Test
    void aFailedLoginExitsNonZero() throws Exception {
        peer.failNext = new PeerException("Wrong username or password.");

        assertThat(run("/login alice bad\n")).isEqualTo(1);
    }

    @Test
    void anUnknownCommandExitsNonZero() throws Exception {
        assertThat(run("/login alice pw\n/frobnicate\n/rooms\n")).isEqualTo(1);
    }
}
