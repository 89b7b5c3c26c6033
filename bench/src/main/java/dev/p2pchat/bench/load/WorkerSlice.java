package dev.p2pchat.bench.load;

import dev.p2pchat.bench.process.JavaCommand;
import dev.p2pchat.bench.report.LoadResult;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * A slice run by a worker process ({@code BenchMain worker --spec JSON}), for populations larger than one process
 * may hold file descriptors for. Steps go to the worker's stdin as lines; it answers {@code DONE step}, reports
 * progress as {@code P ...} lines, and at the end prints its {@link LoadResult} lines and {@code END}.
 */
public final class WorkerSlice implements LoadSlice {
    private final Process process;
    private final PrintWriter commands;
    private final Map<String, CompletableFuture<Void>> steps = new ConcurrentHashMap<>();
    private final LoadResult result = new LoadResult();
    private final CompletableFuture<LoadResult> finished = new CompletableFuture<>();
    private volatile Progress progress = new Progress(0, 0, 0, 0);

    public WorkerSlice(LoadSpec spec, List<String> jvmOptions, Path log) throws IOException {
        List<String> args = new ArrayList<>(List.of("worker", "--spec", spec.toJson()));
        process = new ProcessBuilder(JavaCommand.of(jvmOptions, "dev.p2pchat.bench.BenchMain", args))
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (process.isAlive()) {
                process.destroyForcibly();
            }
        }, "bench-worker-reaper"));
        commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("bench-worker-out").start(this::readAnswers);
    }

    private void readAnswers() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("P ")) {
                    String[] f = line.split(" ");
                    progress = new Progress(Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                            Long.parseLong(f[4]));
                } else if (line.startsWith("DONE ")) {
                    step(line.substring(5)).complete(null);
                } else if (line.startsWith("FAIL ")) {
                    String[] f = line.split(" ", 3);
                    step(f[1]).completeExceptionally(new IOException("worker: " + (f.length > 2 ? f[2] : "")));
                } else if (line.equals("END")) {
                    finished.complete(result);
                } else {
                    result.mergeLine(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            finished.completeExceptionally(e);
        } finally {
            IOException gone = new IOException("worker process ended");
            steps.values().forEach(f -> f.completeExceptionally(gone));
            finished.completeExceptionally(gone);
        }
    }

    private CompletableFuture<Void> step(String name) {
        return steps.computeIfAbsent(name, n -> new CompletableFuture<>());
    }

    private CompletableFuture<Void> send(String name, String line) {
        CompletableFuture<Void> done = step(name);
        commands.println(line);
        return done;
    }

    @Override
    public CompletableFuture<Void> login(long rampStartNanos) {
        return send("LOGIN", "LOGIN " + rampStartNanos);
    }

    @Override
    public CompletableFuture<Void> hold(long startNanos) {
        return send("HOLD", "HOLD " + startNanos);
    }

    @Override
    public CompletableFuture<Void> watchForRestart(long deadlineNanos, List<Integer> resumeAtPorts) {
        return send("WATCH", "WATCH " + deadlineNanos + " " + WorkerCommand.ports(resumeAtPorts));
    }

    @Override
    public CompletableFuture<Void> awaitResumed(long killNanos, long restartedNanos) {
        return send("RESUMED", "RESUMED " + killNanos + " " + restartedNanos);
    }

    @Override
    public Progress progress() {
        return progress;
    }

    @Override
    public LoadResult finish() {
        commands.println("FINISH");
        try {
            return finished.get(120, TimeUnit.SECONDS);
        } catch (Exception e) {
            result.error("worker result lost: " + e.getMessage());
            return result;
        } finally {
            close();
        }
    }

    @Override
    public void close() {
        commands.close();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
