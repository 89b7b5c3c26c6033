package dev.p2pchat.bench.report;

import java.util.LinkedHashMap;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** A histogram of nanoseconds summarised in milliseconds, as the report prints it. */
public record Latency(long count, double p50, double p99, double p999, double max, double mean) {

    public static Latency of(Histogram h) {
        if (h.getTotalCount() == 0) {
            return new Latency(0, 0, 0, 0, 0, 0);
        }
        return new Latency(h.getTotalCount(), ms(h.getValueAtPercentile(50)), ms(h.getValueAtPercentile(99)),
                ms(h.getValueAtPercentile(99.9)), ms(h.getMaxValue()), h.getMean() / 1e6);
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("count", count);
        m.put("p50_ms", p50);
        m.put("p99_ms", p99);
        m.put("p999_ms", p999);
        m.put("max_ms", max);
        m.put("mean_ms", mean);
        return m;
    }

    public static Map<String, Object> all(Map<String, Histogram> histograms) {
        Map<String, Object> m = new LinkedHashMap<>();
        histograms.forEach((k, h) -> m.put(k, of(h).toMap()));
        return m;
    }
}
