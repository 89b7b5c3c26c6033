package dev.p2pchat.bench;

import dev.p2pchat.bench.report.Json;
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
}
