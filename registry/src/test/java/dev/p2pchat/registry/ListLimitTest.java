package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.HeaderNames;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.RegistryRequest.ListType;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.store.Account;
import dev.p2pchat.registry.store.Room;
import dev.p2pchat.registry.store.SqliteRegistryStore;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Lists that outgrow one frame's 64 KiB payload are cut, never refused. */
class ListLimitTest {
    @TempDir
    Path dataDir;
    RunningRegistry registry;

    @AfterEach
    void stop() {
        registry.close();
    }

    @Test
    void aListTooLongForOneFrameIsCutAndSaysHowLongItWas() {
        try (SqliteRegistryStore store = SqliteRegistryStore.open(dataDir)) {
            store.createAccount(new Account("owner", "x", Instant.now()));
            for (int i = 0; i < 120; i++) {
                store.createRoom(new Room(String.format("room%03d", i), null, 10, "€".repeat(200), "owner",
                        Instant.now()));
            }
        }
        registry = RunningRegistry.start(dataDir);
        RegistryTestClient client = registry.client();
        client.registerAndLogin("alice");

        Frame answer = client.exchange(new RegistryRequest.ShowRoomsList(ListType.DETAILED));

        assertThat(answer.status()).isEqualTo(Status.FOUND);
        assertThat(answer.header(HeaderNames.TOTAL)).isEqualTo("120");
        RegistryReply.RoomsList list = (RegistryReply.RoomsList) RegistryTestClient.decode(answer);
        assertThat(list.rooms()).hasSizeBetween(90, 119);
        assertThat(list.total()).isEqualTo(120);
        assertThat(list.rooms().getFirst().name()).isEqualTo("room000");
    }
}
