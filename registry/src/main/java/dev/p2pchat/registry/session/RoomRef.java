package dev.p2pchat.registry.session;

import java.util.Objects;

/** A stored room as far as membership cares: its stored spelling and how many members it holds at most. */
public record RoomRef(String name, int capacity) {
    public RoomRef {
        Objects.requireNonNull(name, "name");
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
    }
}
