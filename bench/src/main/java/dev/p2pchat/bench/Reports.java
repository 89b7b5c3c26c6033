package dev.p2pchat.bench;

import dev.p2pchat.bench.report.Json;
import dev.p2pchat.bench.report.TextTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where a finished report goes: the table to stdout, the JSON to a file when asked. */
final class Reports {
    private Reports() {
    }

    static void finish(Map<String, Object> report, Path json, String table) throws IOException {
        if (json != null) {
            Path parent = json.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(json, Json.write(report));
        }
        System.out.println(table);
        if (json != null) {
            System.out.println("JSON report: " + json);
        }
    }

    /** The end-of-run table: the named figures, then latency per type, then errors by kind if any. */
    @SuppressWarnings("unchecked")
    static String summaryTable(String title, Map<String, Object> ours, String... keys) {
        TextTable figures = new TextTable(title, "", "value");
        for (String key : keys) {
            figures.row(key, ours.get(key));
        }
        StringBuilder out = new StringBuilder(figures.render()).append('\n');
        TextTable latency = new TextTable("latency (ms)", "type", "count", "p50", "p99", "p99.9", "max");
        ((Map<String, Object>) ours.get("latency")).forEach((type, value) -> {
            Map<String, Object> l = (Map<String, Object>) value;
            latency.row(type, l.get("count"), l.get("p50_ms"), l.get("p99_ms"), l.get("p999_ms"), l.get("max_ms"));
        });
        out.append(latency.render());
        Map<String, Object> errors = (Map<String, Object>) ours.get("errors");
        if (!errors.isEmpty()) {
            TextTable byKind = new TextTable("errors", "kind", "count");
            errors.forEach(byKind::row);
            out.append('\n').append(byKind.render());
        }
        return out.toString();
    }
}
