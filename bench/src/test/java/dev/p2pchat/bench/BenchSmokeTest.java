package dev.p2pchat.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.bench.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * A tiny run of every scenario against a real registry process (port 0, temporary data directory, cheap Argon2):
 * it must finish without a single error and write every field of its JSON report. Correctness, not speed.
 */
class BenchSmokeTest {
    private static final String[] FAST_ARGON2 = {"--argon2-memory-kib", "1024", "--argon2-iterations", "1"};
    /** Every CPU for both sides: the taskset path runs, and the test JVM keeps both cores for the other tests. */
    private static final String ALL_CPUS = "0-" + (Runtime.getRuntime().availableProcessors() - 1);

    @TempDir
    Path dir;

    private Map<String, Object> run(String... args) throws Exception {
        Path json = dir.resolve("report.json");
        String[] all = concat(args, FAST_ARGON2, new String[] {"--work-dir", dir.resolve("work").toString(),
                "--json", json.toString(), "--registry-cpus", ALL_CPUS, "--client-cpus", ALL_CPUS});
        int exit = new CommandLine(new BenchCommand()).execute(all);
        assertThat(exit).as("exit code").isZero();
        return Json.parseObject(Files.readString(json));
    }

    private static String[] concat(String[]... parts) {
        return java.util.Arrays.stream(parts).flatMap(java.util.Arrays::stream).toArray(String[]::new);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Map<String, Object> m, String key) {
        assertThat(m).containsKey(key);
        return (Map<String, Object>) m.get(key);
    }

    @Test
    void registryScenarioHoldsEverySessionWithoutErrors() throws Exception {
        Map<String, Object> report = run("registry", "--sessions", "150", "--ramp-rate", "300", "--rate", "150",
                "--duration", "2s", "--warmup", "1s", "--room-size", "50");
        assertThat(report).containsKeys("scenario", "environment", "parameters", "argon2", "p2pchat");
        assertThat(map(report, "parameters").get("cpu_pinning"))
                .isEqualTo("registry on CPUs " + ALL_CPUS + ", clients on CPUs " + ALL_CPUS);
        Map<String, Object> ours = map(report, "p2pchat");
        assertThat(ours).containsKeys("sessions_held", "logins_per_second", "hold_requests_per_second",
                "hold_latency_all_types", "latency", "errors", "registry_before", "registry_after_ramp",
                "registry_after_hold", "rss_bytes_per_session", "heap_bytes_per_session_after_full_gc",
                "registry_cpu_ms_ramp", "registry_cpu_ms_hold", "argon2_share_of_setup_cpu");
        assertThat(((Number) ours.get("sessions_held")).intValue()).isEqualTo(150);
        assertThat(map(ours, "errors")).isEmpty();
        assertThat(map(ours, "latency")).containsKeys("login/REGISTER", "login/LOGIN", "login/JOIN_CHAT_ROOM",
                "hold/SEARCH_USER", "hold/DISCOVER_PEERS", "hold/SHOW_ROOMS_LIST");
        assertThat(map(ours, "counters")).containsKey("keepalive_sent");
        assertThat(((Number) map(ours, "registry_after_ramp").get("heap_used_after_full_gc_bytes")).longValue())
                .isPositive();
    }

    @Test
    void registryScenarioSpreadsSessionsOverWorkerProcesses() throws Exception {
        Map<String, Object> report = run("registry", "--sessions", "60", "--ramp-rate", "300", "--rate", "60",
                "--duration", "1s", "--warmup", "0s", "--workers", "2", "--worker-jvm-opt", "-Xmx256m",
                "--room-size", "1"); // 60 rooms from one account: above the per-account and per-address quotas
        Map<String, Object> ours = map(report, "p2pchat");
        assertThat(((Number) ours.get("client_processes")).intValue()).isEqualTo(2);
        assertThat(((Number) ours.get("sessions_held")).intValue()).isEqualTo(60);
        assertThat(map(ours, "errors")).isEmpty();
        assertThat(((Number) ours.get("hold_requests")).longValue()).isPositive();
    }

