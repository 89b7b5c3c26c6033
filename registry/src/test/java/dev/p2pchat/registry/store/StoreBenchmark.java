package dev.p2pchat.registry.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.sqlite.SQLiteConfig.SynchronousMode;

/**
 * Figures behind the store's settings; prints them and asserts nothing about time. Run with
 * {@code ./mvnw -B -q -pl registry -am verify -Dp2pchat.bench=true -Dtest=StoreBenchmark
 * -Dsurefire.failIfNoSpecifiedTests=false}; output lands in
 * {@code registry/target/surefire-reports/dev.p2pchat.registry.store.StoreBenchmark-output.txt}.
 * Data goes under {@code target/} (a real disk), not a tmpfs, so fsync costs what it costs.
 *
 * <p>Last run (2 cores, virtio disk, JDK 25): 10,000 sequential createAccount took ~1.8 s with
 * synchronous=FULL and ~0.4-0.55 s with NORMAL. 1,000 virtual threads doing 100,000 lookups:
 * ~1.0-1.7 s reading through the writer, ~0.5-0.6 s with 2-8 read connections; with one write per
 * 20 ops, 2.0-2.9 s through the writer and 1.1-1.6 s with read connections.
 */
@EnabledIfSystemProperty(named = "p2pchat.bench", matches = "true")
class StoreBenchmark {
    private static final Instant T0 = Instant.ofEpochMilli(1_750_000_000_000L);
    private static final int ACCOUNTS = 10_000;
    private static final String HASH = "$argon2id$v=19$m=65536,t=3,p=1$c29tZXNhbHQ$RdescudvJCsgt3ub+b+dWRWJTmaaJObG";

    @Test
    void sequentialCreateAccountByDurability() throws Exception {
        for (SynchronousMode mode : List.of(SynchronousMode.NORMAL, SynchronousMode.FULL,
                SynchronousMode.NORMAL, SynchronousMode.FULL)) {
            Path dir = freshDir("seq-" + mode);
            try (SqliteRegistryStore store = SqliteRegistryStore.open(dir, mode, 2)) {
                long start = System.nanoTime();
                for (int i = 0; i < ACCOUNTS; i++) {
                    store.createAccount(new Account("user-" + i, HASH, T0));
                }
                long nanos = System.nanoTime() - start;
                System.out.printf("sequential createAccount x%d synchronous=%s: %d ms (%.1f us/op)%n",
                        ACCOUNTS, mode, nanos / 1_000_000, nanos / 1_000.0 / ACCOUNTS);
            }
        }
    }

    @Test
    void concurrentReadsByReadConnectionCount() throws Exception {
        Path dir = freshDir("reads");
        try (SqliteRegistryStore seed = SqliteRegistryStore.open(dir, SynchronousMode.NORMAL, 1)) {
            for (int i = 0; i < ACCOUNTS; i++) {
                seed.createAccount(new Account("user-" + i, HASH, T0));
            }
        }
        for (int round = 0; round < 2; round++) {
            for (int readers : new int[] {0, 1, 2, 4, 8}) {
                try (SqliteRegistryStore store = SqliteRegistryStore.open(dir, SynchronousMode.FULL, readers)) {
                    report("readers=" + readers + " reads only", mixed(store, 0));
                    report("readers=" + readers + " 1 write per 20 ops", mixed(store, 20));
                }
            }
        }
    }

    /** 1,000 virtual threads, 100 lookups each; every {@code writeEvery}-th op is a createAccount. */
    private static long mixed(SqliteRegistryStore store, int writeEvery) throws Exception {
        String tag = Long.toString(System.nanoTime());
        long start = System.nanoTime();
        List<Future<?>> tasks = new ArrayList<>();
        try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int t = 0; t < 1_000; t++) {
                int thread = t;
                tasks.add(threads.submit(() -> {
                    for (int i = 0; i < 100; i++) {
                        if (writeEvery > 0 && i % writeEvery == 0) {
                            store.createAccount(new Account("w-" + tag + "-" + thread + "-" + i, HASH, T0));
                        } else {
                            store.findAccount("USER-" + ((thread * 100 + i) % ACCOUNTS)).orElseThrow();
                        }
                    }
                    return null;
                }));
            }
        }
        for (Future<?> task : tasks) {
            task.get();
        }
        return System.nanoTime() - start;
    }

    private static void report(String what, long nanos) {
        System.out.printf("100,000 ops from 1,000 virtual threads, %s: %d ms (%.0f ops/s)%n",
                what, nanos / 1_000_000, 100_000 / (nanos / 1e9));
    }

    private static Path freshDir(String name) throws Exception {
        Path dir = Path.of("target", "bench", name + "-" + System.nanoTime());
        Files.createDirectories(dir);
        return dir;
    }
}
