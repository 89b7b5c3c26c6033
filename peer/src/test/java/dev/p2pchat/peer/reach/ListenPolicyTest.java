package dev.p2pchat.peer.reach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

class ListenPolicyTest {
    @Test
    void withARegistryOnLoopbackThePeerListensOnLoopbackOfTheSameFamily() throws Exception {
        ListenPolicy v4 = ListenPolicy.decide(null, "127.0.0.1");
        assertThat(v4.bind()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(v4.loopbackOnly()).isTrue();
        assertThat(v4.warning()).isEmpty();
        assertThat(ListenPolicy.decide(null, "::1").bind()).isEqualTo(InetAddress.getByName("::1"));
        assertThat(ListenPolicy.decide("", "localhost").loopbackOnly()).isTrue();
    }

    @Test
    void withARegistryElsewhereThePeerListensOnEveryInterface() throws Exception {
        ListenPolicy policy = ListenPolicy.decide(null, "192.0.2.10");
        assertThat(policy.wildcardBind()).isTrue();
        assertThat(policy.bind()).as("the IPv6 wildcard, which takes IPv4 too").isEqualTo(InetAddress.getByName("::"));
        assertThat(policy.loopbackOnly()).isFalse();
        assertThat(policy.warning()).isEmpty();
        assertThat(ListenPolicy.decide(null, "2001:db8::1").wildcardBind()).isTrue();
    }

    @Test
    void aGivenListenHostIsObeyedAndLoopbackWithARemoteRegistryIsWarnedAbout() throws Exception {
        ListenPolicy restricted = ListenPolicy.decide("127.0.0.1", "192.0.2.10");
        assertThat(restricted.bind()).isEqualTo(InetAddress.getByName("127.0.0.1"));
        assertThat(restricted.loopbackOnly()).isTrue();
        assertThat(restricted.warning()).hasValueSatisfying(w -> assertThat(w)
                .contains("127.0.0.1 only").contains("192.0.2.10").contains("cannot reach you"));

        assertThat(ListenPolicy.decide("0.0.0.0", "127.0.0.1").wildcardBind()).isTrue();
        assertThat(ListenPolicy.decide("127.0.0.1", "127.0.0.1").warning()).isEmpty();
    }

    @Test
    void aListenHostThatIsNoAddressFails() {
        assertThatThrownBy(() -> ListenPolicy.decide("no-such-host.invalid", "127.0.0.1"))
                .isInstanceOf(UnknownHostException.class);
    }
}
