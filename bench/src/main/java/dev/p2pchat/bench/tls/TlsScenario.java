package dev.p2pchat.bench.tls;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.Supplier;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;

import org.HdrHistogram.Histogram;

import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.util.ReferenceCountUtil;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code bench tls}: the registry's TLS cost with the JDK's engine (JSSE, what it runs) against BoringSSL
 * (netty-tcnative) behind the same {@link SSLEngine} interface, for the decision issue 13 asks for: adopt BoringSSL
 * if it wins by 1.5x or more on handshake CPU or on memory. Both serve the registry's own kind of certificate
 * (ECDSA P-256) over TLS 1.3 to a JSSE client, as peers are; everything runs in memory on one thread, so the
 * figures are the server side's CPU time alone (thread CPU time around its engine calls) and the heap and RSS that
 * idle established server engines hold.
 */
@Command(name = "tls", mixinStandardHelpOptions = true,
        description = {"Server-side TLS cost, JSSE against BoringSSL (netty-tcnative): CPU per full handshake,",
                "CPU per request, heap and RSS per idle established session; in memory, one thread."})
public final class TlsScenario implements Callable<Integer> {

    @Option(names = "--handshakes", defaultValue = "3000", description = "Measured full handshakes per engine (default: ${DEFAULT-VALUE}).")
    int handshakes;

    @Option(names = "--warmup", defaultValue = "1500", description = "Handshakes before measuring, for the JIT (default: ${DEFAULT-VALUE}).")
    int warmup;

    @Option(names = "--requests", defaultValue = "50000", description = "Measured request/reply exchanges (default: ${DEFAULT-VALUE}).")
    int requests;

    @Option(names = "--sessions", defaultValue = "5000", description = "Idle established sessions held for the memory figure (default: ${DEFAULT-VALUE}).")
    int sessions;

    @Option(names = "--provider", split = ",", defaultValue = "jdk,boringssl",
            description = "Engines to measure: jdk, boringssl (default: ${DEFAULT-VALUE}).")
    List<String> providers;

    /** A REGISTER-sized request and its reply, as the registry sees them. */
    private static final ByteBuffer REQUEST = ByteBuffer.wrap(("SEARCH_USER\nid: 1234\nusername: someone\n\n")
            .getBytes(StandardCharsets.US_ASCII));
    private static final ByteBuffer REPLY = ByteBuffer.wrap(("SEARCH_USER_RESPONSE\nid: 1234\nstatus: online\naddress: "
            + "198.51.100.7\nport: 40123\ncertificate: " + "A".repeat(600) + "\n\n").getBytes(StandardCharsets.US_ASCII));

    @Override
    public Integer call() throws Exception {
        if (handshakes < 1 || requests < 1 || sessions < 1 || handshakes > 1_000_000 || sessions > 200_000) {
            System.err.println("bench tls: --handshakes 1..1000000, --requests >= 1, --sessions 1..200000");
            return 2;
        }
        Identity identity = Identity.generate("bench-registry");
        SSLContext clients = Tls.client(PinnedCertificateTrust.expecting(identity.fingerprint()));
        System.out.printf(Locale.ROOT, "bench tls: %s, %d handshakes after %d warm-up, %d requests, %d idle sessions%n",
                Runtime.version(), handshakes, warmup, requests, sessions);
        List<Result> results = new ArrayList<>();
        for (String provider : providers) {
            if (provider.equals("boringssl") && !OpenSsl.isAvailable()) {
                System.out.println("boringssl: not available here: " + OpenSsl.unavailabilityCause());
                continue;
            }
            Supplier<SSLEngine> servers = switch (provider) {
                case "jdk" -> {
                    SSLContext context = Tls.server(identity);
                    yield () -> {
                        SSLEngine engine = context.createSSLEngine();
                        engine.setUseClientMode(false);
                        Tls.restrict(engine);
                        return engine;
                    };
                }
                case "boringssl" -> {
                    SslContext context = SslContextBuilder.forServer(identity.privateKey(), identity.certificate())
                            .sslProvider(SslProvider.OPENSSL_REFCNT).protocols(Tls.PROTOCOL).build();
                    System.out.println("boringssl: " + OpenSsl.versionString());
                    yield () -> context.newEngine(ByteBufAllocator.DEFAULT);
                }
                default -> {
                    System.err.println("bench tls: unknown provider " + provider + " (jdk, boringssl)");
                    yield null;
                }
            };
            if (servers == null) {
                return 2;
            }
            results.add(measure(provider, clients, servers));
        }
        System.out.println();
        System.out.printf(Locale.ROOT, "%-10s %14s %12s %12s %14s %16s %16s%n", "engine", "handshake_mean", "handshake_p50",
                "handshake_p99", "request_mean", "heap_per_session", "rss_per_session");
        for (Result r : results) {
            System.out.printf(Locale.ROOT, "%-10s %11.3f ms %9.3f ms %9.3f ms %11.2f µs %14d B %14d B%n", r.provider,
                    r.handshakes.getMean() / 1e6, r.handshakes.getValueAtPercentile(50) / 1e6,
                    r.handshakes.getValueAtPercentile(99) / 1e6, r.requestNanos / 1e3, r.heapPerSession, r.rssPerSession);
        }
        if (results.size() == 2) {
            Result a = results.get(0);
            Result b = results.get(1);
            System.out.printf(Locale.ROOT, "%s/%s: handshake CPU %.2fx, request CPU %.2fx, heap %.2fx, RSS %.2fx%n",
                    a.provider, b.provider, a.handshakes.getMean() / b.handshakes.getMean(), a.requestNanos / b.requestNanos,
                    (double) a.heapPerSession / Math.max(1, b.heapPerSession),
                    (double) a.rssPerSession / Math.max(1, b.rssPerSession));
        }
        return 0;
    }

