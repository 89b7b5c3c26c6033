package dev.p2pchat.peer.contacts;

import dev.p2pchat.security.Fingerprints;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity keys this data directory's users have pinned (trust on first use), in one small text file (mode
 * 0600, in a 0700 directory) rewritten atomically at every change, so that pins survive restarts and a crash never
 * leaves half a file. One line per (local user, contact): tab-separated owner, user, fingerprint, {@code v} or
 * {@code u}, certificate, offered fingerprint, offered certificate ({@code -} for none). Names are kept lowercase:
 * the registry compares them without case.
 *
 * <p>All state is guarded by this object; the file is written under the lock too, so that writes land in the order
 * the changes were made (they are a few hundred bytes per contact).
 */
public final class ContactBook {
    private static final Logger LOG = LoggerFactory.getLogger(ContactBook.class);
    private static final String HEADER = "# p2pchat contacts v1: owner user fingerprint v|u certificate offered offered-certificate";
    private static final Set<PosixFilePermission> FILE_MODE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path file;
    private final Map<String, Contact> contacts = new LinkedHashMap<>();
    /** owner, user, offered fingerprint: changed keys already warned about in this run. */
    private final Set<String> warned = new HashSet<>();

    private ContactBook(Path file) {
        this.file = file;
    }

    /** Reads the pins in {@code file} (none when it does not exist yet). */
    public static ContactBook open(Path file) throws IOException {
        ContactBook book = new ContactBook(file);
        if (Files.exists(file)) {
            restrict(file, FILE_MODE);
            int n = 0;
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                n++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f.length != 7 || !Fingerprints.isValid(f[2]) || !(f[3].equals("v") || f[3].equals("u"))
                        || !(f[5].equals("-") || Fingerprints.isValid(f[5]))) {
                    throw new IOException(file + " line " + n + " is not a contact");
                }
                Contact c = new Contact(f[0], f[1], f[2], none(f[4]), f[3].equals("v"), none(f[5]), none(f[6]));
                book.contacts.put(key(c.owner(), c.user()), c);
            }
        }
        return book;
    }

    public Path file() {
        return file;
    }

    /**
     * {@code owner} sees {@code fingerprint} (and maybe its {@code certificate}, base64 DER) as {@code user}'s key:
     * pinned if it is the first, accepted if it is the pinned one, remembered as offered and refused otherwise.
     */
    public synchronized Seen observe(String owner, String user, String fingerprint, String certificate) {
        String key = key(owner, user);
        String fp = fingerprint.toLowerCase(Locale.ROOT);
        Contact known = contacts.get(key);
        if (known == null) {
            Contact pinned = new Contact(lower(owner), lower(user), fp, certificate, false, null, null);
            put(key, pinned);
            return new Seen.FirstContact(pinned);
        }
        if (Fingerprints.matches(known.fingerprint(), fp)) {
            if (known.certificate() == null && certificate != null) {
                known = known.withCertificate(certificate);
                put(key, known);
            }
            return new Seen.Pinned(known);
        }
        if (!fp.equals(known.offered()) || (known.offeredCertificate() == null && certificate != null)) {
            known = known.withOffered(fp, certificate != null ? certificate
                    : fp.equals(known.offered()) ? known.offeredCertificate() : null);
            put(key, known);
        }
        return new Seen.Changed(known, fp, warned.add(key + "\t" + fp));
    }

    public synchronized Optional<Contact> get(String owner, String user) {
        return Optional.ofNullable(contacts.get(key(owner, user)));
    }

    /** {@code owner}'s contacts, by name. */
    public synchronized List<Contact> list(String owner) {
        String o = lower(owner);
        return contacts.values().stream().filter(c -> c.owner().equals(o))
                .sorted(Comparator.comparing(Contact::user)).toList();
    }

    /** The offered key replaces the pinned one (unverified); the contact as it is now, or empty if none. */
    public synchronized Optional<Contact> trustOffered(String owner, String user) {
        String key = key(owner, user);
        Contact known = contacts.get(key);
        if (known == null || known.offered() == null) {
            return Optional.ofNullable(known);
        }
        Contact trusted = known.trustingOffered();
        put(key, trusted);
        return Optional.of(trusted);
    }

    /** Marks the pinned key verified (the safety numbers were compared); refused while another key is offered. */
    public synchronized Optional<Contact> markVerified(String owner, String user) {
        String key = key(owner, user);
        Contact known = contacts.get(key);
        if (known == null || known.offered() != null) {
            return Optional.ofNullable(known);
        }
        Contact verified = known.markedVerified();
        put(key, verified);
        return Optional.of(verified);
    }

    /** Under the lock. A pin that cannot be saved still holds for this run; the user is told in the log. */
    private void put(String key, Contact contact) {
        contacts.put(key, contact);
        try {
            write();
        } catch (IOException e) {
            LOG.warn("Cannot save the pinned contact keys to {}: {}", file, e.toString());
        }
    }

    private void write() throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        if (!Files.isDirectory(dir)) {
            if (isPosix(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(DIR_MODE));
            } else {
                Files.createDirectories(dir);
            }
        }
        StringBuilder text = new StringBuilder(HEADER).append('\n');
        for (Contact c : contacts.values()) {
            text.append(String.join("\t", c.owner(), c.user(), c.fingerprint(), c.verified() ? "v" : "u",
                    dash(c.certificate()), dash(c.offered()), dash(c.offeredCertificate()))).append('\n');
        }
        Path temp = dir.resolve(file.getFileName() + ".tmp");
        Files.deleteIfExists(temp);
        FileAttribute<?>[] attributes = isPosix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE_MODE)} : new FileAttribute<?>[0];
        try (FileChannel channel = FileChannel.open(temp, Set.of(StandardOpenOption.CREATE_NEW,
                StandardOpenOption.WRITE), attributes)) {
            ByteBuffer buffer = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
        restrict(temp, FILE_MODE);
        try {
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void restrict(Path path, Set<PosixFilePermission> mode) throws IOException {
        if (isPosix(path) && !Files.getPosixFilePermissions(path).equals(mode)) {
            Files.setPosixFilePermissions(path, mode);
        }
    }

    private static boolean isPosix(Path path) {
        return path.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String key(String owner, String user) {
        return lower(owner) + "\t" + lower(user);
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String none(String field) {
        return field.equals("-") ? null : field;
    }

    private static String dash(String field) {
        return field == null ? "-" : field;
    }

    /** For tests and listings that want every owner. */
    synchronized List<Contact> all() {
        return new ArrayList<>(contacts.values());
    }
}
