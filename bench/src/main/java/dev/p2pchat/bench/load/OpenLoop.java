package dev.p2pchat.bench.load;

import dev.p2pchat.bench.report.LoadResult;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The open-loop schedule that the hold phase follows against either server: one session's requests are due at
 * {@code start + phase + k·period}, whatever happened to the earlier ones, and latency is measured from the due
 * instant. The loop stays bounded in time even when answers fall far behind.
 */
public final class OpenLoop {
    /** How long past the hold a session may still be catching up before its remaining requests count as not sent. */
    static final long OVERRUN_NANOS = TimeUnit.SECONDS.toNanos(30);

    private OpenLoop() {
    }

    /** Sends one request that was due at {@code dueNanos}. */
    @FunctionalInterface
    public interface Request {
        void send(long dueNanos);
    }

    /** Runs one session's requests from {@code start + phase} every {@code period} until {@code end}. */
    public static void hold(long start, long phase, long period, long end, LoadResult result, Request request) {
        for (long k = 0; ; k++) {
            long due = start + phase + k * period;
            if (due >= end) {
                return;
            }
            sleepUntil(due);
            if (System.nanoTime() > end + OVERRUN_NANOS) {
                // Answers are so late that this session would keep the run going long after the hold: the
                // requests still due are counted as not sent, so the run stays bounded in time.
                long notSent = (end - due + period - 1) / period;
                for (long n = 0; n < notSent; n++) {
                    result.error("hold/any not sent: session still waiting 30 s after the end of the hold");
                }
                return;
            }
            request.send(due);
        }
    }

    public static void sleepUntil(long nanos) {
        long wait = nanos - System.nanoTime();
        if (wait > 0) {
            try {
                Thread.sleep(Duration.ofNanos(wait));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
