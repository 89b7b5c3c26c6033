package dev.p2pchat.peer.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OutboxTest {
    @TempDir
    Path dir;

    private static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

    private static OutboxEntry direct(String id, String to, String text, Instant at) {
        return new OutboxEntry(OutboxEntry.Kind.DIRECT, id, "alice", to, null, at, at.plusSeconds(120), text);
    }

    @Test
    void entriesSurviveReopeningAndComeBackOldestFirst() throws Exception {
        Outbox outbox = new Outbox(dir);
        OutboxEntry later = direct("m2", "bob", "second", T0.plusSeconds(5));
        OutboxEntry earlier = direct("m1", "carol", "first\nwith two lines ünd ümlauts", T0);
        OutboxEntry room = new OutboxEntry(OutboxEntry.Kind.ROOM, "m3", "alice", "bob", "lobby", T0.plusSeconds(9),
                T0.plusSeconds(129), "to the room");
        outbox.add(later);
        outbox.add(earlier);
        outbox.add(room);

        assertThat(new Outbox(dir).load("alice")).containsExactly(earlier, later, room);
    }

    @Test
    void removedEntriesAreGoneAndRemovingTwiceIsHarmless() throws Exception {
        Outbox outbox = new Outbox(dir);
        OutboxEntry entry = direct("m1", "bob", "hi", T0);
        outbox.add(entry);
        outbox.remove(entry);
        outbox.remove(entry);
        assertThat(outbox.load("alice")).isEmpty();
    }

    @Test
    void eachSenderSeesOnlyItsOwnEntries() throws Exception {
        Outbox outbox = new Outbox(dir);
        outbox.add(direct("m1", "bob", "from alice", T0));
        outbox.add(new OutboxEntry(OutboxEntry.Kind.DIRECT, "m9", "bob", "alice", null, T0, T0, "from bob"));
        assertThat(outbox.load("alice")).extracting(OutboxEntry::text).containsExactly("from alice");
        assertThat(outbox.load("bob")).extracting(OutboxEntry::text).containsExactly("from bob");
        assertThat(outbox.load("nobody")).isEmpty();
    }

    @Test
    void copiesOfOneRoomMessageAreKeptApart() throws Exception {
        Outbox outbox = new Outbox(dir);
        for (String member : new String[] {"bob", "carol"}) {
            outbox.add(new OutboxEntry(OutboxEntry.Kind.ROOM, "m1", "alice", member, "lobby", T0, T0, "hello"));
        }
        assertThat(outbox.load("alice")).extracting(OutboxEntry::recipient).containsExactlyInAnyOrder("bob", "carol");
    }

    @Test
    void halfWrittenAndCorruptFilesDoNotStopTheRest() throws Exception {
        Outbox outbox = new Outbox(dir);
        outbox.add(direct("m1", "bob", "intact", T0));
        Path senderDir = dir.resolve("alice");
        Files.writeString(senderDir.resolve("m2.bob.tmp"), "PENDING\nkind: DIR");
        Files.writeString(senderDir.resolve("m3.bob.msg"), "garbage without a header block");

        assertThat(outbox.load("alice")).extracting(OutboxEntry::text).containsExactly("intact");
        assertThat(senderDir.resolve("m2.bob.tmp")).doesNotExist();
        assertThat(senderDir.resolve("m3.bob.msg.corrupt")).exists();
    }

    @Test
    void textIsNeverPrintedByToString() {
        assertThat(direct("m1", "bob", "secret text", T0).toString()).doesNotContain("secret");
    }
}
