package dev.p2pchat.registry.limit;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The (user, address) pairs that logged in successfully lately: OWASP's "device cookie" without the cookie. An
 * address a user logged in from before is not blocked by that user's per-user failure limit, so whoever guesses a
 * name's password from elsewhere cannot lock its owner out of the places it usually logs in from. Memory is bounded:
 * beyond {@code capacity} pairs the least recently used is forgotten. Thread-safe.
 */
public final class KnownAddresses {
    private final Map<String, Boolean> pairs;

    public KnownAddresses(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.pairs = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
                return size() > capacity;
            }
        };
    }

    public synchronized void remember(String userKey, String ip) {
        pairs.put(key(userKey, ip), Boolean.TRUE);
    }

    public synchronized boolean contains(String userKey, String ip) {
        return pairs.get(key(userKey, ip)) != null;
    }

    synchronized int size() {
        return pairs.size();
    }

    private static String key(String userKey, String ip) {
        return userKey + '\u0000' + ip; // NUL can be in neither
    }
}
