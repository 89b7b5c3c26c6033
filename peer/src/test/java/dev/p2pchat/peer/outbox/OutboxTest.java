package dev.p2pchat.peer.outbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
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
        outbox.add(List.of(roomCopy("m1", "bob"), roomCopy("m1", "carol")));
        assertThat(outbox.load("alice")).extracting(OutboxEntry::recipient).containsExactlyInAnyOrder("bob", "carol");
    }

    private static OutboxEntry roomCopy(String id, String to) {
        return new OutboxEntry(OutboxEntry.Kind.ROOM, id, "alice", to, "lobby", T0, T0.plusSeconds(120), "hello");
    }

    @Test
    void aRoomMessageIsOneRecordWhateverTheNumberOfMembers() throws Exception {
        Outbox outbox = new Outbox(dir);
        List<OutboxEntry> copies = IntStream.range(0, 50).mapToObj(i -> roomCopy("m1", "member" + i)).toList();
        outbox.add(copies);
        try (Stream<Path> files = Files.list(dir.resolve("alice"))) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("m1.msg");
        }
        assertThat(new Outbox(dir).load("alice")).containsExactlyInAnyOrderElementsOf(copies);
    }

    @Test
    void settledRecipientsAreNotSentAgainAfterReopeningAndTheLastOneDeletesTheRecord() throws Exception {
        Outbox outbox = new Outbox(dir);
        outbox.add(List.of(roomCopy("m1", "bob"), roomCopy("m1", "carol"), roomCopy("m1", "dave")));
        outbox.settle(roomCopy("m1", "carol"));

        Outbox reopened = new Outbox(dir);
        assertThat(reopened.load("alice")).extracting(OutboxEntry::recipient).containsExactly("bob", "dave");
        reopened.settle(roomCopy("m1", "bob"));
        reopened.settle(roomCopy("m1", "dave"));
        try (Stream<Path> files = Files.list(dir.resolve("alice"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void recordsAndDirectoriesAreOwnerOnlyEvenWhenTheDirectoryExistedWorldReadable() throws Exception {
        Files.createDirectories(dir.resolve("alice"));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.setPosixFilePermissions(dir.resolve("alice"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Outbox outbox = new Outbox(dir);
        outbox.add(List.of(roomCopy("m1", "bob"), roomCopy("m1", "carol")));
        outbox.settle(roomCopy("m1", "bob"));

        assertThat(mode(dir)).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("alice"))).isEqualTo("rwx------");
        assertThat(mode(dir.resolve("alice/m1.msg"))).isEqualTo("rw-------");
        assertThat(mode(dir.resolve("alice/m1.settled"))).isEqualTo("rw-------");
    }

    @Test
    void filesOfTheEarlierOneFilePerCopyFormatAreMigratedIntoOneRecord() throws Exception {
        Path senderDir = Files.createDirectories(dir.resolve("alice"));
        for (String to : List.of("bob", "carol")) {
            Files.writeString(senderDir.resolve("m1." + to + ".msg"), "PENDING\nkind: ROOM\nid: m1\nsender: alice\n"
                    + "recipient: " + to + "\nroom: lobby\nsent_at: " + T0.toEpochMilli() + "\ndeadline: "
                    + T0.plusSeconds(120).toEpochMilli() + "\ncontent-length: 5\n\nhello");
        }
        assertThat(new Outbox(dir).load("alice")).containsExactly(roomCopy("m1", "bob"), roomCopy("m1", "carol"));
        try (Stream<Path> files = Files.list(senderDir)) {
            assertThat(files.map(f -> f.getFileName().toString())).containsExactly("m1.msg");
        }
        assertThat(new Outbox(dir).load("alice")).hasSize(2);
    }

    private static String mode(Path p) throws Exception {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
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
