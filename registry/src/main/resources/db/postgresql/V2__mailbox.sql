-- The PostgreSQL twin of db/migration/V2 (SQLite): identity certificates and sealed mailbox items (ciphertext
-- only, the names of recipient and sender, the sender's opaque id and an expiry; never a message's text).

ALTER TABLE account ADD COLUMN certificate TEXT;

-- seq orders a mailbox and never repeats; an expired item keeps its row with sealed = NULL until its sender has
-- been told.
CREATE TABLE mailbox_item (
    seq           BIGINT  GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient_key TEXT COLLATE "C" NOT NULL REFERENCES account (username_key),
    sender_key    TEXT COLLATE "C" NOT NULL REFERENCES account (username_key),
    item_id       TEXT    NOT NULL,
    sealed        BYTEA,
    size          INTEGER NOT NULL CHECK (size >= 0),
    stored_at     BIGINT  NOT NULL,
    expires_at    BIGINT  NOT NULL,
    UNIQUE (recipient_key, sender_key, item_id)
);

CREATE INDEX mailbox_item_waiting ON mailbox_item (recipient_key, seq) WHERE sealed IS NOT NULL;
CREATE INDEX mailbox_item_expiry ON mailbox_item (expires_at) WHERE sealed IS NOT NULL;
CREATE INDEX mailbox_item_notice ON mailbox_item (sender_key) WHERE sealed IS NULL;
