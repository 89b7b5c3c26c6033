package dev.p2pchat.protocol;

/** One row of ROOMS_LIST. In a PARTIAL list, {@code description} is null and {@code hasPassword} false. */
public record RoomSummary(String name, String description, int members, int capacity, boolean hasPassword) {
    public RoomSummary {
        Check.nonEmpty("name", name);
        Check.optionalText("description", description);
        if (members < 0 || capacity < 0) {
            throw new IllegalArgumentException("members and capacity must not be negative");
        }
    }
}
