package dev.p2pchat.registry.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * A fixed set of query-only connections lent out one caller at a time. In WAL mode they read
 * a consistent snapshot while the single writer commits, so lookups never queue behind a
 * commit's fsync. Waiting uses a BlockingQueue (not a monitor), so a waiting virtual thread
 * releases its carrier.
 */
final class ReadConnections implements AutoCloseable {
    private final BlockingQueue<Connection> idle;
    private final List<Connection> all;

    ReadConnections(List<Connection> connections) {
        this.all = List.copyOf(connections);
        this.idle = new ArrayBlockingQueue<>(all.size(), false, all);
    }

    <T> T with(SqlWork<T> work) throws SQLException {
        Connection connection;
        try {
            connection = idle.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting for a read connection", e);
        }
        try {
            return work.run(connection);
        } finally {
            idle.add(connection);
        }
    }

    /** Only called once no borrower is left (the store's lifecycle lock ensures that). */
    @Override
    public void close() throws SQLException {
        List<SQLException> failures = new ArrayList<>();
        for (Connection connection : all) {
            try {
                connection.close();
            } catch (SQLException e) {
                failures.add(e);
            }
        }
        if (!failures.isEmpty()) {
            SQLException first = failures.getFirst();
            failures.stream().skip(1).forEach(first::addSuppressed);
            throw first;
        }
    }
}
