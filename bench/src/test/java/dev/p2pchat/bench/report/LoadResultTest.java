package dev.p2pchat.bench.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LoadResultTest {
    @Test
    void workerLinesMergeBackIntoTheSameFigures() {
        LoadResult worker = new LoadResult();
        for (int i = 1; i <= 1000; i++) {
            worker.recordLatency("hold/SEARCH_USER", i * 1_000_000L);
        }
        worker.add("keepalive_sent", 42);
        worker.error("hold/SEARCH_USER SEARCH_USER_RESPONSE NOT_FOUND 404");
        LoadResult merged = new LoadResult();
        List<String> lines = worker.toLines();
        lines.forEach(merged::mergeLine);
        lines.forEach(merged::mergeLine);
        assertThat(merged.histogram("hold/SEARCH_USER").getTotalCount()).isEqualTo(2000);
        assertThat(Latency.of(merged.histogram("hold/SEARCH_USER")).p50())
                .isCloseTo(500, org.assertj.core.data.Offset.offset(1.0));
        assertThat(merged.counter("keepalive_sent")).isEqualTo(84);
        assertThat(merged.errors()).containsEntry("hold/SEARCH_USER SEARCH_USER_RESPONSE NOT_FOUND 404", 2L);
    }

    @Test
    void jsonRoundTripsTheReportShapes() {
        Map<String, Object> m = Json.parseObject(Json.write(Map.of("a", List.of(1L, 2.5, "x\"y\n"),
                "b", Map.of("c", true))));
        assertThat(m.get("a")).isEqualTo(List.of(1L, 2.5, "x\"y\n"));
        assertThat(m.get("b")).isEqualTo(Map.of("c", true));
    }
}
