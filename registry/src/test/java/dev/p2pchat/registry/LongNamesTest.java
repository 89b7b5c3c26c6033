package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * Defect 4: a name of 250 characters is valid on the wire (every text field may hold 256), so whatever a reason
 * quotes of it, the answer must be a proper 4xx, never a 500 with an ERROR stack trace a client could flood.
 */
class LongNamesTest {
    private static final String LONG = "n".repeat(250);

    @TempDir
    Path dataDir;
    RunningRegistry registry;
    RegistryTestClient alice;
    ListAppender<ILoggingEvent> log;

    @BeforeEach
    void start() {
        log = new ListAppender<>();
        log.start();
        root().addAppender(log);
        registry = RunningRegistry.start(dataDir);
        alice = registry.client();
        alice.registerAndLogin("alice");
    }

    @AfterEach
    void stop() {
        registry.close();
        root().detachAppender(log);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Test
    void longNamesInEveryNamedFieldAreAnsweredWithAClientError() {
        RegistryTestClient stranger = registry.client();
        List<RegistryRequest> asStranger = List.of(
                new RegistryRequest.Register(LONG, RegistryTestClient.digest("pw")),
                new RegistryRequest.Login(LONG, RegistryTestClient.digest("pw"), RegistryTestClient.PEER_PORT,
                        RegistryTestClient.PEER_FINGERPRINT),
                new RegistryRequest.Resume(LONG, "t".repeat(250), RegistryTestClient.PEER_PORT,
                        RegistryTestClient.PEER_FINGERPRINT, LONG));
        List<RegistryRequest> asAlice = List.of(
                new RegistryRequest.SearchUser(LONG),
                new RegistryRequest.CreateChatRoom(LONG, null, 5, "d"),
                new RegistryRequest.CreateChatRoom("ok-room", null, 5, "d".repeat(250)),
                new RegistryRequest.JoinChatRoom(LONG, null),
                new RegistryRequest.JoinChatRoom(LONG, RegistryTestClient.digest("pw")),
                new RegistryRequest.RoomExit(LONG),
                new RegistryRequest.DiscoverPeers(LONG));
        for (RegistryRequest request : asStranger) {
            assertClientError(stranger, request);
        }
        for (RegistryRequest request : asAlice) {
            assertClientError(alice, request);
        }
        assertThat(alice.createRoom("lobby", null, 5, "").status()).isEqualTo(Status.SUCCESS);
        assertThat(alice.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
        assertClientError(alice, new RegistryRequest.RoomExit(LONG));
        assertClientError(alice, new RegistryRequest.JoinChatRoom(LONG, null));

        assertThat(log.list).filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.ERROR)).isEmpty();
    }

    private static void assertClientError(RegistryTestClient client, RegistryRequest request) {
        Message reply = RegistryTestClient.decode(client.exchange(request));
        Status status = switch (reply) {
            case RegistryReply r when r instanceof dev.p2pchat.protocol.ErrorReply e -> e.status();
            case RegistryReply.RegisterResult r -> r.status();
            case RegistryReply.Auth r -> r.status();
            case RegistryReply.SearchUserResponse r -> r.status();
            case RegistryReply.Creation r -> r.status();
            case RegistryReply.Join r -> r.status();
            case RegistryReply.RoomExitResponse r -> r.status();
            case RegistryReply.PeerList r -> r.status();
            default -> throw new AssertionError("unexpected reply " + reply);
        };
        assertThat(status.code()).as(request.toFrame().verb() + " answered " + reply).isBetween(400, 499);
    }
}
