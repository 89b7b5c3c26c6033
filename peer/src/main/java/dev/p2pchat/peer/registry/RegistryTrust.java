package dev.p2pchat.peer.registry;

import dev.p2pchat.security.FingerprintMismatchException;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.KnownRegistries;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.util.Locale;
import java.util.Objects;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSession;

/**
 * Decides whether the registry is the one we mean: either by a fingerprint given in the configuration,
 * or by trust on first use through {@link KnownRegistries}. The handshake itself accepts any certificate;
 * {@link #verify} runs right after it and before a single byte is sent, on every (re)connection.
 */
public final class RegistryTrust {
    private final String pinnedFingerprint;
    private final KnownRegistries known;
    private final SSLContext context;

    private RegistryTrust(String pinnedFingerprint, KnownRegistries known) {
        this.pinnedFingerprint = pinnedFingerprint;
        this.known = known;
        this.context = Tls.client(PinnedCertificateTrust.recording(fingerprint -> { }));
    }

    /** Trusts exactly the certificate with this SHA-256 fingerprint. */
    public static RegistryTrust pinned(String fingerprint) {
        String pin = Objects.requireNonNull(fingerprint, "fingerprint").toLowerCase(Locale.ROOT);
        if (!Fingerprints.isValid(pin)) {
            throw new IllegalArgumentException("not a SHA-256 fingerprint (64 hex digits): " + fingerprint);
        }
        return new RegistryTrust(pin, null);
    }

    /** Pins the first certificate seen at an address and refuses any other one afterwards. */
    public static RegistryTrust onFirstUse(KnownRegistries known) {
        return new RegistryTrust(null, Objects.requireNonNull(known, "known"));
    }

    /** What to tell the user about a refused certificate: where the pin came from decides how to fix it. */
    public String explain(FingerprintMismatchException e) {
        if (pinnedFingerprint == null) {
            return e.getMessage();
        }
        return "WARNING: THE REGISTRY AT " + e.hostPort() + " PRESENTED A DIFFERENT CERTIFICATE THAN CONFIGURED!\n"
                + "  configured fingerprint: " + e.pinnedFingerprint() + "\n"
                + "  presented fingerprint:  " + e.presentedFingerprint() + "\n"
                + "Someone may be intercepting this connection, so p2pchat refused to continue. If the registry's"
                + " certificate was legitimately replaced, confirm the new fingerprint with its operator and"
                + " configure that one.";
    }

    SSLContext context() {
        return context;
    }

    void verify(String host, int port, SSLSession session) throws IOException, FingerprintMismatchException {
        String presented = Fingerprints.peerFingerprint(session);
        String hostPort = KnownRegistries.hostPort(host, port);
        if (pinnedFingerprint != null) {
            if (!Fingerprints.matches(pinnedFingerprint, presented)) {
                throw new FingerprintMismatchException(hostPort, pinnedFingerprint, presented, null);
            }
            return;
        }
        known.checkOrPin(hostPort, presented);
    }
}
