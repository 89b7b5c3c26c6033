package dev.p2pchat.security;

import java.nio.file.Path;

/**
 * The registry at a known address presented a different certificate than the one pinned on first
 * use. Either someone is intercepting the connection, or the registry's certificate was replaced;
 * only the user can tell, so the message says how to accept a legitimate change.
 */
public class FingerprintMismatchException extends Exception {

    private final String hostPort;
    private final String pinnedFingerprint;
    private final String presentedFingerprint;
    private final transient Path file;

    public FingerprintMismatchException(String hostPort, String pinnedFingerprint, String presentedFingerprint,
            Path file) {
        super(message(hostPort, pinnedFingerprint, presentedFingerprint, file));
        this.hostPort = hostPort;
        this.pinnedFingerprint = pinnedFingerprint;
        this.presentedFingerprint = presentedFingerprint;
        this.file = file;
    }

    public String hostPort() {
        return hostPort;
    }

    public String pinnedFingerprint() {
        return pinnedFingerprint;
    }

    public String presentedFingerprint() {
        return presentedFingerprint;
    }

    /** The known-registries file holding the pin, or null when not known. */
    public Path file() {
        return file;
    }

    private static String message(String hostPort, String pinned, String presented, Path file) {
        String where = file == null ? "your known_registries file" : file.toString();
        return "WARNING: THE REGISTRY AT " + hostPort + " PRESENTED A DIFFERENT CERTIFICATE THAN BEFORE!\n"
                + "  pinned fingerprint:    " + pinned + "\n"
                + "  presented fingerprint: " + presented + "\n"
                + "Someone may be intercepting this connection, so p2pchat refused to continue.\n"
                + "If the registry's certificate was legitimately replaced (confirm the new fingerprint with its"
                + " operator), delete the line for " + hostPort + " from " + where + " and connect again.";
    }
}
