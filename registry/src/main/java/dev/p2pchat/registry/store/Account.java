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
 * @param certificate  the identity certificate (base64 DER) the user's peer last logged in with, or null: read with
 *                     the account, so that a login that presents none still has the one of its key, without a
 *                     second query; written only by {@link MailboxStore#updateCertificate}
 */
public record Account(String username, String passwordHash, Instant createdAt, String certificate) {
    /** A new account, which has no certificate until its first login presents one. */
    public Account(String username, String passwordHash, Instant createdAt) {
        this(username, passwordHash, createdAt, null);
    }

    public Account {
        Objects.requireNonNull(username, "username");
        Objects.requireNonNull(passwordHash, "passwordHash");
        Objects.requireNonNull(createdAt, "createdAt");
        if (username.isBlank()) {
            throw new IllegalArgumentException("username is blank");
        }
    }
}
