package dev.p2pchat.registry.store;

import java.time.Instant;
import java.util.Objects;

/**
 * A chat room as the registry stores it.
 *
 * @param name         the spelling chosen at creation; lookups ignore case
 * @param passwordHash encoded hash of the room password, or {@code null} for an open room
 * @param capacity     most members at once, at least 1
 * @param description  free text, may be empty
 * @param creator      username of an existing account; read back in the account's stored spelling
 * @param createdAt    kept to millisecond precision
 */
public record Room(String name, String passwordHash, int capacity, String description,
                   String creator, Instant createdAt) {
    public Room {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(creator, "creator");
        Objects.requireNonNull(createdAt, "createdAt");
        if (name.isBlank()) {
            throw new IllegalArgumentException("room name is blank");
        }
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
    }

    public boolean hasPassword() {
        return passwordHash != null;
    }
}
