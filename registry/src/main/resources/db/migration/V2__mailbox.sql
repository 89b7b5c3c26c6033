-- Offline delivery (issue 10). The registry keeps each account's current identity certificate (public, base64
-- DER) so that others can seal items to it, and the sealed items themselves: ciphertext only, with the names of
-- recipient and sender, the sender's opaque item id and an expiry. It never holds a message's text.

ALTER TABLE account ADD COLUMN certificate TEXT;

-- seq orders a mailbox (oldest first) and never repeats (AUTOINCREMENT), so a connection can remember how far it
-- has pushed. An expired item keeps its row with sealed = NULL until its sender has been told: that row is the
-- sender's notice.
CREATE TABLE mailbox_item (
    seq           INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    recipient_key TEXT    NOT NULL REFERENCES account (username_key),
    sender_key    TEXT    NOT NULL REFERENCES account (username_key),
    item_id       TEXT    NOT NULL,
    sealed        BLOB,
    size          INTEGER NOT NULL CHECK (size >= 0),
    stored_at     INTEGER NOT NULL,
    expires_at    INTEGER NOT NULL,
    UNIQUE (recipient_key, sender_key, item_id)
) STRICT;

CREATE INDEX mailbox_item_waiting ON mailbox_item (recipient_key, seq) WHERE sealed IS NOT NULL;
CREATE INDEX mailbox_item_expiry ON mailbox_item (expires_at) WHERE sealed IS NOT NULL;
CREATE INDEX mailbox_item_notice ON mailbox_item (sender_key) WHERE sealed IS NULL;
