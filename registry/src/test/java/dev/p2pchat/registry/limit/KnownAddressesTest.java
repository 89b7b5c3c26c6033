package dev.p2pchat.registry.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KnownAddressesTest {
    @Test
    void rememberedPairsAreKnownAndOthersAreNot() {
        KnownAddresses known = new KnownAddresses(10);
        known.remember("alice", "10.0.0.1");

        assertThat(known.contains("alice", "10.0.0.1")).isTrue();
        assertThat(known.contains("alice", "10.0.0.2")).isFalse();
        assertThat(known.contains("bob", "10.0.0.1")).isFalse();
    }

    @Test
    void memoryIsBoundedByForgettingTheLeastRecentlyUsed() {
        KnownAddresses known = new KnownAddresses(2);
        known.remember("a", "ip");
        known.remember("b", "ip");
        known.contains("a", "ip");
        known.remember("c", "ip");

        assertThat(known.size()).isEqualTo(2);
        assertThat(known.contains("a", "ip")).isTrue();
        assertThat(known.contains("b", "ip")).isFalse();
    }
}
