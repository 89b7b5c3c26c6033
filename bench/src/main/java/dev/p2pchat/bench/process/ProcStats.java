package dev.p2pchat.bench.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the kernel and the JVM say about another process: resident memory and CPU time from /proc, live heap
 * from {@code jcmd}. Linux only; a value that cannot be read is -1, never a guess.
 */
public final class ProcStats {
    private static final Pattern VM_RSS = Pattern.compile("^VmRSS:\\s+(\\d+) kB", Pattern.MULTILINE);
    private static final Pattern THREADS = Pattern.compile("^Threads:\\s+(\\d+)", Pattern.MULTILINE);
    /** G1: "garbage-first heap   total reserved 6291456K, committed 264192K, used 21456K" (JDK 21+ wording varies). */
    private static final Pattern HEAP_USED = Pattern.compile("heap\\s+total[^\\n]*?used\\s+(\\d+)K");
    private static final Pattern GENERATION_USED = Pattern.compile("^\\S+\\s+total \\d+K, used (\\d+)K",
            Pattern.MULTILINE);
    private static final Pattern ZGC_USED = Pattern.compile("^\\s*ZHeap\\s+used (\\d+)M", Pattern.MULTILINE);
    private static final long CLOCK_TICKS_PER_SECOND = clockTicks();

    private ProcStats() {
    }

    public static long rssBytes(long pid) {
        try {
            Matcher m = VM_RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static long threads(long pid) {
        try {
            Matcher m = THREADS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    public static long openFiles(long pid) {
        try (var files = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            return files.count();
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** User plus system CPU time consumed so far, in milliseconds (from /proc/PID/stat utime+stime). */
    public static long cpuMillis(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // The command name (field 2) may contain spaces; fields after the closing ')' are plain.
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
            return ticks * 1000 / CLOCK_TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /** Runs {@code jcmd PID GC.run} (a full collection) when asked, then reads the used heap from GC.heap_info. */
    public static long heapUsedBytes(Path jcmd, long pid, boolean fullGcFirst) {
        if (fullGcFirst) {
            run(List.of(jcmd.toString(), Long.toString(pid), "GC.run"));
        }
        return parseHeapUsed(run(List.of(jcmd.toString(), Long.toString(pid), "GC.heap_info")));
    }

    /**
     * The used heap in a {@code GC.heap_info}, whichever collector wrote it: G1's one heap line, the sum of the
     * generations of Serial and Parallel (a JVM that sees one CPU, pinned with taskset say, picks Serial by itself),
     * or ZGC's heap line; -1 when none is there.
     */
    static long parseHeapUsed(String info) {
        String text = info == null ? "" : info;
        Matcher g1 = HEAP_USED.matcher(text);
        if (g1.find()) {
            return Long.parseLong(g1.group(1)) * 1024;
        }
        Matcher generation = GENERATION_USED.matcher(text);
        long sum = 0;
        boolean any = false;
        while (generation.find()) {
            sum += Long.parseLong(generation.group(1)) * 1024;
            any = true;
        }
        if (any) {
            return sum;
        }
        Matcher z = ZGC_USED.matcher(text);
        return z.find() ? Long.parseLong(z.group(1)) * 1024 * 1024 : -1;
    }

    private static final Pattern HISTOGRAM_LINE = Pattern.compile("^\\s*\\d+:\\s+(\\d+)\\s+(\\d+)\\s+(\\S+)",
            Pattern.MULTILINE);

    /** Live objects per class ({@code jcmd PID GC.class_histogram}, which runs a full GC first): class -> {count, bytes}. */
    public static Map<String, long[]> classHistogram(Path jcmd, long pid) {
        String out = run(List.of(jcmd.toString(), Long.toString(pid), "GC.class_histogram"));
        Map<String, long[]> classes = new LinkedHashMap<>();
        if (out != null) {
            Matcher m = HISTOGRAM_LINE.matcher(out);
            while (m.find()) {
                classes.merge(m.group(3), new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))},
                        (a, b) -> new long[] {a[0] + b[0], a[1] + b[1]});
            }
        }
        return classes;
    }

    /** The {@code top} classes whose live bytes grew most from {@code before} to {@code after}, per session. */
    public static List<Map<String, Object>> histogramGrowth(Map<String, long[]> before, Map<String, long[]> after,
            long sessions, int top) {
        List<Map<String, Object>> rows = new ArrayList<>();
        after.forEach((name, a) -> {
            long[] b = before.getOrDefault(name, new long[2]);
            long bytes = a[1] - b[1];
            long count = a[0] - b[0];
            if (bytes > 0) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("class", name);
                row.put("instances_added", count);
                row.put("bytes_added", bytes);
                row.put("bytes_per_session", sessions == 0 ? 0.0 : bytes / (double) sessions);
                rows.add(row);
            }
        });
        rows.sort((x, y) -> Long.compare((Long) y.get("bytes_added"), (Long) x.get("bytes_added")));
        return rows.subList(0, Math.min(top, rows.size()));
    }

    /** Runs a jcmd (or other short) command, returning its output or null when it failed. */
    public static String run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return null;
            }
            return p.exitValue() == 0 ? out : null;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** A snapshot of the numbers above, for the report. */
    public static Map<String, Object> snapshot(long pid) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rss_bytes", rssBytes(pid));
        m.put("cpu_ms", cpuMillis(pid));
        m.put("threads", threads(pid));
        m.put("open_files", openFiles(pid));
        return m;
    }

    private static long clockTicks() {
        String out = run(new ArrayList<>(List.of("getconf", "CLK_TCK")));
        try {
            return out == null ? 100 : Long.parseLong(out.trim());
        } catch (NumberFormatException e) {
            return 100;
        }
    }
}
