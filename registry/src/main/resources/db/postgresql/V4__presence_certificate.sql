-- The identity certificate each online user's peer presents (base64 DER; empty when the node has none), so that a
-- node answers SEARCH_USER for a user of another node from its cache, with no query (docs/BENCHMARKS.md run X).
ALTER TABLE cluster_presence ADD COLUMN certificate TEXT NOT NULL DEFAULT '';
