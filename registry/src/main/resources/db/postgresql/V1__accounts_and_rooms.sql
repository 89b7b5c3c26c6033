-- The PostgreSQL twin of db/migration/V1 (SQLite): the same tables and meaning. Names are unique ignoring case
-- through the key folded in Java (NameKey); keys compare byte by byte (COLLATE "C"), as SQLite's do, so rooms
-- list in the same order whatever the database's locale. Timestamps are epoch milliseconds (UTC).

CREATE TABLE account (
    username_key  TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    username      TEXT   NOT NULL,
    password_hash TEXT   NOT NULL,
    created_at    BIGINT NOT NULL
);

CREATE TABLE room (
    name_key      TEXT COLLATE "C" NOT NULL PRIMARY KEY,
    name          TEXT    NOT NULL,
    password_hash TEXT,
    capacity      INTEGER NOT NULL CHECK (capacity > 0),
    description   TEXT    NOT NULL,
    creator_key   TEXT COLLATE "C" NOT NULL REFERENCES account (username_key),
    created_at    BIGINT  NOT NULL
);
