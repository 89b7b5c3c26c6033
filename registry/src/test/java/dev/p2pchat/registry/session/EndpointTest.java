package dev.p2pchat.registry.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTest {
    static final String FP = "ab".repeat(32);
    static final List<Candidate> ANNOUNCED = List.of(new Candidate("127.0.0.1", 7001), new Candidate("::1", 7001),
            new Candidate("192.168.1.5", 7001));

    @Test
    void loopbackCandidatesOfAPeerSeenFromElsewhereAreDropped() {
        assertThat(Endpoint.announced("203.0.113.9", 7001, FP, ANNOUNCED).candidates())
                .containsExactly(new Candidate("192.168.1.5", 7001));
    }

    @Test
    void loopbackCandidatesOfAPeerOnTheRegistrysMachineAreKept() {
        assertThat(Endpoint.announced("127.0.0.1", 7001, FP, ANNOUNCED).candidates()).isEqualTo(ANNOUNCED);
    }
}
