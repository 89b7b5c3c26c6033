package dev.p2pchat.peer.history;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Every conversation of this data directory's users, one row per message, in one SQLite file (mode 0600, and so
 * are its journal files, which SQLite creates with the database's mode) with an FTS5 index over the text
 * ({@code unicode61}, diacritics folded: "cafe" finds "café"). Rows belong to the local user ({@code owner}) who
 * sent or received them, since one data directory may be used by several accounts.
 *
 * <p>One connection, guarded by this object: a chat client writes a few rows a second at most.
 */
public final class ChatHistory implements AutoCloseable {
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final List<String> SCHEMA = List.of("""
            CREATE TABLE IF NOT EXISTS messages (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                owner TEXT NOT NULL,
                conversation TEXT NOT NULL,
                id TEXT NOT NULL,
                sender TEXT NOT NULL,
                sent_at INTEGER,
                received_at INTEGER NOT NULL,
                text TEXT NOT NULL,
                state TEXT NOT NULL,
                delivered_to TEXT NOT NULL DEFAULT '',
                UNIQUE (owner, conversation, id))""",
            "CREATE INDEX IF NOT EXISTS messages_by_id ON messages (owner, id)",
            """
            CREATE VIRTUAL TABLE IF NOT EXISTS messages_text USING fts5(
                text, content='messages', content_rowid='seq', tokenize='unicode61 remove_diacritics 2')""",
            """
            CREATE TRIGGER IF NOT EXISTS messages_text_insert AFTER INSERT ON messages BEGIN
                INSERT INTO messages_text (rowid, text) VALUES (new.seq, new.text); END""",
            """
            CREATE TRIGGER IF NOT EXISTS messages_text_delete AFTER DELETE ON messages BEGIN
                INSERT INTO messages_text (messages_text, rowid, text) VALUES ('delete', old.seq, old.text); END""");


    private final Path file;
    private final Connection db;

    private ChatHistory(Path file, Connection db) {
        this.file = file;
        this.db = db;
    }

