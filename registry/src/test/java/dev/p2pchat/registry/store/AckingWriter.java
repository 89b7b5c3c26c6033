package dev.p2pchat.registry.store;

import java.nio.file.Path;
import java.time.Instant;

/**
 * Child process for {@link SigkillDurabilityTest}: creates accounts forever and prints
 * "ack N" only after createAccount(user-N) has returned, until it is killed.
 */
public final class AckingWriter {
    private AckingWriter() {
    }

    public static void main(String[] args) {
        SqliteRegistryStore store = SqliteRegistryStore.open(Path.of(args[0]));
        for (int i = 0; ; i++) {
            if (!store.createAccount(new Account("user-" + i, "h", Instant.EPOCH))) {
                throw new IllegalStateException("user-" + i + " already exists");
            }
            System.out.println("ack " + i);
            System.out.flush();
        }
    }
}
