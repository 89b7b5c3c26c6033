package dev.p2pchat.bench;

import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bench jfr-summary FILE}: what a registry recording ({@code --jfr}) spent its CPU samples on, by
 * component (a sample counts for a component when any frame of its stack is in it) and by top frame, optionally
 * only between two instants (the report's {@code hold_started_at}, say). Reads jdk.ExecutionSample events only.
 */
@Command(name = "jfr-summary", mixinStandardHelpOptions = true,
        description = "Summarise the CPU samples of a JFR recording made with --jfr, by component and top frame.")
public final class JfrSummary implements Callable<Integer> {
    /** Component label -> class-name prefix; a stack may count for several. */
    private static final Map<String, String> COMPONENTS = new LinkedHashMap<>();

    static {
        COMPONENTS.put("Argon2id (BouncyCastle)", "org.bouncycastle.crypto.generators.Argon2");
        COMPONENTS.put("TLS engine (sun.security.ssl)", "sun.security.ssl.");
        COMPONENTS.put("EC / X25519 key exchange and signatures", "sun.security.ec.");
        COMPONENTS.put("symmetric crypto (AES-GCM)", "com.sun.crypto.provider.");
        COMPONENTS.put("registry service (request handling)", "dev.p2pchat.registry.service.");
        COMPONENTS.put("registry sessions and rooms", "dev.p2pchat.registry.session.");
        COMPONENTS.put("registry connections (net)", "dev.p2pchat.registry.net.Connection");
        COMPONENTS.put("registry UDP keep-alive", "dev.p2pchat.registry.net.KeepAliveEndpoint");
        COMPONENTS.put("registry store", "dev.p2pchat.registry.store.");
        COMPONENTS.put("SQLite JDBC", "org.sqlite.");
        COMPONENTS.put("protocol FrameReader", "dev.p2pchat.protocol.FrameReader");
        COMPONENTS.put("protocol FrameWriter", "dev.p2pchat.protocol.FrameWriter");
        COMPONENTS.put("protocol module (codec, records, checks)", "dev.p2pchat.protocol.");
        COMPONENTS.put("logging (logback)", "ch.qos.logback.");
        COMPONENTS.put("socket I/O (NioSocketImpl)", "sun.nio.ch.");
        COMPONENTS.put("virtual-thread scheduling (ForkJoinPool)", "java.util.concurrent.ForkJoin");
        COMPONENTS.put("regular expressions", "java.util.regex.");
    }

    @Parameters(index = "0", paramLabel = "FILE")
    Path file;

    @Option(names = "--from", description = "Only samples at or after this instant (ISO-8601, UTC).")
    Instant from;

    @Option(names = "--to", description = "Only samples before this instant.")
    Instant to;

    @Option(names = "--top", defaultValue = "25", description = "Top frames to list (default: ${DEFAULT-VALUE}).")
    int top;

    @Override
    public Integer call() throws Exception {
        Map<String, Integer> byComponent = new LinkedHashMap<>();
        Map<String, Integer> byTopFrame = new LinkedHashMap<>();
        int samples = 0;
        try (RecordingFile recording = new RecordingFile(file)) {
            while (recording.hasMoreEvents()) {
                RecordedEvent e = recording.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                    continue;
                }
                if ((from != null && e.getStartTime().isBefore(from)) || (to != null && !e.getStartTime().isBefore(to))) {
                    continue;
                }
                List<RecordedFrame> frames = e.getStackTrace().getFrames();
                if (frames.isEmpty()) {
                    continue;
                }
                samples++;
                RecordedFrame first = frames.get(0);
                byTopFrame.merge(first.getMethod().getType().getName() + "." + first.getMethod().getName(), 1, Integer::sum);
                for (Map.Entry<String, String> c : COMPONENTS.entrySet()) {
                    for (RecordedFrame f : frames) {
                        if (f.getMethod().getType().getName().startsWith(c.getValue())) {
                            byComponent.merge(c.getKey(), 1, Integer::sum);
                            break;
                        }
                    }
                }
            }
        }
        System.out.printf("%d execution samples%s%n%n", samples,
                from != null || to != null ? " between " + from + " and " + to : "");
        System.out.println("share of samples with a frame in ...");
        print(byComponent, samples, byComponent.size());
        System.out.println();
        System.out.println("top frames (self)");
        print(byTopFrame, samples, top);
        return 0;
    }

    private static void print(Map<String, Integer> counts, int total, int limit) {
        counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(limit)
                .collect(Collectors.toList())
                .forEach(e -> System.out.printf("  %5.1f%%  %s%n", total == 0 ? 0.0 : 100.0 * e.getValue() / total, e.getKey()));
    }
}
