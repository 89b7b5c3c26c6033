package dev.p2pchat.peer.reach.natpmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.Protocol;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client against a gateway on loopback that answers as RFC 6886 says (and loses what it is told to). */
class NatPmpClientTest {
    DatagramSocket gateway;
    Thread serving;
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    final AtomicInteger toDrop = new AtomicInteger();
    volatile int grantedPort = 40000;

    @BeforeEach
    void start() throws Exception {
        gateway = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        serving = Thread.ofVirtual().start(this::serve);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        serving.join();
    }

    private void serve() {
        byte[] buf = new byte[64];
        while (!gateway.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                gateway.receive(p);
            } catch (java.io.IOException e) {
                return;
            }
            byte[] request = java.util.Arrays.copyOf(p.getData(), p.getLength());
            received.add(request);
            if (toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                continue;
            }
            ByteBuffer in = ByteBuffer.wrap(request);
            in.get();
            int opcode = in.get();
            byte[] answer;
            if (opcode == 0) {
                answer = ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0).putInt(5)
                        .put(new byte[] {(byte) 203, 0, 113, 9}).array();
            } else {
                in.getShort();
                short internal = in.getShort();
                in.getShort();
                int lifetime = in.getInt();
                answer = ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + opcode)).putShort((short) 0)
                        .putInt(5).putShort(internal).putShort((short) (lifetime == 0 ? 0 : grantedPort))
                        .putInt(Math.min(lifetime, 3600)).array();
            }
            try {
                gateway.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    private NatPmpClient client() {
        return new NatPmpClient((InetSocketAddress) gateway.getLocalSocketAddress(), Duration.ofMillis(200), 4);
    }

    @Test
    void aMappingNamesTheExternalAddressAndTheGrantedPortAndLifetime() throws Exception {
        NatPmpClient.Mapping m = client().map(Protocol.TCP, 6001, Duration.ofHours(2));
        assertThat(m.externalAddress().getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(m.internalPort()).isEqualTo(6001);
        assertThat(m.externalPort()).isEqualTo(40000);
        assertThat(m.lifetime()).isEqualTo(Duration.ofHours(1)); // the gateway's cap, not the ask
        assertThat(received.getLast()).isEqualTo(new NatPmpMessage.MappingRequest(Protocol.TCP, 6001, 6001, 7200)
                .encode());
    }

    @Test
    void aLostRequestIsSentAgain() throws Exception {
        toDrop.set(2);
        assertThat(client().externalAddress().getHostAddress()).isEqualTo("203.0.113.9");
        assertThat(received).hasSize(3);
    }

    @Test
    void unmappingSendsLifetimeZero() throws Exception {
        client().unmap(Protocol.TCP, 6001);
        assertThat(received.getLast()).isEqualTo(NatPmpMessage.MappingRequest.delete(Protocol.TCP, 6001).encode());
    }

    @Test
    void aSilentGatewayFailsAfterItsTries() {
        toDrop.set(100);
        assertThatThrownBy(() -> client().externalAddress()).isInstanceOf(NatPmpException.class)
                .hasMessageContaining("no NAT-PMP answer").hasMessageContaining("after 4 tries");
        assertThat(received).hasSize(4);
    }
}