    public static ChatHistory open(Path file) throws IOException {
        boolean posix = file.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.exists(file)) {
            if (posix) {
                Files.createFile(file, PosixFilePermissions.asFileAttribute(FILE_MODE));
            } else {
                Files.createFile(file);
            }
        }
        if (posix) {
            for (String suffix : List.of("", "-wal", "-shm", "-journal")) {
                Path p = file.resolveSibling(file.getFileName() + suffix);
                if (Files.exists(p) && !Files.getPosixFilePermissions(p).equals(FILE_MODE)) {
                    Files.setPosixFilePermissions(p, FILE_MODE);
                }
            }
        }
        try {
            Connection db = DriverManager.getConnection("jdbc:sqlite:" + file.toAbsolutePath());
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA journal_mode = WAL");
                s.execute("PRAGMA synchronous = NORMAL");
                s.execute("PRAGMA busy_timeout = 5000");
                for (String statement : SCHEMA) {
                    s.executeUpdate(statement);
                }
                addSignatureColumn(db);
            } catch (SQLException e) {
                db.close();
                throw e;
            }
            return new ChatHistory(file, db);
        } catch (SQLException e) {
            throw new IOException("cannot open the chat history " + file + ": " + e.getMessage(), e);
        }
    }

    /** A room message's author signature, kept so that it can be served in a backlog: added to older files. */
    private static void addSignatureColumn(Connection db) throws SQLException {
        try (Statement s = db.createStatement(); ResultSet r = s.executeQuery("PRAGMA table_info(messages)")) {
            while (r.next()) {
                if ("signature".equals(r.getString("name"))) {
                    return;
                }
            }
        }
        try (Statement s = db.createStatement()) {
            s.executeUpdate("ALTER TABLE messages ADD COLUMN signature TEXT");
        }
    }

    public Path file() {
        return file;
    }

    /** A message this user sent (pending until its receipt). A second row with the same id is ignored. */
    public synchronized void sent(String owner, String conversation, String id, Instant sentAt, String text)
            throws IOException {
        sent(owner, conversation, id, sentAt, text, null);
    }

    /** As {@link #sent(String, String, String, Instant, String)}, with this user's signature of a room message. */
    public synchronized void sent(String owner, String conversation, String id, Instant sentAt, String text,
                                  String signature) throws IOException {
        insert(owner, conversation, id, owner, sentAt, sentAt, text, HistoryLine.State.PENDING, signature);
    }

    /** A message this user received. A second row with the same id (the same message twice) is ignored. */
    public synchronized void received(String owner, String conversation, String id, String sender, Instant sentAt,
                                      Instant receivedAt, String text) throws IOException {
        received(owner, conversation, id, sender, sentAt, receivedAt, text, null);
    }

    /** As {@link #received(String, String, String, String, Instant, Instant, String)}, with the author's signature. */
    public synchronized void received(String owner, String conversation, String id, String sender, Instant sentAt,
                                      Instant receivedAt, String text, String signature) throws IOException {
        insert(owner, conversation, id, sender, sentAt, receivedAt, text, HistoryLine.State.RECEIVED, signature);
    }

    /** Whether message {@code id} of {@code conversation} is kept. */
    public synchronized boolean contains(String owner, String conversation, String id) throws IOException {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT 1 FROM messages WHERE owner = ? AND conversation = ? AND id = ?")) {
            s.setString(1, lower(owner));
            s.setString(2, conversation);
            s.setString(3, id);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * The last {@code limit} signed messages of {@code conversation} sent since {@code since}, oldest first: a room's
     * backlog. Messages kept without a signature are left out.
     */
    public synchronized List<SignedMessage> signedSince(String owner, String conversation, Instant since, int limit)
            throws IOException {
        try (PreparedStatement s = db.prepareStatement("""
                SELECT id, sender, sent_at, text, signature FROM messages
                WHERE owner = ? AND conversation = ? AND sent_at >= ? AND signature IS NOT NULL AND signature <> ''
                ORDER BY seq DESC LIMIT ?""")) {
            s.setString(1, lower(owner));
            s.setString(2, conversation);
            s.setLong(3, since.toEpochMilli());
            s.setInt(4, limit);
            List<SignedMessage> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(new SignedMessage(r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)),
                            r.getString(4), r.getString(5)));
                }
            }
            Collections.reverse(out);
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private void insert(String owner, String conversation, String id, String sender, Instant sentAt,
                        Instant receivedAt, String text, HistoryLine.State state, String signature)
            throws IOException {
        try (PreparedStatement s = db.prepareStatement("""
                INSERT OR IGNORE INTO messages (owner, conversation, id, sender, sent_at, received_at, text, state,
                    signature)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)""")) {
            s.setString(1, lower(owner));
            s.setString(2, conversation);
            s.setString(3, id);
            s.setString(4, sender);
            if (sentAt == null) {
                s.setNull(5, Types.INTEGER);
            } else {
                s.setLong(5, sentAt.toEpochMilli());
            }
            s.setLong(6, receivedAt.toEpochMilli());
            s.setString(7, text);
            s.setString(8, state.name());
            s.setString(9, signature);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The state of this user's own room message {@code id} (never of one received). */
    public synchronized void roomOutcome(String owner, String id, HistoryLine.State state) throws IOException {
        try (PreparedStatement s = db.prepareStatement(
                "UPDATE messages SET state = ? WHERE owner = ? AND id = ? AND conversation LIKE '#%' AND state <> 'RECEIVED'")) {
            s.setString(1, state.name());
            s.setString(2, lower(owner));
            s.setString(3, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The outcome of this user's one-to-one message {@code id} to {@code to}. */
    public synchronized void directOutcome(String owner, String id, String to, HistoryLine.State state)
            throws IOException {
        try (PreparedStatement s = db.prepareStatement(
                "UPDATE messages SET state = ? WHERE owner = ? AND id = ? AND conversation = ? AND state <> 'RECEIVED'")) {
            s.setString(1, state.name());
            s.setString(2, lower(owner));
            s.setString(3, id);
            s.setString(4, HistoryLine.direct(to));
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Room member {@code member} confirmed this user's room message {@code id}. */
    public synchronized void deliveredTo(String owner, String id, String member) throws IOException {
        try (PreparedStatement s = db.prepareStatement("""
                UPDATE messages SET delivered_to = CASE WHEN delivered_to = '' THEN ? ELSE delivered_to || ',' || ? END
                WHERE owner = ? AND id = ? AND conversation LIKE '#%' AND state <> 'RECEIVED'""")) {
            s.setString(1, member);
            s.setString(2, member);
            s.setString(3, lower(owner));
            s.setString(4, id);
            s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** The last {@code n} messages of a conversation, oldest first. */
    public synchronized List<HistoryLine> last(String owner, String conversation, int n) throws IOException {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT * FROM messages WHERE owner = ? AND conversation = ? ORDER BY seq DESC LIMIT ?")) {
            s.setString(1, lower(owner));
            s.setString(2, conversation);
            s.setInt(3, n);
            List<HistoryLine> lines = read(s);
            Collections.reverse(lines);
            return lines;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** This user's conversations, the most recently active first. */
    public synchronized List<String> conversations(String owner) throws IOException {
        try (PreparedStatement s = db.prepareStatement(
                "SELECT conversation FROM messages WHERE owner = ? GROUP BY conversation ORDER BY MAX(seq) DESC")) {
            s.setString(1, lower(owner));
            List<String> out = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    out.add(r.getString(1));
                }
            }
            return out;
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /**
     * Messages of any of this user's conversations containing every word of {@code words} (as a word or the start
     * of one, without regard to case or diacritics), the newest first. The words are quoted, so nothing the user
     * types is read as FTS5 syntax.
     */
    public synchronized List<HistoryLine> search(String owner, String words, int limit) throws IOException {
        String query = Arrays.stream(words.trim().split("\\s+")).filter(w -> !w.isEmpty())
                .map(w -> "\"" + w.replace("\"", "\"\"") + "\"*").reduce((a, b) -> a + " " + b).orElse(null);
        if (query == null) {
            return List.of();
        }
        try (PreparedStatement s = db.prepareStatement("""
                SELECT m.* FROM messages_text JOIN messages m ON m.seq = messages_text.rowid
                WHERE messages_text MATCH ? AND m.owner = ? ORDER BY m.seq DESC LIMIT ?""")) {
            s.setString(1, query);
            s.setString(2, lower(owner));
            s.setInt(3, limit);
            return read(s);
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** Deletes a conversation's messages; how many. */
    public synchronized int forget(String owner, String conversation) throws IOException {
        try (PreparedStatement s = db.prepareStatement("DELETE FROM messages WHERE owner = ? AND conversation = ?")) {
            s.setString(1, lower(owner));
            s.setString(2, conversation);
            return s.executeUpdate();
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private static List<HistoryLine> read(PreparedStatement s) throws SQLException {
        List<HistoryLine> lines = new ArrayList<>();
        try (ResultSet r = s.executeQuery()) {
            while (r.next()) {
                long sent = r.getLong("sent_at");
                Instant sentAt = r.wasNull() ? null : Instant.ofEpochMilli(sent);
                String to = r.getString("delivered_to");
                lines.add(new HistoryLine(r.getString("id"), r.getString("conversation"), r.getString("sender"),
                        sentAt, Instant.ofEpochMilli(r.getLong("received_at")), r.getString("text"),
                        HistoryLine.State.valueOf(r.getString("state")),
                        to.isEmpty() ? List.of() : List.of(to.split(","))));
            }
        }
        return lines;
    }

    private IOException failure(SQLException e) {
        return new IOException("the chat history " + file + " failed: " + e.getMessage(), e);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    @Override
    public synchronized void close() {
        try {
            db.close();
        } catch (SQLException e) {
            // closing a read-write connection only fails when it is already closed
        }
    }
}
