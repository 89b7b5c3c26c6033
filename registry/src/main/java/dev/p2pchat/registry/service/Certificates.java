package dev.p2pchat.registry.service;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.security.Fingerprints;
import java.time.Duration;
import java.util.Base64;
import java.util.Locale;
import java.util.Optional;

/**
 * The identity certificate a user's peer presents now, for {@code SEARCH_USER}: read from the store once per
 * (user, fingerprint), then from memory.
 *
 * <p>Why: every {@code SEARCH_USER} for an online user read the certificate from the store, so three cluster nodes
 * at 3,000 requests/s asked PostgreSQL 1,200 times a second and their pools of four connections timed out
 * (docs/BENCHMARKS.md run X: 38,000 answers {@code SERVER_ERROR 500}). A peer's fingerprint is the SHA-256 of its
 * certificate, so a certificate found for a fingerprint is right for as long as the peer presents it; one the
 * store does not have (the peer logged in without one) is asked again after {@link #MISSING_FOR}, or at once when
 * the peer logs in here with one. Sized for every user of a large cluster: a missing entry is a key of about
 * 80 characters (~180 bytes with the cache's node), a found one adds the certificate (~1 KB); 10,000 found and
 * 30 s for a missing one still sent most searches of run X2's 45,000 users to PostgreSQL.
 */
final class Certificates {
    static final int MAX_FOUND = 50_000;
    static final int MAX_MISSING = 200_000;
    static final Duration MISSING_FOR = Duration.ofMinutes(10);

    private final RegistryStore store;
    private final Cache<String, String> found = Caffeine.newBuilder().maximumSize(MAX_FOUND).build();
    private final Cache<String, Boolean> missing = Caffeine.newBuilder().maximumSize(MAX_MISSING)
            .expireAfterWrite(MISSING_FOR).build();

    Certificates(RegistryStore store) {
        this.store = store;
    }

    /** The certificate whose SHA-256 is {@code fingerprint}, if the store has it for {@code username}. */
    Optional<String> presented(String username, String fingerprint) {
        String key = key(username, fingerprint);
        String known = found.getIfPresent(key);
        if (known != null) {
            return Optional.of(known);
        }
        if (missing.getIfPresent(key) != null) {
            return Optional.empty();
        }
        Optional<String> stored = store.findCertificate(username).filter(c -> matches(c, fingerprint));
        if (stored.isPresent()) {
            found.put(key, stored.get());
        } else {
            missing.put(key, Boolean.TRUE);
        }
        return stored;
    }

    /** A user's peer logged in here with {@code certificate}: it is what that fingerprint presents from now on. */
    void learn(String username, String certificate) {
        String fingerprint = fingerprintOf(certificate);
        if (fingerprint != null) {
            String key = key(username, fingerprint);
            found.put(key, certificate);
            missing.invalidate(key);
        }
    }

    private static String key(String username, String fingerprint) {
        return SessionRegistry.fold(username) + '\t' + fingerprint.toLowerCase(Locale.ROOT);
    }

    static boolean matches(String certificate, String fingerprint) {
        String actual = fingerprintOf(certificate);
        return actual != null && actual.equalsIgnoreCase(fingerprint);
    }

    private static String fingerprintOf(String certificate) {
        try {
            return Fingerprints.sha256Hex(Base64.getDecoder().decode(certificate));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
