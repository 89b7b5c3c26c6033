package dev.p2pchat.registry.store;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/**
 * Child process for {@link SigkillDurabilityTest}: leaves mailbox items for bob forever and prints "ack N" only
 * after putItem(item-N) has returned STORED (what a STORED answer waits for), until it is killed.
 */
public final class MailboxAckingWriter {
    private MailboxAckingWriter() {
    }

    public static void main(String[] args) {
        SqliteRegistryStore store = SqliteRegistryStore.open(Path.of(args[0]));
        store.createAccount(new Account("alice", "h", Instant.EPOCH));
        store.createAccount(new Account("bob", "h", Instant.EPOCH));
        for (int i = 0; ; i++) {
            Instant now = Instant.now();
            MailboxStore.Put put = store.putItem(new MailboxStore.NewItem("bob", "alice", "item-" + i,
                    new byte[] {1, 2, 3, (byte) i}, now, now.plus(Duration.ofDays(7))), Integer.MAX_VALUE,
                    Long.MAX_VALUE);
            if (put.outcome() != MailboxStore.PutOutcome.STORED) {
                throw new IllegalStateException("item-" + i + ": " + put.outcome());
            }
            System.out.println("ack " + i);
            System.out.flush();
        }
    }
}
