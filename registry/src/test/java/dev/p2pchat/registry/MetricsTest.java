package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real registry with {@code --metrics-port}: what an operator's Prometheus scrapes, and its health check. */
class MetricsTest {
    @TempDir
    Path dir;

    private RunningRegistry registry;

    @AfterEach
    void stop() {
        if (registry != null) {
            registry.close();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        try (HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + registry.server().metricsPort() + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
    }

    @Test
    void metricsCountSessionsAndTimeRequestsByType() throws Exception {
        registry = RunningRegistry.start(dir, b -> b.metricsPort(0));
        registry.client().registerAndLogin("alice");

        HttpResponse<String> metrics = get("/metrics");

        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("p2pchat_registry_sessions 1.0")
                .contains("p2pchat_registry_request_seconds_count{type=\"Login\"} 1")
                .contains("p2pchat_registry_argon2_queue ")
                .contains("p2pchat_registry_keepalives_total ")
                .contains("p2pchat_registry_cluster_peer_nodes 0.0")
                .doesNotContain("alice");
    }

    @Test
    void theHealthCheckAnswers() throws Exception {
        registry = RunningRegistry.start(dir, b -> b.metricsPort(0));

        assertThat(get("/-/healthy").statusCode()).isEqualTo(200);
    }
}
