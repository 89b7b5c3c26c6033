package dev.p2pchat.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(60)
class SqliteRegistryStoreConcurrencyTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_750_000_000_000L);

    @TempDir
    Path dataDir;

    private SqliteRegistryStore store;

    @BeforeEach
    void openStore() {
        store = SqliteRegistryStore.open(dataDir);
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void concurrentCreateAccountOfOneNameSucceedsExactlyOnce() throws Exception {
        String[] spellings = {"alice", "Alice", "ALICE", "aLiCe"};
        CountDownLatch start = new CountDownLatch(1);
        List<Future<Boolean>> results = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                Account account = new Account(spellings[i % spellings.length], "hash-" + i, T0);
                results.add(threads.submit(() -> {
                    start.await();
                    return store.createAccount(account);
                }));
            }
            start.countDown();
        }

        List<Boolean> created = new ArrayList<>();
        for (Future<Boolean> result : results) {
            created.add(result.get());
        }
        assertThat(created).containsOnlyOnce(true);
        assertThat(store.accountCount()).isEqualTo(1);
    }

    @Test
    void manyThreadsWritingAndReadingAtOnceSeeEveryCommittedRow() throws Exception {
        int users = 400;
        store.createAccount(new Account("founder", "h", T0));
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> tasks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < users; i++) {
                String name = "user-" + i;
                tasks.add(threads.submit(() -> {
                    start.await();
                    assertThat(store.createAccount(new Account(name, "h", T0))).isTrue();
                    assertThat(store.findAccount(name.toUpperCase())).map(Account::username).contains(name);
                    assertThat(store.findAccount("founder")).isPresent();
                    assertThat(store.createRoom(new Room("room-" + name, null, 5, "", name, T0))).isTrue();
                    assertThat(store.findRoom("ROOM-" + name)).map(Room::creator).contains(name);
                    assertThat(store.listRooms()).isNotEmpty();
                    return null;
                }));
            }
            start.countDown();
        }

        for (Future<?> task : tasks) {
            task.get(); // rethrows any assertion failure from the thread
        }
        assertThat(store.accountCount()).isEqualTo(users + 1);
        assertThat(store.listRooms()).hasSize(users);
    }
}
