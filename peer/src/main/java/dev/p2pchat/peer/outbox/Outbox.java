package dev.p2pchat.peer.outbox;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Headers;
import dev.p2pchat.protocol.Names;
import dev.p2pchat.protocol.ProtocolException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable half of "no message silently lost". Each undelivered message is one record
 * {@code outbox/<sender>/<id>.msg} holding the message and its whole recipient set, written once (temporary
 * file, forced, renamed, directory forced) before any copy leaves: two fsyncs per message, however many
 * recipients. Settled recipients are appended to {@code <id>.settled}, one name a line, without forcing: a
 * settlement lost in a crash only means that copy is sent again, and receivers drop duplicates by id. Once
 * every recipient is settled both files go.
 *
 * <p>Files are 0600 and directories 0700 whatever the umask (the records hold message text). Records in the
 * format before this one ({@code <id>.<recipient>.msg}, one file per copy) are migrated on load, with one log
 * line. This class only stores; it never sends and never logs message text.
 */
public final class Outbox {
    private static final Logger LOG = LoggerFactory.getLogger(Outbox.class);
    private static final String VERB = "MESSAGE";
    private static final String OLD_VERB = "PENDING";
    private static final String SUFFIX = ".msg";
    private static final String SETTLED_SUFFIX = ".settled";
    private static final String TEMP_SUFFIX = ".tmp";
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path root;
    /** Recipients not yet settled, per message key (sender + id); the only in-memory state. Guarded by this. */
    private final Map<String, Set<String>> unsettled = new HashMap<>();

    public Outbox(Path root) throws IOException {
        this.root = root;
        createPrivateDirectory(root);
    }

    public Path root() {
        return root;
    }

    /**
     * Persists one message with all its copies (same id, sender and text; one per recipient). When this returns,
     * the message survives a crash. An empty list stores nothing.
     */
    public void add(List<OutboxEntry> copies) throws IOException {
        if (copies.isEmpty()) {
            return;
        }
        OutboxEntry first = copies.get(0);
        Set<String> recipients = new LinkedHashSet<>();
        for (OutboxEntry copy : copies) {
            if (!copy.withRecipient(first.recipient()).equals(first)) {
                throw new IllegalArgumentException("copies of one message must differ only in their recipient");
            }
            recipients.add(copy.recipient());
        }
        Path dir = senderDir(first.sender());
        createPrivateDirectory(dir);
        writeDurably(dir, first.id(), FrameWriter.encode(toFrame(first, recipients)));
        synchronized (this) {
            unsettled.put(key(first.sender(), first.id()), recipients);
        }
    }

    /** Persists a single copy (a message with one recipient). */
    public void add(OutboxEntry entry) throws IOException {
        add(List.of(entry));
    }

