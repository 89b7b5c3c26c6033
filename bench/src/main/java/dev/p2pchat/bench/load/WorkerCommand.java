package dev.p2pchat.bench.load;

import dev.p2pchat.bench.report.LoadResult;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The worker side of {@link WorkerSlice}: runs one slice, steered line by line through stdin. Not for people. */
@Command(name = "worker", hidden = true, description = "Internal: one load worker process, driven by `bench`.")
public final class WorkerCommand implements Callable<Integer> {
    @Option(names = "--spec", required = true)
    String specJson;

    @Override
    public Integer call() throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true,
                StandardCharsets.UTF_8);
        LocalSlice slice = new LocalSlice(LoadSpec.fromJson(specJson));
        Thread progress = Thread.ofPlatform().daemon().name("bench-worker-progress").start(() -> {
            while (true) {
                LoadSlice.Progress p = slice.progress();
                synchronized (out) {
                    out.println(progressLine(p));
                }
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split(" ");
            CompletableFuture<Void> step = switch (f[0]) {
                case "LOGIN" -> slice.login(Long.parseLong(f[1]));
                case "HOLD" -> slice.hold(Long.parseLong(f[1]));
                case "WATCH" -> slice.watchForRestart(Long.parseLong(f[1]), ports(f[2]));
                case "RESUMED" -> slice.awaitResumed(Long.parseLong(f[1]), Long.parseLong(f[2]));
                case "FINISH" -> null;
                default -> CompletableFuture.failedFuture(new IllegalArgumentException("unknown step " + f[0]));
            };
            if (step == null) {
                LoadResult result = slice.finish();
                progress.interrupt();
                synchronized (out) {
                    result.toLines().forEach(out::println);
                    out.println("END");
                }
                return 0;
            }
            String name = f[0];
            step.whenComplete((ok, failure) -> {
                synchronized (out) {
                    // The progress as the step ends, ahead of its answer: the driver reads counts such as the sessions
                    // logged in right after a step, and the periodic line may be up to half a second old.
                    out.println(progressLine(slice.progress()));
                    out.println(failure == null ? "DONE " + name : "FAIL " + name + " " + failure);
                }
            });
        }
        slice.close();
        return 0;
    }

    private static String progressLine(LoadSlice.Progress p) {
        return "P " + p.loggedIn() + " " + p.requests() + " " + p.errors() + " " + p.resumed();
    }

    /** Ports on one word of a step line: {@code 7001,7002}, or {@code -} for none. */
    static String ports(List<Integer> ports) {
        return ports.isEmpty() ? "-" : ports.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static List<Integer> ports(String word) {
        return word.equals("-") ? List.of() : Arrays.stream(word.split(",")).map(Integer::valueOf).toList();
    }
}
