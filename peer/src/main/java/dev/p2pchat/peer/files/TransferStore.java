package dev.p2pchat.peer.files;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The transfers that must outlive this process, one small properties file each (mode 0600) under
 * {@code <data-dir>/files}: {@code out/ID} for this user's offers (a restarted sender can still serve a resume)
 * and {@code in/ID} for accepted incoming files (the sidecar of the {@code .NAME.part} file, so a restarted
 * receiver knows what it holds and from whom). Written whole to a temporary file and moved into place.
 */
public final class TransferStore {
    private static final Logger LOG = LoggerFactory.getLogger(TransferStore.class);

    /** An offer this user made: {@code file} as it was when offered (size, modification time). */
    public record Outgoing(String id, String from, String to, Path file, String name, long size, String sha256,
                           long modifiedMillis, long offeredAtMillis, boolean requested) {
        public Outgoing asRequested() {
            return new Outgoing(id, from, to, file, name, size, sha256, modifiedMillis, offeredAtMillis, true);
        }
    }

    /** An offer this user accepted: the bytes go to {@code part}, then to a free name in {@code dir}. */
    public record Incoming(String id, String from, String to, String name, long size, String sha256, Path dir,
                           Path part) {
    }

    private final Path out;
    private final Path in;

    public TransferStore(Path dataDir) {
        this.out = dataDir.resolve("files").resolve("out");
        this.in = dataDir.resolve("files").resolve("in");
    }

    public void save(Outgoing o) throws IOException {
        Properties p = new Properties();
        p.setProperty("id", o.id());
        p.setProperty("from", o.from());
        p.setProperty("to", o.to());
        p.setProperty("file", o.file().toString());
        p.setProperty("name", o.name());
        p.setProperty("size", Long.toString(o.size()));
        p.setProperty("sha256", o.sha256());
        p.setProperty("modified", Long.toString(o.modifiedMillis()));
        p.setProperty("offered_at", Long.toString(o.offeredAtMillis()));
        p.setProperty("requested", Boolean.toString(o.requested()));
        write(out, o.id(), p);
    }

    public void save(Incoming i) throws IOException {
        Properties p = new Properties();
        p.setProperty("id", i.id());
        p.setProperty("from", i.from());
        p.setProperty("to", i.to());
        p.setProperty("name", i.name());
        p.setProperty("size", Long.toString(i.size()));
        p.setProperty("sha256", i.sha256());
        p.setProperty("dir", i.dir().toString());
        p.setProperty("part", i.part().toString());
        write(in, i.id(), p);
    }

    public Optional<Outgoing> outgoing(String id) {
        return read(out, id).map(TransferStore::outgoing);
    }

    public List<Outgoing> outgoing() {
        return all(out).stream().map(TransferStore::outgoing).toList();
    }

    public List<Incoming> incoming() {
        return all(in).stream().map(p -> new Incoming(p.getProperty("id"), p.getProperty("from"), p.getProperty("to"),
                p.getProperty("name"), Long.parseLong(p.getProperty("size")), p.getProperty("sha256"),
                Path.of(p.getProperty("dir")), Path.of(p.getProperty("part")))).toList();
    }

    public void forgetOutgoing(String id) {
        delete(out.resolve(id));
    }

    public void forgetIncoming(String id) {
        delete(in.resolve(id));
    }

    private static Outgoing outgoing(Properties p) {
        return new Outgoing(p.getProperty("id"), p.getProperty("from"), p.getProperty("to"),
                Path.of(p.getProperty("file")), p.getProperty("name"), Long.parseLong(p.getProperty("size")),
                p.getProperty("sha256"), Long.parseLong(p.getProperty("modified")),
                Long.parseLong(p.getProperty("offered_at")), Boolean.parseBoolean(p.getProperty("requested")));
    }

    private static void write(Path dir, String id, Properties p) throws IOException {
        createPrivate(dir.getParent());
        createPrivate(dir);
        Path tmp = dir.resolve("." + id + ".tmp");
        Files.deleteIfExists(tmp);
        createPrivateFile(tmp);
        try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            p.store(w, "p2pchat file transfer");
        }
        Files.move(tmp, dir.resolve(id), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static Optional<Properties> read(Path dir, String id) {
        Path file = dir.resolve(id);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            Properties p = new Properties();
            p.load(r);
            return Optional.of(p);
        } catch (IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring the unreadable transfer record {}: {}", file, e.toString());
            return Optional.empty();
        }
    }

    private static List<Properties> all(Path dir) {
        List<Properties> found = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return found;
        }
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, f -> !f.getFileName().toString().startsWith("."))) {
            for (Path f : files) {
                read(dir, f.getFileName().toString()).filter(TransferStore::complete).ifPresent(found::add);
            }
        } catch (IOException e) {
            LOG.warn("Cannot list the transfer records in {}: {}", dir, e.toString());
        }
        return found;
    }

    private static boolean complete(Properties p) {
        try {
            Long.parseLong(p.getProperty("size"));
            return p.getProperty("id") != null && p.getProperty("from") != null && p.getProperty("to") != null;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static void delete(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            LOG.warn("Cannot delete the transfer record {}: {}", file, e.toString());
        }
    }

    /** Creates {@code dir} mode 0700 if it does not exist. */
    public static void createPrivate(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        Files.createDirectories(dir);
        if (posix(dir)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** Creates an empty file mode 0600 (whatever the umask). */
    public static void createPrivateFile(Path file) throws IOException {
        if (posix(file.getParent())) {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } else {
            Files.createFile(file);
        }
    }

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }
}
