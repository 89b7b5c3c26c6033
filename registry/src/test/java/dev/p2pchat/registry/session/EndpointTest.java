package dev.p2pchat.registry.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.security.Fingerprints;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;

class EndpointTest {
    static final String FP = "ab".repeat(32);
    static final List<Candidate> ANNOUNCED = List.of(new Candidate("127.0.0.1", 7001), new Candidate("::1", 7001),
            new Candidate("192.168.1.5", 7001));
    /** Any bytes do: the endpoint only checks that the certificate's SHA-256 is the fingerprint. */
    static final byte[] DER = "not really a certificate".getBytes(StandardCharsets.US_ASCII);
    static final String CERTIFICATE = Base64.getEncoder().encodeToString(DER);
    static final String ITS_FP = Fingerprints.sha256Hex(DER);

    @Test
    void loopbackCandidatesOfAPeerSeenFromElsewhereAreDropped() {
        assertThat(Endpoint.announced("203.0.113.9", 7001, FP, ANNOUNCED, null, null).candidates())
                .containsExactly(new Candidate("192.168.1.5", 7001));
    }

    @Test
    void loopbackCandidatesOfAPeerOnTheRegistrysMachineAreKept() {
        assertThat(Endpoint.announced("127.0.0.1", 7001, FP, ANNOUNCED, null, null).candidates())
                .isEqualTo(ANNOUNCED);
    }

    @Test
    void aStoredCertificateIsKeptOnlyForTheKeyItCertifies() {
        assertThat(Endpoint.announced("10.0.0.1", 7001, ITS_FP, List.of(), null, CERTIFICATE).certificate())
                .isEqualTo(CERTIFICATE);
        assertThat(Endpoint.announced("10.0.0.1", 7001, FP, List.of(), null, CERTIFICATE).certificate()).isNull();
        assertThat(Endpoint.announced("10.0.0.1", 7001, ITS_FP, List.of(), null, "not base64!").certificate())
                .isNull();
    }

    @Test
    void thePresentedCertificateIsTheOneKept() {
        String older = Base64.getEncoder().encodeToString("older".getBytes(StandardCharsets.US_ASCII));
        assertThat(Endpoint.announced("10.0.0.1", 7001, ITS_FP, List.of(), CERTIFICATE, older).certificate())
                .isEqualTo(CERTIFICATE);
    }
}
