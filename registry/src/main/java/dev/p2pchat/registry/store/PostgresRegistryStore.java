package dev.p2pchat.registry.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;

/**
 * {@link RegistryStore} in a PostgreSQL database, which several registries can share (a cluster). Every call takes
 * a connection from a HikariCP pool; a change that reads before it writes runs in one transaction with the rows it
 * depends on locked ({@code FOR UPDATE}), so two registries cannot both fill a mailbox past its quota. A change
 * has committed (and, with PostgreSQL's default {@code synchronous_commit}, reached the disk) when its call returns.
 *
 * <p>The URL is a pgJDBC one, e.g. {@code jdbc:postgresql://db.example.org/p2pchat?user=registry}; keep the password
 * out of it (and so out of {@code ps}): pgJDBC reads {@code ~/.pgpass} or the {@code PGPASSFILE} it names.
 */
public final class PostgresRegistryStore extends JdbcRegistryStore {
    static final String MIGRATIONS = "classpath:db/postgresql";
    /** Calls are short and the registry's Argon2 work is outside them: a few connections per core serve it. */
    static final int POOL_SIZE = Math.max(4, 2 * Runtime.getRuntime().availableProcessors());

    private final HikariDataSource pool;

    private PostgresRegistryStore(HikariDataSource pool) {
        this.pool = pool;
    }

    /** Connects to {@code jdbcUrl} and applies pending migrations. */
    public static PostgresRegistryStore open(String jdbcUrl) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(jdbcUrl);
        config.setPoolName("registry-db");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setConnectionTimeout(10_000);
        HikariDataSource pool;
        try {
            pool = new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new StoreException("cannot connect to the PostgreSQL database " + withoutSecrets(jdbcUrl)
                    + ": " + e.getMessage(), e);
        }
        try {
            Flyway.configure(PostgresRegistryStore.class.getClassLoader())
                    .dataSource(pool)
                    .locations(MIGRATIONS)
                    .load()
                    .migrate();
        } catch (FlywayException e) {
            pool.close();
            throw new StoreException("cannot migrate the PostgreSQL database " + withoutSecrets(jdbcUrl), e);
        }
        return new PostgresRegistryStore(pool);
    }

    /** The URL without its query (where a password may sit), for messages and logs. */
    static String withoutSecrets(String jdbcUrl) {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?…";
    }

    @Override
    <T> T onWriter(SqlWork<T> work) throws SQLException {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        }
    }

    @Override
    <T> T onReader(SqlWork<T> work) throws SQLException {
        return onWriter(work);
    }

    @Override
    void release() {
        pool.close();
    }

    @Override
    boolean isForeignKeyViolation(SQLException e) {
        return "23503".equals(e.getSQLState());
    }

    @Override
    String isDistinctFrom() {
        return "IS DISTINCT FROM";
    }

    @Override
    String forUpdate() {
        return " FOR UPDATE";
    }

    @Override
    String forUpdateOf(String table) {
        return " FOR UPDATE OF " + table;
    }
}
