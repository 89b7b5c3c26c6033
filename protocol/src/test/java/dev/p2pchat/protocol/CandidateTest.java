package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class CandidateTest {
    @Test
    void ipv4AndIpv6CandidatesReadAndWriteInCanonicalForm() {
        assertThat(Candidate.parse("192.168.1.7:7001")).isEqualTo(new Candidate("192.168.1.7", 7001));
        Candidate v6 = Candidate.parse("[2001:0DB8:0:0:0:0:0:7]:443");
        assertThat(v6.address()).isEqualTo("2001:db8::7");
        assertThat(v6.text()).isEqualTo("[2001:db8::7]:443");
        assertThat(new Candidate("0:0:0:0:0:0:0:1", 9).text()).isEqualTo("[::1]:9");
        assertThat(new Candidate("2001:db8:0:1:0:0:0:1", 9).address()).isEqualTo("2001:db8:0:1::1");
        assertThat(new Candidate("2001:db8:0:0:1:0:0:1", 9).address()).isEqualTo("2001:db8::1:0:0:1");
        assertThat(new Candidate("fd00:1:2:3:4:5:6:0", 9).address()).isEqualTo("fd00:1:2:3:4:5:6:0");
    }

    @Test
    void aListIsCommaSeparatedWithoutDuplicates() {
        List<Candidate> list = Candidate.parseList("10.0.0.2:7001, [fd00::2]:7001,10.0.0.2:7001");
        assertThat(list).containsExactly(new Candidate("10.0.0.2", 7001), new Candidate("fd00::2", 7001));
        assertThat(Candidate.formatList(list)).isEqualTo("10.0.0.2:7001,[fd00::2]:7001");
        assertThat(Candidate.parseList(null)).isEmpty();
        assertThat(Candidate.parseList(" ")).isEmpty();
        assertThat(Candidate.formatList(List.of())).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com:7001", "10.0.0.1", "10.0.0.1:", "10.0.0.1:0", "10.0.0.1:65536",
            "10.0.0.256:7001", "[10.0.0.1]:7001", "::1:7001", "[::1]", "[fe80::1%eth0]:7001", "0.0.0.0:7001",
            "[::]:7001", "224.0.0.1:7001", "10.0.0.1:+70", "[1:2:3:4:5:6:7:8:9]:1"})
    void aMalformedCandidateIsRefusedWithAReason(String text) {
        assertThatThrownBy(() -> Candidate.parse(text)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("candidate");
    }

    @Test
    void listsAreBounded() {
        String nine = String.join(",", java.util.stream.IntStream.rangeClosed(1, 9)
                .mapToObj(i -> "10.0.0." + i + ":7001").toList());
        assertThatThrownBy(() -> Candidate.parseList(nine)).hasMessageContaining("more than 8 candidates");
        assertThatThrownBy(() -> Candidate.parse("1".repeat(70))).hasMessageContaining("longer than 64");
    }

    @Test
    void aBadCandidatesHeaderInLoginIsA400() throws Exception {
        Frame login = new RegistryRequest.Login("alice", "ab".repeat(32), 7001, "cd".repeat(32),
                List.of(new Candidate("10.0.0.2", 7001))).toFrame();
        assertThat(login.header("candidates")).isEqualTo("10.0.0.2:7001");
        Frame bad = Frame.request("LOGIN", Headers.builder().put("username", "alice").put("password", "ab".repeat(32))
                .put("port", 7001).put("fingerprint", "cd".repeat(32)).put("candidates", "router.home:7001").build());
        assertThatThrownBy(() -> Messages.decode(bad)).isInstanceOf(ProtocolException.class)
                .hasMessageContaining("host names are not allowed");
    }

    @Test
    void thePeerIsDialledAtItsObservedAddressFirstThenAtItsCandidates() {
        PeerInfo carol = new PeerInfo("carol", null, "203.0.113.5", 7001, "ab".repeat(32),
                List.of(new Candidate("192.168.1.5", 7001), new Candidate("203.0.113.5", 7001)));
        assertThat(carol.dialOrder()).containsExactly(new Candidate("203.0.113.5", 7001),
                new Candidate("192.168.1.5", 7001));
    }

    @Test
    void aMappedCandidateSaysSoInItsSuffixAndAnUnknownTypeReadsAsAPlainAddress() {
        Candidate mapped = Candidate.parse("100.128.0.40:7001;mapped");
        assertThat(mapped).isEqualTo(new Candidate("100.128.0.40", 7001, Candidate.Type.MAPPED));
        assertThat(mapped.text()).isEqualTo("100.128.0.40:7001;mapped");
        assertThat(Candidate.parse("[2001:db8::7]:443;mapped").type()).isEqualTo(Candidate.Type.MAPPED);
        assertThat(Candidate.parse("10.0.0.2:7001;relay-ish")).isEqualTo(new Candidate("10.0.0.2", 7001));
        assertThatThrownBy(() -> Candidate.parse("10.0.0.2:7001;")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Candidate.parse("10.0.0.2:7001;Mapped")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aMappedCandidateAtTheObservedAddressMarksItInTheDialOrder() {
        PeerInfo carol = new PeerInfo("carol", null, "100.128.0.40", 7001, "ab".repeat(32),
                List.of(new Candidate("100.128.0.40", 7001, Candidate.Type.MAPPED), new Candidate("192.168.1.5", 7001)));
        assertThat(carol.dialOrder()).containsExactly(new Candidate("100.128.0.40", 7001, Candidate.Type.MAPPED),
                new Candidate("192.168.1.5", 7001));
    }
}
