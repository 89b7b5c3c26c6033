package dev.p2pchat.peer;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the listener on one thread, in the order they were emitted, so that no socket thread
 * ever waits for the user interface. A listener that throws is logged and does not stop later events.
 */
final class EventDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    private static final Object STOP = new Object();

    private final PeerListener listener;
    private final BlockingQueue<Object> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;

    EventDispatcher(PeerListener listener) {
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("peer-events").start(this::run);
    }

    void emit(PeerEvent event) {
        if (!closed) {
            queue.add(event);
        }
    }

    /** Delivers what is queued (waiting at most a second), then stops. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        queue.add(STOP);
        if (Thread.currentThread() != thread) {
            try {
                thread.join(TimeUnit.SECONDS.toMillis(1));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void run() {
        while (true) {
            Object next;
            try {
                next = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            if (next == STOP) {
                return;
            }
            try {
                listener.onEvent((PeerEvent) next);
            } catch (RuntimeException e) {
                LOG.error("The listener failed on {}", next.getClass().getSimpleName(), e);
            }
        }
    }
}
