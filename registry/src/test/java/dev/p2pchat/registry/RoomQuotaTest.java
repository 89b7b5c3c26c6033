package dev.p2pchat.registry;

import dev.p2pchat.transport.testing.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Defect 17: rooms are permanent, so how many one account and one address may create is bounded. */
class RoomQuotaTest {
    @TempDir
    Path dataDir;
    final MutableClock clock = new MutableClock();
    RunningRegistry registry;

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void anAccountCreatesNoMoreRoomsThanItsQuotaEvenAfterARestart() {
        registry = RunningRegistry.start(dataDir, clock, b -> b.maxRoomsPerUser(3));
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");
        for (int i = 0; i < 3; i++) {
            assertThat(alice.createRoom("room" + i, null, 5, "").status()).isEqualTo(Status.SUCCESS);
        }

        assertThat(alice.createRoom("room3", null, 5, "").status()).isEqualTo(Status.FAILURE);
        registry = registry.restart();
        RegistryTestClient again = registry.client();
        assertThat(again.login("alice", "pw-alice").status()).isEqualTo(Status.SUCCESS);
        assertThat(again.createRoom("room3", null, 5, "").status()).isEqualTo(Status.FAILURE);
        RegistryTestClient bob = registry.client();
        bob.registerAndLogin("bob");
        assertThat(bob.createRoom("room3", null, 5, "").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void oneAddressCreatesAtMostSoManyRoomsPerWindow() {
        registry = RunningRegistry.start(dataDir, clock, b -> b.maxRoomsPerUser(100).maxRoomCreationsPerIp(4));
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");
        for (int i = 0; i < 4; i++) {
            assertThat(alice.createRoom("room" + i, null, 5, "").status()).isEqualTo(Status.SUCCESS);
        }

        alice.callExpectingError(new RegistryRequest.CreateChatRoom("room4", null, 5, ""), Status.RATE_LIMITED);
        clock.advance(RegistryConfig.ROOM_CREATION_WINDOW.plus(Duration.ofSeconds(1)));
        assertThat(alice.createRoom("room4", null, 5, "").status()).isEqualTo(Status.SUCCESS);
    }

    @Test
    void roomsListStaysOrderedByNameAsRoomsAreCreated() {
        registry = RunningRegistry.start(dataDir, clock, b -> b);
        RegistryTestClient alice = registry.client();
        alice.registerAndLogin("alice");
        for (String name : new String[] {"mmm", "BBB", "zzz", "aaa"}) {
            alice.createRoom(name, null, 5, "");
        }

        assertThat(alice.rooms(RegistryRequest.ListType.PARTIAL).rooms())
                .extracting(dev.p2pchat.protocol.RoomSummary::name).containsExactly("aaa", "BBB", "mmm", "zzz");
    }
}
