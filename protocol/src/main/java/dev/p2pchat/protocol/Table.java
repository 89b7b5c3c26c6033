package dev.p2pchat.protocol;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A table-shaped payload: one row per line, cells separated by TAB, the column names in the
 * {@code columns} header (also TAB-separated). Cells are single-line text without tabs.
 */
public record Table(List<String> columns, List<List<String>> rows) {
    public Table {
        columns = List.copyOf(columns);
        List<List<String>> copied = new ArrayList<>(rows.size());
        for (List<String> row : rows) {
            if (row.size() != columns.size()) {
                throw new IllegalArgumentException("row has " + row.size() + " cells, expected " + columns.size());
            }
            for (String cell : row) {
                if (!Syntax.isSingleLine(Objects.requireNonNull(cell, "cell"))) {
                    throw new IllegalArgumentException("table cell has a tab or control character");
                }
            }
            copied.add(List.copyOf(row));
        }
        rows = List.copyOf(copied);
    }

    public String columnsHeader() {
        return String.join("\t", columns);
    }

    public String payload() {
        StringBuilder out = new StringBuilder();
        for (List<String> row : rows) {
            out.append(String.join("\t", row)).append('\n');
        }
        return out.toString();
    }

    /** Parses a payload whose columns must include {@code required}; extra columns are ignored by callers. */
    public static Table parse(String columnsHeader, String payload, List<String> required) throws ProtocolException {
        if (columnsHeader == null) {
            throw ProtocolException.badContent("missing header columns");
        }
        List<String> columns = List.of(columnsHeader.split("\t", -1));
        for (String name : required) {
            if (!columns.contains(name)) {
                throw ProtocolException.badContent("columns lack " + name);
            }
        }
        List<List<String>> rows = new ArrayList<>();
        if (!payload.isEmpty()) {
            String body = payload.endsWith("\n") ? payload.substring(0, payload.length() - 1) : payload;
            for (String line : body.split("\n", -1)) {
                List<String> cells = List.of(line.split("\t", -1));
                if (cells.size() != columns.size()) {
                    throw ProtocolException.badContent("table row has " + cells.size() + " cells, expected " + columns.size());
                }
                rows.add(cells);
            }
        }
        try {
            return new Table(columns, rows);
        } catch (IllegalArgumentException e) {
            throw ProtocolException.badContent(e.getMessage());
        }
    }

    public String cell(List<String> row, String column) {
        return row.get(columns.indexOf(column));
    }
}
