-- Names are unique ignoring case. The folded key is computed in Java (NameKey) rather than
-- with COLLATE NOCASE, which folds ASCII only and would not carry over to PostgreSQL.
-- Timestamps are epoch milliseconds (UTC).

CREATE TABLE account (
    username_key  TEXT    NOT NULL PRIMARY KEY,
    username      TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE room (
    name_key      TEXT    NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    password_hash TEXT,
    capacity      INTEGER NOT NULL CHECK (capacity > 0),
    description   TEXT    NOT NULL,
    creator_key   TEXT    NOT NULL REFERENCES account (username_key),
    created_at    INTEGER NOT NULL
) STRICT;
