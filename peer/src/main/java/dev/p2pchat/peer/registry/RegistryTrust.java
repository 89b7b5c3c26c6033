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
