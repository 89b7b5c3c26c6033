package dev.p2pchat.cli.session;

import java.util.ArrayList;
import java.util.List;

import dev.p2pchat.cli.render.TerminalText;
import dev.p2pchat.protocol.RoomSummary;

/** Lays out a room list as aligned text lines: a header, then one row per room, the user's own marked. Pure. */
public final class RoomTable {

    private RoomTable() {}

    public static List<String> lines(List<RoomSummary> rooms, boolean detailed) {
        return lines(rooms, detailed, List.of());
    }

    /** {@code joined}: the rooms the user is in, marked with {@code *} before the name (compared ignoring case). */
    public static List<String> lines(List<RoomSummary> rooms, boolean detailed, List<String> joined) {
        if (rooms.isEmpty()) {
            return List.of("no rooms yet — /create NAME to make one");
        }
        // Marked only when the user is in a listed room: a user in none sees the table as before.
        boolean marking = rooms.stream().anyMatch(room -> isIn(joined, room));
        String header = marking ? "  ROOM" : "ROOM";
        List<List<String>> rows = new ArrayList<>();
        rows.add(detailed ? List.of(header, "MEMBERS", "LOCKED", "DESCRIPTION") : List.of(header, "MEMBERS"));
        for (RoomSummary room : rooms) {
            String members = room.members() + "/" + room.capacity();
            String name = (marking ? isIn(joined, room) ? "* " : "  " : "") + oneLine(room.name());
            rows.add(detailed
                    ? List.of(name, members, room.hasPassword() ? "yes" : "no",
                            room.description() == null ? "" : oneLine(room.description()))
                    : List.of(name, members));
        }
        int columns = rows.getFirst().size();
        int[] width = new int[columns];
        for (List<String> row : rows) {
            for (int c = 0; c < columns; c++) {
                width[c] = Math.max(width[c], row.get(c).codePointCount(0, row.get(c).length()));
            }
        }
        List<String> lines = new ArrayList<>();
        for (List<String> row : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < columns; c++) {
                String cell = row.get(c);
                line.append(cell);
                if (c < columns - 1) {
                    line.append(" ".repeat(width[c] - cell.codePointCount(0, cell.length()) + 2));
                }
            }
            lines.add(line.toString().stripTrailing());
        }
        return lines;
    }

    private static boolean isIn(List<String> joined, RoomSummary room) {
        return joined.stream().anyMatch(j -> j.equalsIgnoreCase(room.name()));
    }

    private static String oneLine(String untrusted) {
        return TerminalText.sanitize(untrusted).replace('\n', ' ');
    }
}
