package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DuplicateFilterTest {
    @Test
    void anIdIsNewOnlyOncePerSender() {
        DuplicateFilter filter = new DuplicateFilter(10);
        assertThat(filter.firstTime("alice", "m1")).isTrue();
        assertThat(filter.firstTime("alice", "m1")).isFalse();
        assertThat(filter.firstTime("bob", "m1")).as("another sender's id is another message").isTrue();
    }

    @Test
    void oldestIdsAreForgottenBeyondTheCapacity() {
        DuplicateFilter filter = new DuplicateFilter(3);
        for (String id : new String[] {"a", "b", "c", "d"}) {
            assertThat(filter.firstTime("alice", id)).isTrue();
        }
        assertThat(filter.firstTime("alice", "d")).isFalse();
        assertThat(filter.firstTime("alice", "a")).as("evicted").isTrue();
    }

    @Test
    void senderAndIdCannotBeConfusedByConcatenation() {
        DuplicateFilter filter = new DuplicateFilter(10);
        assertThat(filter.firstTime("ab", "c")).isTrue();
        assertThat(filter.firstTime("a", "bc")).isTrue();
    }
}
