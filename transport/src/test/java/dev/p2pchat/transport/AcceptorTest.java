package dev.p2pchat.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** Defect 6 of issue 9: an accept loop out of file descriptors pauses and logs once, instead of spinning. */
class AcceptorTest {
    private static final Duration PAUSE = Duration.ofMillis(50);

    /** A real listening socket whose accept fails as the kernel's does when the process has no descriptor left. */
    private static final class OutOfDescriptors extends ServerSocket {
        volatile boolean exhausted = true;

        OutOfDescriptors() throws IOException {
            super(0, 50, InetAddress.getLoopbackAddress());
        }

        @Override
        public Socket accept() throws IOException {
            if (exhausted) {
                throw new IOException("Too many open files");
            }
            return super.accept();
        }
    }

    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Acceptor.class);
    private OutOfDescriptors server;

    @BeforeEach
    void listen() throws IOException {
        log.start();
        logger.addAppender(log);
        server = new OutOfDescriptors();
    }

    @AfterEach
    void stop() throws IOException {
        logger.detachAppender(log);
        server.close();
    }

    private long lines(Level level) {
        return log.list.stream().filter(e -> e.getLevel() == level).count();
    }

    @Test
    void failingAcceptsPauseBetweenAttemptsAndLogOnceThenAcceptingResumes() throws IOException {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        long started = System.nanoTime();
        Acceptor acceptor = Acceptor.start(server, "test-accept", accepted::add, PAUSE);

        await().atMost(Duration.ofSeconds(30)).until(() -> acceptor.failures() >= 3);
        long elapsed = System.nanoTime() - started;
        // at most one attempt per pause however fast the machine (a spinning loop makes thousands)
        assertThat(acceptor.failures()).isLessThanOrEqualTo(elapsed / PAUSE.toNanos() + 1);
        assertThat(lines(Level.WARN)).isEqualTo(1);

        server.exhausted = false;
        try (Socket client = new Socket()) {
            client.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()));
            await().atMost(Duration.ofSeconds(30)).until(() -> accepted.size() == 1);
        }
        assertThat(log.list).anyMatch(e -> e.getLevel() == Level.INFO
                && e.getFormattedMessage().contains("accepting again"));
        assertThat(lines(Level.WARN)).isEqualTo(1);
        accepted.forEach(s -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // test over
            }
        });
    }

    @Test
    void closingTheSocketEndsTheLoopWithoutAFailure() throws Exception {
        server.exhausted = false;
        Acceptor acceptor = Acceptor.start(server, "test-accept", s -> { }, PAUSE);
        server.close();
        acceptor.thread().join(Duration.ofSeconds(30));
        assertThat(acceptor.thread().isAlive()).isFalse();
        assertThat(acceptor.failures()).isZero();
        assertThat(lines(Level.WARN)).isZero();
    }
}