    private record Result(String provider, Histogram handshakes, double requestNanos, long heapPerSession, long rssPerSession) {}

    private Result measure(String provider, SSLContext clients, Supplier<SSLEngine> servers) throws Exception {
        Histogram histogram = new Histogram(3_600_000_000L, 3);
        for (int i = 0; i < warmup + handshakes; i++) {
            InMemoryTls pair = pair(clients, servers);
            pair.handshake();
            if (i >= warmup) {
                histogram.recordValue(Math.max(1, pair.serverNanos));
            }
            release(pair);
        }
        InMemoryTls pair = pair(clients, servers);
        pair.handshake();
        for (int i = 0; i < requests / 10; i++) {
            pair.exchange(REQUEST, REPLY);
        }
        pair.serverNanos = 0;
        for (int i = 0; i < requests; i++) {
            pair.exchange(REQUEST, REPLY);
        }
        double requestNanos = (double) pair.serverNanos / requests;
        release(pair);

        // Memory: established server engines kept, their clients let go (the client is another machine).
        List<SSLEngine> held = new ArrayList<>(sessions);
        long heapBefore = usedHeapAfterGc();
        long rssBefore = rss();
        for (int i = 0; i < sessions; i++) {
            InMemoryTls p = pair(clients, servers);
            p.handshake();
            held.add(p.server);
            p.client.closeOutbound();
        }
        long heapAfter = usedHeapAfterGc();
        long rssAfter = rss();
        System.out.printf(Locale.ROOT, "%s: %d handshakes measured, %d sessions held (heap %d -> %d B, RSS %d -> %d B)%n",
                provider, histogram.getTotalCount(), held.size(), heapBefore, heapAfter, rssBefore, rssAfter);
        held.forEach(ReferenceCountUtil::release);
        held.clear();
        usedHeapAfterGc();
        return new Result(provider, histogram, requestNanos, (heapAfter - heapBefore) / sessions, (rssAfter - rssBefore) / sessions);
    }

    private static InMemoryTls pair(SSLContext clients, Supplier<SSLEngine> servers) {
        SSLEngine client = clients.createSSLEngine();
        client.setUseClientMode(true);
        Tls.restrict(client);
        return new InMemoryTls(client, servers.get());
    }

    private static void release(InMemoryTls pair) {
        ReferenceCountUtil.release(pair.server);
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return heap.getUsed();
    }

    /** Resident set size of this process, from /proc (0 where there is none). */
    private static long rss() throws IOException {
        Path status = Path.of("/proc/self/status");
        if (!Files.exists(status)) {
            return 0;
        }
        for (String line : Files.readAllLines(status)) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", "")) * 1024;
            }
        }
        return 0;
    }
}
