package dev.p2pchat.peer.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The peers of a node that dies try that node first, then the others in a random order, and so spread over them. */
class NodeOrderTest {

    @Test
    void theNodeThatAnsweredLastComesFirstThenEveryOtherOnce() {
        List<Integer> order = RegistrySession.nodeOrder(2, 4);

        assertThat(order.getFirst()).isEqualTo(2);
        assertThat(order).containsExactlyInAnyOrder(0, 1, 2, 3);
    }

    @Test
    void everyOtherNodeIsSometimesTheFirstToFallBackTo() {
        Set<Integer> seconds = new HashSet<>();
        // 300 draws: each of the two others is never second with probability 2^-300
        for (int i = 0; i < 300; i++) {
            seconds.add(RegistrySession.nodeOrder(0, 3).get(1));
        }

        assertThat(seconds).containsExactlyInAnyOrder(1, 2);
    }

    @Test
    void oneNodeIsTheOnlyOne() {
        assertThat(RegistrySession.nodeOrder(0, 1)).containsExactly(0);
    }
}
