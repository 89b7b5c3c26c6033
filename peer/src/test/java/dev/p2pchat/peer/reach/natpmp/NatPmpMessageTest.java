package dev.p2pchat.peer.reach.natpmp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.ExternalAddressRequest;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.ExternalAddressResponse;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.MappingRequest;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.MappingResponse;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.Protocol;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.Result;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** The byte layouts of RFC 6886 sections 3.2 to 3.5, field by field. */
class NatPmpMessageTest {
    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    private static NatPmpMessage decode(String s) throws NatPmpException {
        byte[] b = hex(s);
        return NatPmpMessage.decodeResponse(b, b.length);
    }

    @Test
    void theExternalAddressRequestIsVersionZeroOpcodeZero() {
        assertThat(new ExternalAddressRequest().encode()).isEqualTo(hex("00 00"));
    }

    @Test
    void theExternalAddressAnswerCarriesResultEpochAndAddress() throws Exception {
        // version 0, opcode 128, result 0, epoch 0x00001234, 203.0.113.9
        NatPmpMessage m = decode("00 80 0000 00001234 cb007109");
        assertThat(m).isEqualTo(new ExternalAddressResponse(Result.SUCCESS, 0x1234,
                (Inet4Address) InetAddress.getByName("203.0.113.9")));
        assertThat(m.encode()).isEqualTo(hex("00 80 0000 00001234 cb007109"));
    }

    @Test
    void aTcpMappingRequestHasReservedZerosPortsAndLifetime() {
        // version 0, opcode 2 (TCP), reserved, internal 6001 (0x1771), suggested 6001, lifetime 7200 (0x1c20)
        assertThat(new MappingRequest(Protocol.TCP, 6001, 6001, 7200).encode())
                .isEqualTo(hex("00 02 0000 1771 1771 00001c20"));
        assertThat(new MappingRequest(Protocol.UDP, 1, 65535, 0xffffffffL).encode())
                .isEqualTo(hex("00 01 0000 0001 ffff ffffffff"));
    }

    @Test
    void deletingAMappingAsksForLifetimeZeroAndExternalPortZero() {
        assertThat(MappingRequest.delete(Protocol.TCP, 6001).encode()).isEqualTo(hex("00 02 0000 1771 0000 00000000"));
    }

    @Test
    void theMappingAnswerIsTheRequestOpcodePlus128WithTheGrantedPortAndLifetime() throws Exception {
        // opcode 130 (TCP answer), result 0, epoch 77, internal 6001, external 40000 (0x9c40), lifetime 3600
        NatPmpMessage m = decode("00 82 0000 0000004d 1771 9c40 00000e10");
        assertThat(m).isEqualTo(new MappingResponse(Protocol.TCP, Result.SUCCESS, 77, 6001, 40000, 3600));
        assertThat(m.encode()).isEqualTo(hex("00 82 0000 0000004d 1771 9c40 00000e10"));
        assertThat(decode("00 81 0000 0000004d 1771 9c40 00000e10"))
                .isEqualTo(new MappingResponse(Protocol.UDP, Result.SUCCESS, 77, 6001, 40000, 3600));
    }

    @Test
    void everyResultCodeOfSection35IsRead() throws Exception {
        Result[] expected = {Result.SUCCESS, Result.UNSUPPORTED_VERSION, Result.NOT_AUTHORIZED,
                Result.NETWORK_FAILURE, Result.OUT_OF_RESOURCES, Result.UNSUPPORTED_OPCODE};
        for (int code = 0; code < expected.length; code++) {
            MappingResponse r = (MappingResponse) decode("00 82 000" + code + " 00000001 1771 0000 00000000");
            assertThat(r.result()).isEqualTo(expected[code]);
        }
    }

    @Test
    void aShortErrorAnswerIsReadForItsResult() throws Exception {
        assertThat(((MappingResponse) decode("00 82 0002 00000001")).result()).isEqualTo(Result.NOT_AUTHORIZED);
    }

    @Test
    void malformedAnswersAreRefusedSayingWhy() {
        assertThatThrownBy(() -> decode("02 80 0000 00000001 cb007109")).isInstanceOf(NatPmpException.class)
                .hasMessageContaining("version 2");
        assertThatThrownBy(() -> decode("00 02 0000 1771 1771 00001c20")).hasMessageContaining("is a request");
        assertThatThrownBy(() -> decode("00 80 0000 00000001 cb00")).hasMessageContaining("has 12 bytes, this one 10");
        assertThatThrownBy(() -> decode("00 82 0000 00000001 1771 9c40")).hasMessageContaining("has 16 bytes");
        assertThatThrownBy(() -> decode("00 83 0000 00000001 1771 9c40 00000e10"))
                .hasMessageContaining("unknown NAT-PMP answer opcode 131");
        assertThatThrownBy(() -> decode("00 82 0009 00000001 1771 9c40 00000e10"))
                .hasMessageContaining("unknown NAT-PMP result code 9");
        assertThatThrownBy(() -> decode("00")).hasMessageContaining("at least 2 bytes");
    }

    @Test
    void outOfRangeFieldsAreRefusedWhenBuilt() {
        assertThatThrownBy(() -> new MappingRequest(Protocol.TCP, 0, 0, 10))
                .hasMessageContaining("internal port");
        assertThatThrownBy(() -> new MappingRequest(Protocol.TCP, 1, 65536, 10)).hasMessageContaining("external");
        assertThatThrownBy(() -> new MappingRequest(Protocol.TCP, 1, 1, -1)).hasMessageContaining("lifetime");
    }
}
