package dev.p2pchat.registry.store;

import java.sql.Connection;
import java.sql.SQLException;

/** A unit of JDBC work on a borrowed connection; lets the store map SQLException in one place. */
@FunctionalInterface
interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
}
