package dev.p2pchat.protocol;

/**
 * Writes a {@link Table}'s payload row by row, straight from the fields of records that checked them when they were
 * made ({@link PeerInfo}, {@link RoomSummary}): the same bytes as {@link Table#payload()}, without building a
 * {@code Table} whose cells would be checked again and joined twice. A registry answering {@code DISCOVER_PEERS}
 * and {@code SHOW_ROOMS_LIST} spent about a fifth of its time on one core in that (JFR of run U,
 * docs/BENCHMARKS.md). Only for cells whose record forbids tabs and line breaks.
 */
final class TableWriter {
    private final StringBuilder out;
    private boolean inRow;

    TableWriter(int rows, int bytesPerRow) {
        out = new StringBuilder(Math.max(16, rows * bytesPerRow));
    }

    TableWriter cell(String checked) {
        separate();
        out.append(checked);
        return this;
    }

    TableWriter cell(int value) {
        separate();
        out.append(value);
        return this;
    }

    TableWriter endRow() {
        out.append('\n');
        inRow = false;
        return this;
    }

    String payload() {
        return out.toString();
    }

    private void separate() {
        if (inRow) {
            out.append('\t');
        }
        inRow = true;
    }
}
