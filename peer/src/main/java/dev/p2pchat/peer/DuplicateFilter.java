package dev.p2pchat.peer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers the most recent message ids per sender so that a message retried after a lost receipt is
 * acknowledged again but shown only once. Bounded: the oldest ids are forgotten first.
 */
final class DuplicateFilter {
    private final Map<String, Boolean> seen;

    DuplicateFilter(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.seen = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    /** True the first time this sender's id is seen (within the remembered window). */
    synchronized boolean firstTime(String sender, String id) {
        return seen.put(sender + '\u0000' + id, Boolean.TRUE) == null;
    }
}
