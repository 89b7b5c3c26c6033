package dev.p2pchat.registry.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A registered user as the registry stores it.
 *
 * @param username     the spelling chosen at registration; lookups ignore case
 * @param passwordHash an encoded hash (an Argon2id PHC string) made outside the store,
 *                     which never sees a password
 * @param createdAt    kept to millisecond precision
 */
public record Account(String username, String passwordHash, Instant createdAt) {
    public Account {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username is blank");
        }
    }
}
