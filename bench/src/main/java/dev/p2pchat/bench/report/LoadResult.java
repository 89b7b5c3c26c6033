package dev.p2pchat.bench.report;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.zip.DataFormatException;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What one load process measured: a latency histogram per message type (nanoseconds), counters, and errors
 * counted by kind. Safe to record into from many threads; merges with the results of worker processes,
 * which send theirs as text lines (histograms in HdrHistogram's compressed form, base64).
 */
public final class LoadResult {
    /** Longest latency a histogram tracks; anything slower is clamped to it (and is a failure anyway). */
    public static final long MAX_TRACKED_NANOS = TimeUnit.MINUTES.toNanos(10);

    private final Map<String, Histogram> latencies = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> counters = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();

    public void recordLatency(String type, long nanos) {
        histogram(type).recordValue(Math.max(0, Math.min(nanos, MAX_TRACKED_NANOS)));
    }

    public Histogram histogram(String type) {
        return latencies.computeIfAbsent(type, t -> new ConcurrentHistogram(MAX_TRACKED_NANOS, 3));
    }

    public void count(String counter) {
        add(counter, 1);
    }

    public void add(String counter, long delta) {
        counters.computeIfAbsent(counter, c -> new LongAdder()).add(delta);
    }

    /** {@code kind} is e.g. {@code "SEARCH_USER RATE_LIMITED 429"} or {@code "io SocketException"}. */
    public void error(String kind) {
        errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
    }

    public long counter(String name) {
        LongAdder a = counters.get(name);
        return a == null ? 0 : a.sum();
    }

    public long errorTotal() {
        return errors.values().stream().mapToLong(LongAdder::sum).sum();
    }

    public Map<String, Long> errors() {
        return snapshot(errors);
    }

    public Map<String, Long> counters() {
        return snapshot(counters);
    }

    /** Message types in name order, each with a copy of its histogram. */
    public Map<String, Histogram> latencies() {
        Map<String, Histogram> copy = new TreeMap<>();
        latencies.forEach((k, v) -> copy.put(k, v.copy()));
        return copy;
    }

    private static Map<String, Long> snapshot(Map<String, LongAdder> map) {
        Map<String, Long> copy = new TreeMap<>();
        map.forEach((k, v) -> copy.put(k, v.sum()));
        return copy;
    }

    public void merge(LoadResult other) {
        other.latencies.forEach((k, v) -> histogram(k).add(v));
        other.counters.forEach((k, v) -> add(k, v.sum()));
        other.errors.forEach((k, v) -> errors.computeIfAbsent(k, x -> new LongAdder()).add(v.sum()));
    }

    /** One line per entry: {@code H type base64}, {@code C name value}, {@code E value kind}. */
    public List<String> toLines() {
        List<String> lines = new ArrayList<>();
        latencies.forEach((type, h) -> {
            Histogram copy = h.copy();
            ByteBuffer buffer = ByteBuffer.allocate(copy.getNeededByteBufferCapacity());
            int length = copy.encodeIntoCompressedByteBuffer(buffer);
            lines.add("H " + type + " " + Base64.getEncoder().encodeToString(
                    java.util.Arrays.copyOf(buffer.array(), length)));
        });
        counters.forEach((name, v) -> lines.add("C " + name + " " + v.sum()));
        errors.forEach((kind, v) -> lines.add("E " + v.sum() + " " + kind));
        return lines;
    }

    /** Adds one line written by {@link #toLines()}; false if the line is not one of them. */
    public boolean mergeLine(String line) {
        try {
            if (line.startsWith("H ")) {
                String[] parts = line.split(" ", 3);
                byte[] bytes = Base64.getDecoder().decode(parts[2]);
                histogram(parts[1]).add(Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(bytes), 0));
                return true;
            }
            if (line.startsWith("C ")) {
                String[] parts = line.split(" ", 3);
                add(parts[1], Long.parseLong(parts[2]));
                return true;
            }
            if (line.startsWith("E ")) {
                String[] parts = line.split(" ", 3);
                errors.computeIfAbsent(parts[2], x -> new LongAdder()).add(Long.parseLong(parts[1]));
                return true;
            }
        } catch (DataFormatException | RuntimeException e) {
            throw new IllegalArgumentException("unreadable worker result line: " + line, e);
        }
        return false;
    }
}
