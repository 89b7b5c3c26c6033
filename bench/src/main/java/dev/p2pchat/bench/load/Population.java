package dev.p2pchat.bench.load;

import dev.p2pchat.bench.report.LoadResult;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Every client session of a run, split into slices: this process alone when one process can hold them all,
 * otherwise worker processes (a process may have about 20,000 open files here, and each session is a socket).
 * Steps run on every slice at once; while they run a progress line goes to stderr every two seconds.
 */
public final class Population implements AutoCloseable {
    private final List<LoadSlice> slices = new ArrayList<>();
    private final int total;
    private final PrintStream progressOut;

    public Population(LoadSpec spec, int workers, List<String> workerJvmOptions, Path workDir, PrintStream progressOut)
            throws IOException {
        this(List.of(spec), workers, workerJvmOptions, workDir, progressOut);
    }

    /**
     * Spread over the nodes of a cluster: worker {@code w} holds its slice at node {@code w % nodes}, so with one
     * worker per node each node serves one contiguous slice, and every room has members on every node.
     */
    public Population(List<LoadSpec> nodes, int workers, List<String> workerJvmOptions, Path workDir,
                      PrintStream progressOut) throws IOException {
        LoadSpec spec = nodes.getFirst();
        this.total = spec.total();
        this.progressOut = progressOut;
        if (workers <= 1) {
            slices.add(new LocalSlice(spec));
            return;
        }
        for (int w = 0; w < workers; w++) {
            int from = (int) ((long) spec.total() * w / workers);
            int to = (int) ((long) spec.total() * (w + 1) / workers);
            slices.add(new WorkerSlice(nodes.get(w % nodes.size()).slice(from, to), workerJvmOptions,
                    workDir.resolve("worker-" + w + ".log")));
        }
    }

    public int processes() {
        return slices.size();
    }

    public LoadSlice.Progress progress() {
        LoadSlice.Progress sum = new LoadSlice.Progress(0, 0, 0, 0);
        for (LoadSlice s : slices) {
            sum = sum.plus(s.progress());
        }
        return sum;
    }

    /** Runs one step on every slice and waits for all of them, at most {@code limit}. */
    public void step(String label, Function<LoadSlice, CompletableFuture<Void>> step, Duration limit)
            throws IOException {
        stepOn(java.util.stream.IntStream.range(0, slices.size()).boxed().toList(), label, step, limit);
    }

    /** Runs one step on the slices numbered {@code which} (the order they were made in) and waits for them. */
    public void stepOn(List<Integer> which, String label, Function<LoadSlice, CompletableFuture<Void>> step,
                       Duration limit) throws IOException {
        List<CompletableFuture<Void>> running = new ArrayList<>();
        for (int i : which) {
            running.add(step.apply(slices.get(i)));
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(running.toArray(CompletableFuture[]::new));
        long start = System.nanoTime();
        long deadline = start + limit.toNanos();
        while (true) {
            try {
                all.get(2, TimeUnit.SECONDS);
                return;
            } catch (java.util.concurrent.TimeoutException e) {
                LoadSlice.Progress p = progress();
                progressOut.printf("[%s %3ds] logged in %d/%d  requests %d  resumed %d  errors %d%n", label,
                        TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start), p.loggedIn(), total, p.requests(),
                        p.resumed(), p.errors());
                if (System.nanoTime() > deadline) {
                    throw new IOException(label + " did not finish within " + limit);
                }
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(label + " failed: " + e.getCause(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }

    /** Ends every session and merges what all slices measured. */
    public LoadResult finish() {
        LoadResult merged = new LoadResult();
        for (LoadSlice s : slices) {
            merged.merge(s.finish());
        }
        return merged;
    }

    @Override
    public void close() {
        for (LoadSlice s : slices) {
            s.close();
        }
    }
}
