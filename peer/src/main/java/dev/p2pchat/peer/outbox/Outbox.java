package dev.p2pchat.peer.outbox;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Headers;
import dev.p2pchat.protocol.Names;
import dev.p2pchat.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable half of "no message silently lost": every undelivered copy is one small file
 * {@code outbox/<sender>/<id>.<recipient>.msg}, written to a temporary file, forced to disk and renamed into
 * place, and deleted once the copy is confirmed or given up. A crash therefore leaves either the whole entry
 * or none; stray temporary files are removed on load. The file holds the entry in the wire format
 * (headers, then the text as payload), so no second parser exists.
 *
 * <p>This class only stores; it never sends and never logs message text.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String VERB = "PENDING";
    private static final String SUFFIX = ".msg";
    private static final String TEMP_SUFFIX = ".tmp";

    private final Path root;

    public Outbox(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    public Path root() {
        return root;
    }

    /** Persists the entry; when this returns, it survives a crash. */
    public void add(OutboxEntry entry) throws IOException {
        Path dir = senderDir(entry.sender());
        Files.createDirectories(dir);
        Path target = dir.resolve(entry.key() + SUFFIX);
        Path temp = dir.resolve(entry.key() + TEMP_SUFFIX);
        byte[] bytes = FrameWriter.encode(toFrame(entry));
        try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(java.nio.ByteBuffer.wrap(bytes));
            channel.force(true);
        }
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    /** Forgets the entry; a missing file is fine (already removed). */
    public void remove(OutboxEntry entry) throws IOException {
        Files.deleteIfExists(senderDir(entry.sender()).resolve(entry.key() + SUFFIX));
    }

    /** Every entry {@code sender} left undelivered, oldest first. Unreadable files are kept aside and logged. */
    public List<OutboxEntry> load(String sender) throws IOException {
        Path dir = senderDir(sender);
        List<OutboxEntry> entries = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SUFFIX)) {
                    OutboxEntry entry = read(file);
                    if (entry != null && entry.sender().equals(sender)) {
                        entries.add(entry);
                    }
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        entries.sort(Comparator.comparing(OutboxEntry::sentAt).thenComparing(OutboxEntry::key));
        return entries;
    }

    private Path senderDir(String sender) {
        if (!Names.isValidUsername(sender)) {
            throw new IllegalArgumentException("not a valid username: " + sender);
        }
        return root.resolve(sender);
    }

    private static OutboxEntry read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Frame frame = new FrameReader(in).read();
            if (frame == null || !frame.verb().equals(VERB)) {
                throw new IOException("not an outbox entry");
            }
            String room = frame.header("room");
            return new OutboxEntry(OutboxEntry.Kind.valueOf(frame.header("kind")), frame.header("id"),
                    frame.header("sender"), frame.header("recipient"), room,
                    Instant.ofEpochMilli(Long.parseLong(frame.header("sent_at"))),
                    Instant.ofEpochMilli(Long.parseLong(frame.header("deadline"))), frame.payload());
        } catch (IOException | ProtocolException | RuntimeException e) {
            Path aside = file.resolveSibling(file.getFileName() + ".corrupt");
            LOG.warn("Outbox file {} is unreadable ({}); moved to {}", file, e.toString(), aside.getFileName());
            try {
                Files.move(file, aside, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException moveFailed) {
                LOG.warn("Could not move {} aside: {}", file, moveFailed.toString());
            }
            return null;
        }
    }

    private static Frame toFrame(OutboxEntry entry) {
        Headers headers = Headers.builder().put("kind", entry.kind().name()).put("id", entry.id())
                .put("sender", entry.sender()).put("recipient", entry.recipient()).put("room", entry.room())
                .put("sent_at", entry.sentAt().toEpochMilli()).put("deadline", entry.deadline().toEpochMilli())
                .build();
        return Frame.request(VERB, headers).withPayload(entry.text());
    }

    /** Makes the rename itself durable; not every platform allows opening a directory, which is fine. */
    private static void forceDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            LOG.trace("Cannot force directory {}: {}", dir, e.toString());
        }
    }
}
