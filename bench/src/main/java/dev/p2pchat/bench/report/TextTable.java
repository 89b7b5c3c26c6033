package dev.p2pchat.bench.report;

import java.util.ArrayList;
import java.util.List;

/** A plain text table with right-aligned numbers, for the end of a run. */
public final class TextTable {
    private final List<String[]> rows = new ArrayList<>();
    private final String title;

    public TextTable(String title, String... header) {
        this.title = title;
        rows.add(header);
    }

    public TextTable row(Object... cells) {
        int width = rows.get(0).length;
        String[] r = new String[width];
        for (int i = 0; i < width; i++) {
            r[i] = i < cells.length ? format(cells[i]) : "";
        }
        rows.add(r);
        return this;
    }

    public static String format(Object cell) {
        if (cell == null) {
            return "-";
        }
        if (cell instanceof Double d) {
            if (d.isNaN()) {
                return "-";
            }
            return Math.abs(d) >= 100 ? String.format(java.util.Locale.ROOT, "%,.0f", d)
                    : String.format(java.util.Locale.ROOT, "%.2f", d);
        }
        if (cell instanceof Long || cell instanceof Integer) {
            return String.format(java.util.Locale.ROOT, "%,d", ((Number) cell).longValue());
        }
        return cell.toString();
    }

    public String render() {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder out = new StringBuilder();
        out.append(title).append('\n');
        for (int n = 0; n < rows.size(); n++) {
            String[] r = rows.get(n);
            for (int i = 0; i < r.length; i++) {
                String cell = r[i];
                if (i == 0) {
                    out.append(cell).append(" ".repeat(width[i] - cell.length()));
                } else {
                    out.append("  ").append(" ".repeat(width[i] - cell.length())).append(cell);
                }
            }
            out.append('\n');
            if (n == 0) {
                out.append("-".repeat(java.util.Arrays.stream(width).sum() + 2 * (columns - 1))).append('\n');
            }
        }
        return out.toString();
    }
}
