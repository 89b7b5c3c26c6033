package dev.p2pchat.bench.load;

import dev.p2pchat.bench.report.LoadResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A slice run by this process. */
public final class LocalSlice implements LoadSlice {
    private final RegistryLoad load;
    private final LoadResult result;

    public LocalSlice(LoadSpec spec) {
        this.result = new LoadResult();
        this.load = new RegistryLoad(spec, result);
    }

    RegistryLoad load() {
        return load;
    }

    private interface Step {
        void run() throws InterruptedException;
    }

    private static CompletableFuture<Void> async(String name, Step step) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Thread.ofPlatform().name(name).daemon().start(() -> {
            try {
                step.run();
                done.complete(null);
            } catch (Throwable t) {
                done.completeExceptionally(t);
            }
        });
        return done;
    }

    @Override
    public CompletableFuture<Void> login(long rampStartNanos) {
        return async("bench-login", () -> load.login(rampStartNanos));
    }

    @Override
    public CompletableFuture<Void> hold(long startNanos) {
        return async("bench-hold", () -> load.hold(startNanos));
    }

    @Override
    public CompletableFuture<Void> watchForRestart(long deadlineNanos, List<Integer> resumeAtPorts) {
        load.watchForRestart(deadlineNanos, resumeAtPorts);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<Void> awaitResumed(long killNanos, long restartedNanos) {
        return async("bench-resume", () -> load.awaitResumed(killNanos, restartedNanos));
    }

    @Override
    public Progress progress() {
        return new Progress(load.loggedIn(), load.requests(), result.errorTotal(), load.resumed());
    }

    @Override
    public LoadResult finish() {
        load.countConnected();
        load.close();
        return result;
    }

    @Override
    public void close() {
        load.close();
    }
}
