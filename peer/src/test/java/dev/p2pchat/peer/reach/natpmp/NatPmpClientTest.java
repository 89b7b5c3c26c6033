package dev.p2pchat.peer.reach.natpmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.Protocol;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a gateway on loopback that answers as RFC 6886 says (and loses what it is told to). */
class NatPmpClientTest {
    FakeNatPmpGateway gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = new FakeNatPmpGateway();
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
    }

    @Test
    void aMappingNamesTheExternalAddressAndTheGrantedPortAndLifetime() throws Exception {
        NatPmpClient.Mapping m = gateway.client().map(Protocol.TCP, 6001, Duration.ofHours(2));
        assertThat(m.externalAddress().getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(m.internalPort()).isEqualTo(6001);
        assertThat(m.externalPort()).isEqualTo(40000);
        assertThat(m.lifetime()).isEqualTo(Duration.ofHours(1)); // the gateway's cap, not the ask
        assertThat(gateway.received.getLast())
                .isEqualTo(new NatPmpMessage.MappingRequest(Protocol.TCP, 6001, 6001, 7200).encode());
    }

    @Test
    void aLostRequestIsSentAgain() throws Exception {
        gateway.toDrop.set(2);
        assertThat(gateway.client().externalAddress().getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(gateway.received).hasSize(3);
    }

    @Test
    void unmappingSendsLifetimeZero() throws Exception {
        gateway.client().unmap(Protocol.TCP, 6001);
        assertThat(gateway.received.getLast())
                .isEqualTo(NatPmpMessage.MappingRequest.delete(Protocol.TCP, 6001).encode());
    }

    @Test
    void aSilentGatewayFailsAfterItsTries() {
        gateway.toDrop.set(100);
        assertThatThrownBy(() -> gateway.client().externalAddress()).isInstanceOf(NatPmpException.class)
                .hasMessageContaining("no NAT-PMP answer").hasMessageContaining("after 4 tries");
        assertThat(gateway.received).hasSize(4);
    }
}
