package dev.p2pchat.registry.service;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.registry.session.Endpoint;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which addresses the reachability self-test dials: the peer's own, never one it merely names. */
class SelfTestsTest {
    private static final String FINGERPRINT = "ab".repeat(32);

    @Test
    void onlyTheObservedAddressIsDialledNeverAnAddressThePeerOnlyNames() {
        Candidate mapped = Candidate.parse("198.51.100.4:40123;mapped");
        Endpoint endpoint = new Endpoint("198.51.100.4", 6001, FINGERPRINT, List.of(
                Candidate.parse("203.0.113.9:22"), Candidate.parse("10.0.0.5:5432"), mapped));

        assertThat(SelfTests.testable(endpoint)).containsExactly(new Candidate("198.51.100.4", 6001), mapped);
    }

    @Test
    void aCandidateAtTheObservedAddressAndPortIsDialledOnce() {
        Endpoint endpoint = new Endpoint("127.0.0.1", 6001, FINGERPRINT, List.of(new Candidate("127.0.0.1", 6001)));

        assertThat(SelfTests.testable(endpoint)).containsExactly(new Candidate("127.0.0.1", 6001));
    }

    @Test
    void anIpv6ObservedAddressIsComparedInItsCanonicalForm() {
        Endpoint endpoint = new Endpoint("2001:db8:0:0:0:0:0:7", 6001, FINGERPRINT,
                List.of(Candidate.parse("[2001:db8::7]:6002")));

        assertThat(SelfTests.testable(endpoint)).containsExactly(new Candidate("2001:db8::7", 6001),
                new Candidate("2001:db8::7", 6002));
    }
}
