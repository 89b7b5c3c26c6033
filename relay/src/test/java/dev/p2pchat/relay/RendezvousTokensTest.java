package dev.p2pchat.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class RendezvousTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-02T17:00:00Z");
    private final byte[] secret = RendezvousTokens.newSecret();
    private final RendezvousTokens tokens = new RendezvousTokens(secret, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void anIssuedTokenNamesBothUsersAndItsExpiry() throws Exception {
        String token = tokens.issue("alice", "bob", Duration.ofSeconds(30));

        RendezvousTokens.Rendezvous r = tokens.verify(token);

        assertThat(r.userA()).isEqualTo("alice");
        assertThat(r.userB()).isEqualTo("bob");
        assertThat(r.expires()).isEqualTo(NOW.plusSeconds(30));
        assertThat(token).hasSizeLessThanOrEqualTo(256).matches("[A-Za-z0-9_.-]+");
        assertThat(tokens.issue("alice", "bob", Duration.ofSeconds(30))).isNotEqualTo(token);
    }

    @Test
    void anotherSecretAnAlteredPayloadAndAnExpiredTokenDoNotVerify() {
        String token = tokens.issue("alice", "bob", Duration.ofSeconds(30));
        RendezvousTokens other = new RendezvousTokens(RendezvousTokens.newSecret(), Clock.fixed(NOW, ZoneOffset.UTC));
        String swapped = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(
                "v1\nmallory\nbob\n9999999999999\n00".getBytes()) + token.substring(token.indexOf('.'));
        RendezvousTokens later = new RendezvousTokens(secret, Clock.fixed(NOW.plusSeconds(30), ZoneOffset.UTC));

        assertThatThrownBy(() -> other.verify(token)).hasMessageContaining("not issued");
        assertThatThrownBy(() -> tokens.verify(swapped)).hasMessageContaining("not issued");
        assertThatThrownBy(() -> later.verify(token)).hasMessageContaining("expired");
        assertThatThrownBy(() -> tokens.verify("a.b.c")).hasMessageContaining("not a rendezvous token");
        assertThatThrownBy(() -> new RendezvousTokens(new byte[16], Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
