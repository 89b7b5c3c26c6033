package dev.p2pchat.peer.contacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ContactBookTest {
    private static final String OLD = "a".repeat(64);
    private static final String NEW = "b".repeat(64);

    @TempDir
    Path dir;

    @Test
    void theFirstKeyIsPinnedAnotherIsRefusedAndWarnedAboutOnceUntilTrusted() throws Exception {
        ContactBook book = ContactBook.open(dir.resolve("contacts"));

        assertThat(book.observe("alice", "Bob", OLD, null)).isInstanceOf(Seen.FirstContact.class);
        assertThat(book.observe("alice", "bob", OLD, null)).isInstanceOf(Seen.Pinned.class);
        Seen first = book.observe("alice", "bob", NEW, "cert");
        Seen again = book.observe("alice", "bob", NEW, null);

        assertThat(first.accepted()).isFalse();
        assertThat(((Seen.Changed) first).fresh()).isTrue();
        assertThat(((Seen.Changed) again).fresh()).isFalse();
        assertThat(book.get("alice", "bob").orElseThrow().state()).isEqualTo(Contact.State.CHANGED);
        assertThat(book.markVerified("alice", "bob").orElseThrow().verified()).isFalse();

        Contact trusted = book.trustOffered("alice", "bob").orElseThrow();

        assertThat(trusted.fingerprint()).isEqualTo(NEW);
        assertThat(trusted.certificate()).isEqualTo("cert");
        assertThat(trusted.state()).isEqualTo(Contact.State.UNVERIFIED);
        assertThat(book.observe("alice", "bob", NEW, null).accepted()).isTrue();
        assertThat(book.observe("alice", "bob", OLD, null).accepted()).isFalse();
    }

    @Test
    void pinsAreKeptPerLocalUserAndSurviveReopening() throws Exception {
        ContactBook book = ContactBook.open(dir.resolve("contacts"));
        book.observe("alice", "bob", OLD, "cert");
        book.markVerified("alice", "bob");
        book.observe("carol", "bob", NEW, null);

        ContactBook reopened = ContactBook.open(dir.resolve("contacts"));

        assertThat(reopened.list("alice")).singleElement().satisfies(c -> {
            assertThat(c.fingerprint()).isEqualTo(OLD);
            assertThat(c.certificate()).isEqualTo("cert");
            assertThat(c.state()).isEqualTo(Contact.State.VERIFIED);
        });
        assertThat(reopened.list("carol")).singleElement().extracting(Contact::fingerprint).isEqualTo(NEW);
    }

    @Test
    void aDamagedFileIsRefusedNotTakenAsNoPins() throws Exception {
        Files.writeString(dir.resolve("contacts"), "alice\tbob\tnot-a-fingerprint\tu\t-\t-\t-\n");

        assertThatThrownBy(() -> ContactBook.open(dir.resolve("contacts"))).isInstanceOf(IOException.class)
                .hasMessageContaining("line 1");
    }
}
