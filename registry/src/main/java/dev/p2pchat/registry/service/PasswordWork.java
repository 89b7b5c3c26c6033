package dev.p2pchat.registry.service;

import dev.p2pchat.security.PasswordHasher;
import java.util.concurrent.Semaphore;

/**
 * Argon2 behind a semaphore: hashing is CPU- and memory-heavy, so at most a few run at once and a login storm
 * queues here instead of starving every other request. Unknown users are checked against a dummy hash, so a
 * failed login takes as long whether or not the account exists.
 */
final class PasswordWork {
    private final PasswordHasher hasher;
    private final Semaphore permits;
    private final String dummyHash;

    PasswordWork(PasswordHasher hasher, int concurrency) {
        this.hasher = hasher;
        this.permits = new Semaphore(concurrency, true);
        this.dummyHash = hasher.hash("0".repeat(64));
    }

    String hash(String secret) {
        permits.acquireUninterruptibly();
        try {
            return hasher.hash(secret);
        } finally {
            permits.release();
        }
    }

    /** Verifies against {@code encoded}, or against the dummy hash when it is null (and then fails). */
    boolean verify(String secret, String encoded) {
        permits.acquireUninterruptibly();
        try {
            boolean matches = hasher.verify(secret, encoded == null ? dummyHash : encoded);
            return matches && encoded != null;
        } finally {
            permits.release();
        }
    }

    boolean needsRehash(String encoded) {
        return hasher.needsRehash(encoded);
    }
}
