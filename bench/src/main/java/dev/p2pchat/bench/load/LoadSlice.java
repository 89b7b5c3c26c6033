package dev.p2pchat.bench.load;

import dev.p2pchat.bench.report.LoadResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A share of the client population, in this process ({@link LocalSlice}) or in a worker process
 * ({@link WorkerSlice}); the scenarios drive every slice through the same phases at the same instants.
 */
public interface LoadSlice extends AutoCloseable {
    /** Progress counters for the progress line. */
    record Progress(long loggedIn, long requests, long errors, long resumed) {
        public Progress plus(Progress o) {
            return new Progress(loggedIn + o.loggedIn, requests + o.requests, errors + o.errors, resumed + o.resumed);
        }
    }

    CompletableFuture<Void> login(long rampStartNanos);

    CompletableFuture<Void> hold(long startNanos);

    /**
     * Completes once the sessions watch their connections; they resume by themselves when it drops, at the same
     * registry or, with {@code resumeAtPorts} given, at the cluster nodes on those ports of the same host: each
     * session at one chosen at random, and at another after a failed attempt, as a peer given every node does.
     */
    CompletableFuture<Void> watchForRestart(long deadlineNanos, List<Integer> resumeAtPorts);

    CompletableFuture<Void> awaitResumed(long killNanos, long restartedNanos);

    Progress progress();

    /** Ends the sessions and returns what this slice measured. */
    LoadResult finish();

    @Override
    void close();
}
