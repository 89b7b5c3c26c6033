package dev.p2pchat.security;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Trust-on-first-use memory of registry certificates, like SSH's known_hosts: the file
 * {@code known_registries} in the data directory, one {@code host:port fingerprint} line per
 * registry. Blank lines and lines starting with {@code #} are kept out of the way of parsing.
 *
 * <p>Every read and write goes to the file, so two clients sharing a data directory see each
 * other's pins (the last writer of the same host:port wins). Methods are synchronized so that one
 * process never loses its own updates.
 */
public final class KnownRegistries {

    public static final String FILE_NAME = "known_registries";

    /** Whether {@link #checkOrPin} met the registry for the first time. */
    public enum PinCheck { PINNED_ON_FIRST_USE, MATCHES_PIN }

    private final Path file;

    private KnownRegistries(Path file) {
        this.file = file;
    }

    /** Opens (without yet creating) {@code dataDir/known_registries}; fails if the file is malformed. */
    public static KnownRegistries open(Path dataDir) throws IOException {
        KnownRegistries known = new KnownRegistries(dataDir.resolve(FILE_NAME));
        known.read();
        return known;
    }

    /** The canonical key for a registry address; IPv6 literals get brackets. */
    public static String hostPort(String host, int port) {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        String h = host.toLowerCase(Locale.ROOT);
        return (h.indexOf(':') >= 0 && !h.startsWith("[") ? "[" + h + "]" : h) + ":" + port;
    }

    public Path file() {
        return file;
    }

    public synchronized Optional<String> pinned(String hostPort) throws IOException {
        return Optional.ofNullable(read().get(key(hostPort)));
    }

    /** Stores or replaces the pin for {@code hostPort}, rewriting the file atomically. */
    public synchronized void pin(String hostPort, String fingerprint) throws IOException {
        String key = key(hostPort);
        String value = Objects.requireNonNull(fingerprint, "fingerprint").toLowerCase(Locale.ROOT);
        if (!Fingerprints.isValid(value)) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint (64 hex characters): " + fingerprint);
        }
        Map<String, String> pins = read();
        pins.put(key, value);
        StringBuilder text = new StringBuilder("# p2pchat registries trusted on first use: host:port sha256-fingerprint\n");
        pins.forEach((hp, fp) -> text.append(hp).append(' ').append(fp).append('\n'));
        AtomicFile.write(file, text.toString().getBytes(StandardCharsets.UTF_8), false);
    }

    /**
     * The trust-on-first-use decision, made right after the handshake and before anything is sent:
     * pins an unknown registry, accepts a known one presenting its pinned certificate, and refuses
     * a known one presenting another.
     */
    public synchronized PinCheck checkOrPin(String hostPort, String presentedFingerprint)
            throws IOException, FingerprintMismatchException {
        Optional<String> pinned = pinned(hostPort);
        if (pinned.isEmpty()) {
            pin(hostPort, presentedFingerprint);
            return PinCheck.PINNED_ON_FIRST_USE;
        }
        if (!Fingerprints.matches(pinned.get(), presentedFingerprint)) {
            throw new FingerprintMismatchException(key(hostPort), pinned.get(), presentedFingerprint, file);
        }
        return PinCheck.MATCHES_PIN;
    }

    private Map<String, String> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return new LinkedHashMap<>();
        }
        Map<String, String> pins = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split("\\s+");
            // A line we cannot read might be a pin the user mistyped; ignoring it would silently
            // re-pin that registry on next use, so refuse instead.
            if (fields.length != 2 || !isHostPort(fields[0]) || !Fingerprints.isValid(fields[1].toLowerCase(Locale.ROOT))) {
                throw new IOException(file + ":" + (i + 1) + ": expected \"host:port sha256-fingerprint\" but found: " + line);
            }
            pins.put(fields[0].toLowerCase(Locale.ROOT), fields[1].toLowerCase(Locale.ROOT));
        }
        return pins;
    }

    private static String key(String hostPort) {
        Objects.requireNonNull(hostPort, "hostPort");
        if (!isHostPort(hostPort)) {
            throw new IllegalArgumentException("expected host:port, got: " + hostPort);
        }
        return hostPort.toLowerCase(Locale.ROOT);
    }

    private static boolean isHostPort(String s) {
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1 || s.chars().anyMatch(c -> c <= ' ' || c == '#')) {
            return false;
        }
        String port = s.substring(colon + 1);
        if (port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return false;
        }
        int p = Integer.parseInt(port);
        return p >= 1 && p <= 65535;
    }
}