    /**
     * Issue 13: a cluster of two nodes on PostgreSQL, a client process each, every session held, events counted;
     * then one node is SIGKILLed and all of its sessions resume at the other.
     */
    @Test
    void registryScenarioOnTwoClusterNodesHoldsEverySessionAndSurvivesLosingOne() throws Exception {
        String base = System.getenv("P2PCHAT_TEST_POSTGRES_URL");
        if (base == null || base.isBlank()) {
            assertThat(System.getenv("P2PCHAT_POSTGRES_REQUIRED")).as("PostgreSQL is required here").isNull();
            org.junit.jupiter.api.Assumptions.assumeTrue(false, "P2PCHAT_TEST_POSTGRES_URL is not set");
        }
        String schema = "bench_" + java.util.UUID.randomUUID().toString().replace("-", "");
        sql(base, "CREATE SCHEMA " + schema);
        try {
            Map<String, Object> report = run("registry", "--nodes", "2", "--database",
                    base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema, "--sessions", "60",
                    "--ramp-rate", "300", "--rate", "60", "--duration", "2s", "--warmup", "1s",
                    "--worker-jvm-opt", "-Xmx256m", "--room-size", "10", "--kill-node");
            Map<String, Object> ours = map(report, "p2pchat");
            assertThat(((Number) ours.get("client_processes")).intValue()).isEqualTo(2);
            assertThat(((Number) ours.get("sessions_held")).intValue()).isEqualTo(60);
            assertThat(map(ours, "errors")).isEmpty();
            assertThat(map(ours, "latency")).containsKey("hold/SEARCH_USER@other-node");
            assertThat(((Number) map(ours, "cluster_events").get("received_per_second")).doubleValue()).isPositive();
            Map<String, Object> failover = map(ours, "failover");
            assertThat(((Number) failover.get("sessions_resumed_elsewhere")).longValue()).isEqualTo(30);
        } finally {
            sql(base, "DROP SCHEMA IF EXISTS " + schema + " CASCADE");
        }
    }

    private static void sql(String url, String statement) throws java.sql.SQLException {
        try (var c = java.sql.DriverManager.getConnection(url); var s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** Issue 12: each rung opens the kind of link it stands for, and the relay's cost is measured in its own process. */
    @Test
    void pathScenarioOpensADirectAReversedAndARelayedLink() throws Exception {
        Map<String, Object> report = run("path", "--tries", "1", "--messages", "10", "--relay-megabytes", "1");
        Map<String, Object> ours = map(report, "p2pchat");
        assertThat(map(ours, "errors")).isEmpty();
        Map<String, Object> setUp = map(ours, "link_setup");
        for (String rung : java.util.List.of("direct", "reversed", "relayed")) {
            assertThat(((Number) map(setUp, rung).get("opened_as_expected")).intValue()).as(rung).isEqualTo(1);
        }
        assertThat(((Number) map(ours, "relay").get("relay_cpu_ms")).longValue()).isPositive();
        assertThat(((Number) map(ours, "receipt_round_trip_relayed").get("count")).longValue()).isEqualTo(10);
    }

    @Test
    void reconnectScenarioResumesEverySessionWithoutFullLogin() throws Exception {
        Map<String, Object> report = run("reconnect", "--sessions", "100", "--ramp-rate", "300",
                "--resume-deadline", "60s");
        Map<String, Object> ours = map(report, "p2pchat");
        assertThat(ours).containsKeys("sessions_before_kill", "sessions_resumed", "kill_to_registry_ready_ms",
                "kill_to_all_resumed_ms", "restart_to_all_resumed_ms", "full_logins", "latency", "errors");
        assertThat(((Number) ours.get("sessions_resumed")).intValue()).isEqualTo(100);
        assertThat(((Number) ours.get("full_logins")).intValue()).isZero();
        assertThat(map(ours, "errors")).isEmpty();
    }

    @Test
    void p2pScenarioDeliversEveryMessageWithReceipts() throws Exception {
        Map<String, Object> report = run("p2p", "--messages", "50", "--warmup", "20", "--throughput-messages", "100",
                "--members", "4", "--room-messages", "10");
        Map<String, Object> ours = map(report, "p2pchat");
        assertThat(ours).containsKeys("direct_messages_per_second_with_receipts", "room_members", "latency", "errors");
        assertThat(map(ours, "errors")).isEmpty();
        assertThat(map(ours, "latency")).containsKeys("direct/ONE_WAY", "direct/RECEIPT_ROUND_TRIP",
                "room/MEMBER_RECEIVED", "room/ALL_MEMBERS_RECEIVED", "room/ALL_RECEIPTS");
    }
}
