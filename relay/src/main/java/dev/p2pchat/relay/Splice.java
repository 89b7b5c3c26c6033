package dev.p2pchat.relay;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Consumer;

/**
 * Two connections joined into one pipe: one virtual thread per direction copies what it reads, unread and
 * unchanged, at most {@code bytesPerSecond} (a token bucket of one second's worth: beyond it the copier waits and
 * TCP back-pressure reaches the sender). When either side ends, both are closed.
 */
final class Splice {
    private static final int CHUNK = 16 * 1024;

    private final Socket a;
    private final Socket b;
    private final long bytesPerSecond;
    private final Consumer<byte[]> tap;
    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** @param tap sees every relayed chunk (tests check that only ciphertext passes); may be null */
    Splice(Socket a, Socket b, long bytesPerSecond, Consumer<byte[]> tap) {
        this.a = a;
        this.b = b;
        this.bytesPerSecond = bytesPerSecond;
        this.tap = tap;
    }

    /** Starts both directions; the future completes when the pipe has ended. */
    CompletableFuture<Void> start(String name) {
        Thread.ofVirtual().name(name + "-ab").start(() -> copy(a, b));
        Thread.ofVirtual().name(name + "-ba").start(() -> copy(b, a));
        return done;
    }

    private void copy(Socket from, Socket to) {
        byte[] buffer = new byte[CHUNK];
        double allowance = bytesPerSecond;
        long last = System.nanoTime();
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                long now = System.nanoTime();
                allowance = Math.min(bytesPerSecond, allowance + (now - last) * bytesPerSecond / 1e9);
                last = now;
                allowance -= n;
                if (allowance < 0) {
                    LockSupport.parkNanos((long) (-allowance * 1e9 / bytesPerSecond));
                }
                if (tap != null) {
                    tap.accept(java.util.Arrays.copyOf(buffer, n));
                }
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // the other direction or the peer ended the pipe
        } finally {
            closeQuietly(a);
            closeQuietly(b);
            done.complete(null);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
