package dev.p2pchat.peer.history;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ChatHistoryTest {
    @TempDir
    Path dir;

    private final Instant t = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void messagesSurviveReopeningInOrderWithTheirStates() throws Exception {
        Path file = dir.resolve("history.db");
        try (ChatHistory h = ChatHistory.open(file)) {
            h.sent("alice", "@bob", "1", t, "hi bob");
            h.received("alice", "@bob", "2", "bob", t.plusSeconds(1), t.plusSeconds(2), "hi alice");
            h.received("alice", "@bob", "2", "bob", t.plusSeconds(1), t.plusSeconds(3), "hi alice");
            h.directOutcome("alice", "1", "bob", HistoryLine.State.DELIVERED);
        }
        try (ChatHistory h = ChatHistory.open(file)) {
            assertThat(h.last("alice", "@bob", 10)).extracting(HistoryLine::text, HistoryLine::state)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("hi bob", HistoryLine.State.DELIVERED),
                            org.assertj.core.groups.Tuple.tuple("hi alice", HistoryLine.State.RECEIVED));
            assertThat(h.last("bob", "@bob", 10)).isEmpty();
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        for (String suffix : new String[] {"-wal", "-shm"}) {
            Path side = dir.resolve("history.db" + suffix);
            if (Files.exists(side)) {
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(side))).isEqualTo("rw-------");
            }
        }
    }

    @Test
    void searchFindsWordsAcrossConversationsWithNonAsciiTextAndFoldedDiacritics() throws Exception {
        try (ChatHistory h = ChatHistory.open(dir.resolve("history.db"))) {
            h.received("alice", "@bob", "1", "bob", t, t, "Grüße aus München, see you at the café");
            h.sent("alice", "#lobby", "2", t, "привет всем");
            h.sent("alice", "#lobby", "3", t, "nothing to see");

            assertThat(h.search("alice", "münchen", 10)).extracting(HistoryLine::conversation).containsExactly("@bob");
            assertThat(h.search("alice", "cafe", 10)).extracting(HistoryLine::id).containsExactly("1");
            assertThat(h.search("alice", "привет", 10)).extracting(HistoryLine::conversation)
                    .containsExactly("#lobby");
            assertThat(h.search("alice", "ПРИВ", 10)).extracting(HistoryLine::id).containsExactly("2");
            assertThat(h.search("alice", "see", 10)).extracting(HistoryLine::id).containsExactly("3", "1");
            assertThat(h.search("alice", "\"unbalanced OR", 10)).isEmpty();
            assertThat(h.search("bob", "münchen", 10)).isEmpty();
        }
    }

    @Test
    void forgetDeletesOneConversationAndItsSearchHits() throws Exception {
        try (ChatHistory h = ChatHistory.open(dir.resolve("history.db"))) {
            h.sent("alice", "@bob", "1", t, "secret plan");
            h.sent("alice", "@carol", "2", t, "secret recipe");

            assertThat(h.forget("alice", "@bob")).isEqualTo(1);

            assertThat(h.last("alice", "@bob", 10)).isEmpty();
            assertThat(h.search("alice", "secret", 10)).extracting(HistoryLine::id).containsExactly("2");
            assertThat(h.conversations("alice")).containsExactly("@carol");
        }
    }
}
