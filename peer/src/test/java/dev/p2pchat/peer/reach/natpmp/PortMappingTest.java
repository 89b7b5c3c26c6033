package dev.p2pchat.peer.reach.natpmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.Candidate;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class PortMappingTest {
    FakeNatPmpGateway gateway;
    ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeNatPmpGateway();
    }

    @AfterEach
    void stop() throws Exception {
        timer.shutdownNow();
        gateway.close();
    }

    @Test
    void theMappedAddressIsACandidateRenewedAtHalfItsLifetimeAndDeletedOnClose() {
        gateway.maxLifetimeSeconds = 2; // renewed after about 1 s
        PortMapping mapping = new PortMapping(gateway.client(), 6001, timer);
        mapping.open();
        assertThat(mapping.candidate(Duration.ofSeconds(30))).contains(new Candidate("203.0.113.9", 40000, Candidate.Type.MAPPED));

        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.mappingRequestsWithLifetime(7200) >= 2);

        mapping.close();
        assertThat(gateway.mappingRequestsWithLifetime(0)).isEqualTo(1);
        assertThat(mapping.candidate(Duration.ofMillis(10))).isEmpty();
    }

    @Test
    void askedAgainForAnotherLifetimeItAsksAtOnceAndRenewsWithTheNewOne() {
        PortMapping mapping = new PortMapping(gateway.client(), 6001, timer);
        mapping.open(); // for two hours
        mapping.lifetime(Duration.ofSeconds(2));
        assertThat(mapping.candidate(Duration.ofSeconds(30))).isPresent();

        // Asked at once for 2 s, then renewed every second for 2 s again.
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.mappingRequestsWithLifetime(2) >= 3);
        mapping.close();
        assertThat(gateway.mappingRequestsWithLifetime(0)).isEqualTo(1);
    }

    @Test
    void aGatewayThatRefusesGivesNoCandidateAndNothingToDelete() {
        gateway.toDrop.set(1000);
        PortMapping mapping = new PortMapping(gateway.client(), 6001, timer);
        mapping.open();
        assertThat(mapping.candidate(Duration.ofMillis(50))).isEmpty(); // still waiting: login goes on without
        await().atMost(Duration.ofSeconds(30)).until(() -> gateway.received.size() >= 4);
        mapping.close();
        assertThat(gateway.mappingRequestsWithLifetime(0)).isZero();
    }
}
