package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.Status;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in measurement, not part of the normal build: many logged-in TLS sessions in one registry, and the heap each
 * costs (client and server share the JVM, so the figure is an upper bound for the server).
 * Run: {@code ./mvnw -B -q -pl registry -am verify -Dtest=ManySessionsScaleTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dregistry.scale=true -Dregistry.scale.sessions=2000}
 */
@EnabledIfSystemProperty(named = "registry.scale", matches = "true")
class ManySessionsScaleTest {
    @TempDir
    Path dataDir;

    @Test
    void holdsManyLoggedInSessions() {
        int sessions = Integer.getInteger("registry.scale.sessions", 2000);
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        try (RunningRegistry registry = RunningRegistry.start(dataDir,
                b -> b.maxConnections(sessions + 10).keepAliveTimeout(Duration.ofHours(1)))) {
            RegistryTestClient admin = registry.client();
            admin.registerAndLogin("admin");
            admin.createRoom("lobby", null, 1000, "");
            System.gc();
            long before = memory.getHeapMemoryUsage().getUsed();
            long started = System.nanoTime();
            List<RegistryTestClient> clients = new ArrayList<>();
            for (int i = 0; i < sessions; i++) {
                RegistryTestClient client = registry.client();
                client.registerAndLogin("user" + i);
                if (i < 50) { // a few room members only: every join pushes to all of them
                    assertThat(client.join("lobby", null).status()).isEqualTo(Status.SUCCESS);
                }
                clients.add(client);
            }
            long elapsedMs = (System.nanoTime() - started) / 1_000_000;
            System.gc();
            long after = memory.getHeapMemoryUsage().getUsed();
            System.out.printf("%d sessions in %d ms; heap +%d KiB, %d bytes per session (client side included)%n",
                    sessions, elapsedMs, (after - before) / 1024, (after - before) / sessions);
            assertThat(registry.server().onlineCount()).isEqualTo(sessions + 1);
            assertThat(admin.discover(null).status()).isEqualTo(Status.SUCCESS);
            await().atMost(Duration.ofSeconds(10)).until(() -> admin.search("user0").status().equals(Status.SUCCESS));
        }
    }
}