    /**
     * Records that this copy is settled (confirmed or given up); after the last recipient the record is deleted.
     * Settling twice, or a copy never stored, is harmless.
     */
    public void settle(OutboxEntry entry) throws IOException {
        String key = key(entry.sender(), entry.id());
        boolean last;
        synchronized (this) {
            Set<String> left = unsettled.get(key);
            if (left == null || !left.remove(entry.recipient())) {
                return;
            }
            last = left.isEmpty();
            if (last) {
                unsettled.remove(key);
            }
        }
        Path dir = senderDir(entry.sender());
        if (last) {
            Files.deleteIfExists(dir.resolve(entry.id() + SUFFIX));
            Files.deleteIfExists(dir.resolve(entry.id() + SETTLED_SUFFIX));
            return;
        }
        Path log = dir.resolve(entry.id() + SETTLED_SUFFIX);
        try (FileChannel channel = FileChannel.open(log, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), privateFile(log))) {
            channel.write(ByteBuffer.wrap((entry.recipient() + "\n").getBytes(StandardCharsets.UTF_8)));
        }
    }

    /** Same as {@link #settle}. */
    public void remove(OutboxEntry entry) throws IOException {
        settle(entry);
    }

    /**
     * Every copy {@code sender} left unsettled, oldest message first. Unreadable records are moved aside and
     * logged; stray temporary files are removed; old-format files are migrated.
     */
    public List<OutboxEntry> load(String sender) throws IOException {
        Path dir = senderDir(sender);
        List<OutboxEntry> entries = new ArrayList<>();
        Map<String, List<OutboxEntry>> oldFormat = new LinkedHashMap<>();
        List<Path> oldFiles = new ArrayList<>();
        List<Path> settledLogs = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            restrict(dir, DIR_MODE);
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(TEMP_SUFFIX)) {
                    Files.deleteIfExists(file);
                } else if (name.endsWith(SETTLED_SUFFIX)) {
                    settledLogs.add(file);
                } else if (name.endsWith(SUFFIX)) {
                    restrict(file, FILE_MODE);
                    List<OutboxEntry> copies = read(file);
                    if (copies == null || copies.isEmpty() || !copies.get(0).sender().equals(sender)) {
                        continue;
                    }
                    if (isOldFormat(name)) {
                        oldFiles.add(file);
                        oldFormat.computeIfAbsent(copies.get(0).id(), id -> new ArrayList<>()).addAll(copies);
                        continue;
                    }
                    Set<String> settled = readSettled(dir.resolve(copies.get(0).id() + SETTLED_SUFFIX));
                    List<OutboxEntry> left = copies.stream().filter(c -> !settled.contains(c.recipient())).toList();
                    remember(sender, copies.get(0).id(), left);
                    if (left.isEmpty()) {
                        Files.deleteIfExists(file);
                        Files.deleteIfExists(dir.resolve(copies.get(0).id() + SETTLED_SUFFIX));
                    }
                    entries.addAll(left);
                }
            }
        } catch (NoSuchFileException e) {
            return List.of();
        }
        for (Path log : settledLogs) {
            // A crash between deleting a finished record and its log leaves the log alone: drop it.
            String name = log.getFileName().toString();
            if (!Files.exists(dir.resolve(name.substring(0, name.length() - SETTLED_SUFFIX.length()) + SUFFIX))) {
                Files.deleteIfExists(log);
            }
        }
        if (!oldFiles.isEmpty()) {
            // Written by the earlier format (one file per copy): rewrite each message as one record.
            for (List<OutboxEntry> copies : oldFormat.values()) {
                add(copies);
                entries.addAll(copies);
            }
            for (Path old : oldFiles) {
                Files.deleteIfExists(old);
            }
            LOG.info("Migrated {} outbox file(s) of the earlier one-file-per-copy format into {} message record(s)",
                    oldFiles.size(), oldFormat.size());
        }
        entries.sort(Comparator.comparing(OutboxEntry::sentAt).thenComparing(OutboxEntry::id)
                .thenComparing(OutboxEntry::recipient));
        return entries;
    }

    private synchronized void remember(String sender, String id, List<OutboxEntry> left) {
        if (left.isEmpty()) {
            unsettled.remove(key(sender, id));
        } else {
            Set<String> recipients = new LinkedHashSet<>();
            left.forEach(c -> recipients.add(c.recipient()));
            unsettled.put(key(sender, id), recipients);
        }
    }

    private static String key(String sender, String id) {
        return sender + "/" + id;
    }

    /** The earlier format named files {@code <id>.<recipient>.msg}; ids never contain dots. */
    private static boolean isOldFormat(String name) {
        return name.substring(0, name.length() - SUFFIX.length()).contains(".");
    }

    private Path senderDir(String sender) {
        if (!Names.isValidUsername(sender)) {
            throw new IllegalArgumentException("not a valid username: " + sender);
        }
        return root.resolve(sender);
    }

    private static Set<String> readSettled(Path log) {
        try {
            // A line torn by a crash is no valid name and simply matches no recipient.
            return new HashSet<>(Arrays.asList(Files.readString(log, StandardCharsets.UTF_8).split("\n")));
        } catch (NoSuchFileException e) {
            return Set.of();
        } catch (IOException e) {
            LOG.warn("Cannot read {} ({}); its copies are sent again", log, e.toString());
            return Set.of();
        }
    }

    private static List<OutboxEntry> read(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            Frame frame = new FrameReader(in).read();
            if (frame == null) {
                throw new IOException("empty");
            }
            String room = frame.header("room");
            OutboxEntry.Kind kind = OutboxEntry.Kind.valueOf(frame.header("kind"));
            Instant sentAt = Instant.ofEpochMilli(Long.parseLong(frame.header("sent_at")));
            Instant deadline = Instant.ofEpochMilli(Long.parseLong(frame.header("deadline")));
            List<String> recipients = switch (frame.verb()) {
                case VERB -> List.of(frame.header("recipients").split(","));
                case OLD_VERB -> List.of(frame.header("recipient"));
                default -> throw new IOException("not an outbox record");
            };
            List<OutboxEntry> copies = new ArrayList<>();
            for (String recipient : recipients) {
                copies.add(new OutboxEntry(kind, frame.header("id"), frame.header("sender"), recipient, room, sentAt,
                        deadline, frame.payload()));
            }
            return copies;
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

    private static Frame toFrame(OutboxEntry entry, Set<String> recipients) {
        Headers headers = Headers.builder().put("kind", entry.kind().name()).put("id", entry.id())
                .put("sender", entry.sender()).put("recipients", String.join(",", recipients))
                .put("room", entry.room()).put("sent_at", entry.sentAt().toEpochMilli())
                .put("deadline", entry.deadline().toEpochMilli()).build();
        return Frame.request(VERB, headers).withPayload(entry.text());
    }

    private static void writeDurably(Path dir, String id, byte[] bytes) throws IOException {
        Path target = dir.resolve(id + SUFFIX);
        Path temp = dir.resolve(id + TEMP_SUFFIX);
        Files.deleteIfExists(temp);
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), privateFile(temp))) {
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        restrict(temp, FILE_MODE);
        try {
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(dir);
    }

    private static FileAttribute<?>[] privateFile(Path path) {
        return isPosix(path) ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)}
                : new FileAttribute<?>[0];
    }

    /** Creates the directory (and parents) and makes it 0700, also when it existed with wider rights. */
    static void createPrivateDirectory(Path dir) throws IOException {
        if (isPosix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
        } else {
            Files.createDirectories(dir);
        }
        restrict(dir, DIR_MODE);
    }

    /** The umask can only take rights away from what we ask for; this also narrows files of earlier versions. */
    private static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (isPosix(path) && !Files.getPosixFilePermissions(path).equals(mode)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
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
