package dev.p2pchat.peer.reach.natpmp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DefaultGatewayTest {
    @Test
    void theDefaultRoutesGatewayIsReadInTheKernelsByteOrder() {
        String table = """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                eth0\t00000000\t0101A8C0\t0003\t0\t0\t0\t00000000\t0\t0\t0
                """;
        assertThat(DefaultGateway.parse(table)).hasValueSatisfying(
                g -> assertThat(g.getHostAddress()).isEqualTo("192.168.1.1"));
    }

    @Test
    void noDefaultRouteMeansNoGateway() {
        String table = """
                Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
                eth0\t0001A8C0\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0
                """;
        assertThat(DefaultGateway.parse(table)).isEmpty();
    }
}
