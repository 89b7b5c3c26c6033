package dev.p2pchat.protocol;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code rooms} header: the rooms a session is in (or wants back), comma-separated. Room names hold only
 * letters, digits, '_', '.' and '-', so a comma never occurs in one. At most {@link Limits#MAX_ROOMS_LISTED}
 * names, duplicates (ignoring case) dropped, order kept.
 */
public final class RoomNames {

    private RoomNames() {
    }

    /** The names of a header; empty for a missing or blank one. */
    public static List<String> parse(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        if (text.length() > Limits.MAX_ROOMS_LISTED * (Names.MAX_NAME_CHARS + 1)) {
            throw new IllegalArgumentException("rooms is longer than " + Limits.MAX_ROOMS_LISTED
                    + " room names can be");
        }
        List<String> names = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            names.add(part.strip());
        }
        return check(names);
    }

    /** The header's value, or null for no rooms (the header is then left out). */
    public static String format(List<String> names) {
        return names == null || names.isEmpty() ? null : String.join(",", names);
    }

    /** Checks a list for a record: valid names, at most {@link Limits#MAX_ROOMS_LISTED}, no duplicates. */
    public static List<String> check(List<String> names) {
        if (names == null) {
            return List.of();
        }
        Map<String, String> unique = new LinkedHashMap<>();
        for (String name : names) {
            String problem = Names.problemWithName("room name", name);
            if (problem != null) {
                throw new IllegalArgumentException("rooms: " + problem);
            }
            unique.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        }
        if (unique.size() > Limits.MAX_ROOMS_LISTED) {
            throw new IllegalArgumentException("rooms lists more than " + Limits.MAX_ROOMS_LISTED + " rooms");
        }
        return List.copyOf(unique.values());
    }

    /** {@code first} (may be null) followed by {@code more}, without duplicates: the old single field and the list. */
    public static List<String> union(String first, List<String> more) {
        List<String> all = new ArrayList<>(more.size() + 1);
        if (first != null) {
            all.add(first);
        }
        all.addAll(more);
        Map<String, String> unique = new LinkedHashMap<>();
        for (String name : all) {
            unique.putIfAbsent(name.toLowerCase(Locale.ROOT), name);
        }
        return List.copyOf(unique.values());
    }
}
