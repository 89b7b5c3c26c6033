package dev.p2pchat.registry.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.registry.session.Endpoint;
import dev.p2pchat.registry.session.PresenceUpdate;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterEventTest {
    static final String FP = "ab".repeat(32);

    private static RemoteUser parsed(String tail) {
        return ((ClusterEvent.State) ClusterEvent.parse("S\t7\t" + tail)).user();
    }

    @Test
    void aStateCarriesTheCertificateOfTheSession() {
        Endpoint endpoint = new Endpoint("10.0.0.1", 7001, FP, List.of(), "Q0VSVA==");
        PresenceUpdate.Online online = new PresenceUpdate.Online("Bob", "token", endpoint, List.of("lobby"), true);

        RemoteUser user = parsed(ClusterEvent.stateTail("node-a", online));

        assertThat(user.certificate()).isEqualTo("Q0VSVA==");
        assertThat(user.username()).isEqualTo("Bob");
        assertThat(user.rooms()).containsExactly("lobby");
        assertThat(user.seq()).isEqualTo(7);
    }

    @Test
    void aStateWithoutACertificateSaysNone() {
        Endpoint endpoint = new Endpoint("10.0.0.1", 7001, FP);
        PresenceUpdate.Online online = new PresenceUpdate.Online("Bob", "token", endpoint, List.of(), false);

        assertThat(parsed(ClusterEvent.stateTail("node-a", online)).certificate()).isNull();
    }

    @Test
    void aCertificateThatWouldNotFitANotifyIsLeftOutOfTheState() {
        List<String> rooms = java.util.stream.IntStream.range(0, 200).mapToObj(i -> "room-with-a-long-name-" + i)
                .toList();
        String certificate = "A".repeat(4096);
        Endpoint endpoint = new Endpoint("10.0.0.1", 7001, FP, List.of(), certificate);
        PresenceUpdate.Online many = new PresenceUpdate.Online("Bob", "token", endpoint, rooms, true);
        PresenceUpdate.Online few = new PresenceUpdate.Online("Bob", "token", endpoint, List.of("lobby"), true);

        String tail = ClusterEvent.stateTail("node-a", many);

        assertThat(ClusterEvent.STATE_HEAD_BYTES + tail.length()).isLessThanOrEqualTo(ClusterEvent.MAX_PAYLOAD_BYTES);
        assertThat(parsed(tail).certificate()).isNull();
        assertThat(parsed(tail).rooms()).hasSize(200);
        assertThat(parsed(ClusterEvent.stateTail("node-a", few)).certificate()).isEqualTo(certificate);
    }

    @Test
    void aStateFromANodeOfTheVersionBeforeCertificatesStillParses() {
        RemoteUser user = parsed(String.join("\t", "node-a", "Bob", "1", "10.0.0.1", "7001", FP, "", "lobby"));

        assertThat(user.certificate()).isNull();
        assertThat(user.peer().port()).isEqualTo(7001);
    }
}
