package dev.p2pchat.registry.metrics;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.util.function.DoubleSupplier;

/**
 * The registry's Prometheus metrics, served with a health check on {@code --metrics-port} ({@code /metrics},
 * {@code /-/healthy}). Gauges and counters read the registry's own counters when scraped; only the request
 * histogram is written on the request path. Nothing here names a user, a room or an address: labels are request
 * types only, so the number of series is fixed.
 */
public final class RegistryMetrics implements AutoCloseable {
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram requests;
    private HTTPServer server;

    public RegistryMetrics() {
        requests = Histogram.builder().name("p2pchat_registry_request_seconds")
                .help("Time to answer one request, by request type").labelNames("type")
                .classicUpperBounds(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5)
                .register(registry);
    }

    /** A value read at each scrape. */
    public RegistryMetrics gauge(String name, String help, DoubleSupplier value) {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
        return this;
    }

    /** A count that only grows, read at each scrape. */
    public RegistryMetrics counter(String name, String help, DoubleSupplier value) {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble()))
                .register(registry);
        return this;
    }

    /** One answered request of {@code type} (its record's name) that took {@code nanos}. */
    public void request(String type, long nanos) {
        requests.labelValues(type).observe(nanos / 1e9);
    }

    /** Serves the metrics on {@code host:port} (0: a free port). */
    public RegistryMetrics serve(String host, int port) throws IOException {
        server = HTTPServer.builder().hostname(host).port(port).registry(registry).buildAndStart();
        return this;
    }

    /** The port serving the metrics. */
    public int port() {
        return server.getPort();
    }

    @Override
    public void close() {
        if (server != null) {
            server.close();
        }
    }
}
