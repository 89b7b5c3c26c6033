package dev.p2pchat.peer;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands events to the listener on one thread, in the order they were emitted, so that no socket thread
 * ever waits for the user interface. A listener that throws is logged and does not stop later events.
 *
 * <p>The queue is bounded without ever blocking an emitter or silently losing a message: notices that can be
 * shed (chat requests, their expiry) are dropped once {@value #SHED_ABOVE} events wait, and the count of those
 * dropped follows as one {@link PeerEvent.Notice}; above {@value #MESSAGES_UP_TO} waiting events
 * {@link #hasRoomForMessages()} turns false, and incoming messages are then answered "busy, retry later" (the
 * sender retries with the same id) instead of being queued. Everything else (receipts, connection changes) is
 * always queued: those are bounded by what this user sent and by the registry, not by other peers.
 */
final class EventDispatcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventDispatcher.class);
    static final int SHED_ABOVE = 256;
    static final int MESSAGES_UP_TO = 8192;

    private final PeerListener listener;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition nonEmpty = lock.newCondition();
    /** Guarded by {@link #lock}, as are the fields below. */
    private final Deque<PeerEvent> queue = new ArrayDeque<>();
    private int shed;
    private boolean closed;
    private final Thread thread;

    EventDispatcher(PeerListener listener) {
        this.listener = listener;
        this.thread = Thread.ofPlatform().daemon().name("peer-events").start(this::run);
    }

    /** Queues an event that must reach the listener. */
    void emit(PeerEvent event) {
        lock.lock();
        try {
            if (!closed) {
                queue.addLast(event);
                nonEmpty.signal();
            }
        } finally {
            lock.unlock();
        }
    }

    /** Queues a notice that may be dropped (and counted) when the listener is far behind. */
    void emitSheddable(PeerEvent event) {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            if (queue.size() >= SHED_ABOVE) {
                shed++;
                return;
            }
            queue.addLast(event);
            nonEmpty.signal();
        } finally {
            lock.unlock();
        }
    }

    /** False while so many events wait that an incoming message should be refused for now (the sender retries). */
    boolean hasRoomForMessages() {
        lock.lock();
        try {
            return queue.size() < MESSAGES_UP_TO;
        } finally {
            lock.unlock();
        }
    }

    int waiting() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** Delivers what is queued (waiting at most a second), then stops. */
    @Override
    public void close() {
        lock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            nonEmpty.signal();
        } finally {
            lock.unlock();
        }
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
            PeerEvent next;
            lock.lock();
            try {
                while (queue.isEmpty() && shed == 0 && !closed) {
                    nonEmpty.await();
                }
                if (queue.isEmpty() && shed > 0) {
                    // Caught up: say how many notices were left out, once, instead of showing each.
                    next = new PeerEvent.Notice(shed + " chat request notice(s) were not shown while the screen was"
                            + " busy; the requests still waiting are listed by pendingChatRequests.");
                    shed = 0;
                } else if (queue.isEmpty()) {
                    return; // closed and drained
                } else {
                    next = queue.pollFirst();
                }
            } catch (InterruptedException e) {
                return;
            } finally {
                lock.unlock();
            }
            try {
                listener.onEvent(next);
            } catch (RuntimeException e) {
                LOG.error("The listener failed on {}", next.getClass().getSimpleName(), e);
            }
        }
    }
}
