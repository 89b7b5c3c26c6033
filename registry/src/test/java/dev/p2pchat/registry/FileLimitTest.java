package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.net.DescriptorBudget;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A registry holds no more connections than its file limit leaves room for: the next client is answered
 * {@code FULL 503} and every session it holds keeps being served (docs/BENCHMARKS.md run S: a node with 30,000
 * clients and {@code ulimit -n} 20,000 failed its accepts and its store instead).
 */
class FileLimitTest {
    /** A process this small holds {@code FILES - DescriptorBudget.RESERVED} connections. */
    private static final int FILES = DescriptorBudget.RESERVED + 60;

    @TempDir
    Path dir;

    private ClusterNodeProcess registry;
    private final List<RegistryTestClient> clients = new ArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        clients.forEach(RegistryTestClient::close);
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aRegistryAtItsFileLimitAnswersFullAndKeepsServingTheSessionsItHolds() throws Exception {
        // --max-connections far above what the limit allows: the file limit is what caps it
        registry = ClusterNodeProcess.startUnderFileLimit(dir.resolve("registry"), FILES, "--max-connections", "20000",
                "--max-registrations-per-ip", "1000", "--keepalive-timeout", "10m");
        int capacity = DescriptorBudget.connections(FILES);
        for (int i = 0; i < capacity; i++) {
            RegistryTestClient client = registry.client(registry.fingerprint());
            clients.add(client);
            assertThat(client.registerAndLogin("user" + i).status()).isEqualTo(Status.SUCCESS);
        }

        RegistryTestClient over = registry.client(registry.fingerprint());
        clients.add(over);

        ErrorReply refused = (ErrorReply) RegistryTestClient.decode(over.awaitUnmatched());
        assertThat(refused.status()).isEqualTo(Status.FULL);
        assertThat(refused.reason()).contains("full");
        assertThat(over.awaitClosed(RegistryTestClient.WAIT)).isTrue();
        assertThat(clients.getFirst().search("user" + (capacity - 1)).status()).isEqualTo(Status.SUCCESS);
        assertThat(clients.get(capacity - 1).search("user0").status()).isEqualTo(Status.SUCCESS);
        assertThat(registry.log()).contains("leaves room for " + capacity + " connections")
                .doesNotContain("Too many open files");
    }
}
