package dev.p2pchat.registry.store;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Where the tests find PostgreSQL: the server {@code scripts/test} started, named by an environment variable. */
final class TestPostgres {
    static final String URL_VARIABLE = "P2PCHAT_TEST_POSTGRES_URL";
    static final String REQUIRED_VARIABLE = "P2PCHAT_POSTGRES_REQUIRED";

    private TestPostgres() {
    }

    /** The JDBC URL of a database the tests may create schemas in; skips the test (or fails, in CI) without it. */
    static String urlOrSkip() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            if (System.getenv(REQUIRED_VARIABLE) != null) {
                throw new IllegalStateException(URL_VARIABLE + " is not set but " + REQUIRED_VARIABLE
                        + " is: scripts/test starts PostgreSQL and sets it");
            }
            assumeTrue(false, URL_VARIABLE + " is not set (scripts/test sets it when it can start PostgreSQL)");
        }
        return url;
    }
}
