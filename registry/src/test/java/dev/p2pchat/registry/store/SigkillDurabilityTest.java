package dev.p2pchat.registry.store;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

class SigkillDurabilityTest {
    private static final int ACKS_BEFORE_KILL = 300;

    @TempDir
    Path dataDir;

    @Test
    @Timeout(60)
    void nothingAcknowledgedIsLostWhenTheProcessIsKilled() throws Exception {
        int lastAck = killAfterAcks(AckingWriter.class);

        try (SqliteRegistryStore store = SqliteRegistryStore.open(dataDir)) {
            for (int i = 0; i <= lastAck; i++) {
                assertThat(store.findAccount("user-" + i)).as("user-" + i).isPresent();
            }
            assertThat(store.accountCount()).isGreaterThanOrEqualTo(lastAck + 1L);
        }
    }

    @Test
    @Timeout(60)
    void noMailboxItemAnsweredStoredIsLostWhenTheProcessIsKilled() throws Exception {
        int lastAck = killAfterAcks(MailboxAckingWriter.class);

        try (SqliteRegistryStore store = SqliteRegistryStore.open(dataDir)) {
            java.util.Set<String> ids = new java.util.HashSet<>();
            for (MailboxStore.StoredItem item : store.waitingItems("bob", 0, Integer.MAX_VALUE)) {
                ids.add(item.itemId());
            }
            for (int i = 0; i <= lastAck; i++) {
                assertThat(ids).as("item-" + i).contains("item-" + i);
            }
        }
    }

    /** Runs {@code child} on the data directory and SIGKILLs it after its 300th "ack"; the last ack seen. */
    private int killAfterAcks(Class<?> child) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                child.getName(), dataDir.toString())
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        int lastAck = -1;
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while (lastAck < ACKS_BEFORE_KILL && (line = out.readLine()) != null) {
                if (line.startsWith("ack ")) {
                    lastAck = Integer.parseInt(line.substring(4));
                }
            }
            writer.destroyForcibly(); // SIGKILL: no shutdown hooks, no close()
            assertThat(writer.waitFor(30, TimeUnit.SECONDS)).isTrue();
        } finally {
            writer.destroyForcibly();
        }
        assertThat(lastAck).as("acks seen before the kill").isEqualTo(ACKS_BEFORE_KILL);
        return lastAck;
    }
}
