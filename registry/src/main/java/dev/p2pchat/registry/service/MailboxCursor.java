package dev.p2pchat.registry.service;

import dev.p2pchat.registry.store.MailboxStore.ItemKey;
import java.util.HashMap;
import java.util.Map;

/**
 * How far one connection has pushed its user's mailbox, and what it pushed that is not acknowledged yet. Bounds
 * what a mailbox puts in the connection's queue ({@link Mailbox#PUSH_BUDGET_BYTES}) however many items wait.
 * Used only on the connection's own thread; a new one for every LOGIN or RESUME.
 */
public final class MailboxCursor {
    private long lastSeq;
    private long inFlightBytes;
    private final Map<ItemKey, Integer> inFlight = new HashMap<>();

    long lastSeq() {
        return lastSeq;
    }

    long inFlightBytes() {
        return inFlightBytes;
    }

    void pushed(long seq, ItemKey key, int bytes) {
        lastSeq = seq;
        Integer before = inFlight.put(key, bytes);
        inFlightBytes += bytes - (before == null ? 0 : before);
    }

    void acknowledged(ItemKey key) {
        Integer bytes = inFlight.remove(key);
        if (bytes != null) {
            inFlightBytes -= bytes;
        }
    }
}
