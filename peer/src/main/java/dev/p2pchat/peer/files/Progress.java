package dev.p2pchat.peer.files;

import java.time.Duration;

/**
 * How far a transfer is: {@code done} of {@code size} bytes, at {@code bytesPerSecond} (measured since this run of
 * the transfer started), with {@code left} to go at that rate (null while the rate is unknown).
 */
public record Progress(long done, long size, long bytesPerSecond, Duration left) {

    public int percent() {
        return size == 0 ? 100 : (int) Math.min(100, done * 100 / size);
    }

    /**
     * Hands out a progress report at most once per {@code every} (and always the last one), so that a fast
     * transfer does not flood the screen: line mode prints each one.
     */
    public static final class Meter {
        private final long size;
        private final long startOffset;
        private final long startNanos;
        private final long everyNanos;
        private long lastNanos;

        public Meter(long size, long startOffset, Duration every, long nowNanos) {
            this.size = size;
            this.startOffset = startOffset;
            this.startNanos = nowNanos;
            this.everyNanos = every.toNanos();
            this.lastNanos = nowNanos;
        }

        /** The report for {@code done} bytes if one is due at {@code nowNanos}; null otherwise. */
        public synchronized Progress update(long done, long nowNanos) {
            if (done < size && nowNanos - lastNanos < everyNanos) {
                return null;
            }
            lastNanos = nowNanos;
            return at(done, nowNanos);
        }

        public synchronized Progress at(long done, long nowNanos) {
            long elapsed = Math.max(1, nowNanos - startNanos);
            long moved = Math.max(0, done - startOffset);
            long rate = (long) (moved * 1e9 / elapsed);
            Duration left = rate <= 0 ? null : Duration.ofMillis((size - done) * 1000 / rate);
            return new Progress(done, size, rate, left);
        }
    }
}
