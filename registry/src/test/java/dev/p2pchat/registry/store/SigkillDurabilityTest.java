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
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                AckingWriter.class.getName(), dataDir.toString())
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

        try (SqliteRegistryStore store = SqliteRegistryStore.open(dataDir)) {
            for (int i = 0; i <= lastAck; i++) {
                assertThat(store.findAccount("user-" + i)).as("user-" + i).isPresent();
            }
            assertThat(store.accountCount()).isGreaterThanOrEqualTo(lastAck + 1L);
        }
    }
}
