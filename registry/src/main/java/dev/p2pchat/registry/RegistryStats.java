package dev.p2pchat.registry;

import dev.p2pchat.registry.net.ConnectionStats;
import dev.p2pchat.registry.net.KeepAliveEndpoint;
import dev.p2pchat.registry.service.RegistryService;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One reading of the registry's counters (all since start), for the periodic log line and {@code stats.json}:
 * what a load test cannot see from outside the process.
 */
public record RegistryStats(Instant at, int online, int connections, ConnectionSnapshot tcp,
                            KeepAliveEndpoint.Stats udp, RegistryService.Stats service) {

    /** The counters of {@link ConnectionStats}, read once. */
    public record ConnectionSnapshot(long accepted, long handshakeTimeouts, long unauthenticatedReadTimeouts,
                                     long unauthenticatedLifetimeEnds, long kickedSlow) {
        static ConnectionSnapshot of(ConnectionStats s) {
            return new ConnectionSnapshot(s.accepted(), s.handshakeTimeouts(), s.unauthenticatedReadTimeouts(),
                    s.unauthenticatedLifetimeEnds(), s.kickedSlow());
        }
    }

    /** Flat, ordered name → value. */
    public Map<String, Object> fields() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("at", at.toString());
        m.put("sessions_online", online);
        m.put("connections_open", connections);
        m.put("connections_accepted", tcp.accepted());
        m.put("closed_handshake_timeout", tcp.handshakeTimeouts());
        m.put("closed_unauthenticated_read_timeout", tcp.unauthenticatedReadTimeouts());
        m.put("closed_unauthenticated_lifetime", tcp.unauthenticatedLifetimeEnds());
        m.put("closed_not_reading", tcp.kickedSlow());
        m.put("keepalive_datagrams_received", udp.received());
        m.put("keepalive_answered", udp.answered());
        m.put("keepalive_refused", udp.refused());
        m.put("keepalive_dropped_malformed", udp.droppedMalformed());
        m.put("udp_receive_errors", udp.receiveErrors());
        m.put("udp_receive_buffer_bytes", udp.receiveBufferBytes());
        m.put("argon2_computed", service.argon2Computed());
        m.put("argon2_wait_ms_total", service.argon2WaitNanos() / 1_000_000);
        m.put("argon2_compute_ms_total", service.argon2ComputeNanos() / 1_000_000);
        m.put("argon2_refused_busy", service.argon2RefusedBusy());
        m.put("argon2_skipped_caller_gone", service.argon2SkippedGone());
        m.put("argon2_queued_now", service.argon2QueuedNow());
        return m;
    }

    String logLine() {
        return fields().entrySet().stream().filter(e -> !e.getKey().equals("at"))
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    String json() {
        return fields().entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\":" + (e.getValue() instanceof String v ? "\"" + v + "\"" : e.getValue()))
                .collect(Collectors.joining(",", "{", "}\n"));
    }
}
