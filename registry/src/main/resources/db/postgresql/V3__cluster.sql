-- A cluster of registry nodes on this database (--cluster): which node holds which user's session, under a lease
-- per node. A node that stops renewing its lease is deleted by another, and its users' rows with it.
CREATE TABLE cluster_nodes (
    node_id     TEXT PRIMARY KEY,
    lease_until TIMESTAMPTZ NOT NULL,
    started_at  TIMESTAMPTZ NOT NULL DEFAULT now()
);

-- Orders the claims of one user: an event about an older claim never undoes a newer one.
CREATE SEQUENCE cluster_claim_seq;

-- One row per online user: the atomic insert of a login decides which node holds it.
CREATE TABLE cluster_presence (
    user_key    TEXT PRIMARY KEY,
    username    TEXT NOT NULL,
    node_id     TEXT NOT NULL REFERENCES cluster_nodes (node_id) ON DELETE CASCADE,
    seq         BIGINT NOT NULL,
    -- SHA-256 of the session token: names the session without keeping anything that resumes it.
    token_hash  BYTEA NOT NULL,
    attached    BOOLEAN NOT NULL,
    ip          TEXT NOT NULL,
    port        INTEGER NOT NULL,
    fingerprint TEXT NOT NULL,
    candidates  TEXT NOT NULL DEFAULT '',
    rooms       TEXT NOT NULL DEFAULT ''
);
CREATE INDEX cluster_presence_node ON cluster_presence (node_id);

-- Tokens logged out or timed out on some node, until they expire anyway: no node resumes them.
CREATE TABLE cluster_revoked_tokens (
    token_hash BYTEA PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);

-- The secret every node signs session tokens with, so that any node accepts any node's token.
CREATE TABLE cluster_secrets (
    name   TEXT PRIMARY KEY,
    secret BYTEA NOT NULL
);
