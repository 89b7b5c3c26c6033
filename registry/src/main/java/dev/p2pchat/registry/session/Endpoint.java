package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.security.Fingerprints;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Base64;
import java.util.List;
import java.util.Objects;

/**
 * How other peers reach a user: the IP the registry saw the TLS connection come from (never a claim of the
 * client), the port its peer server listens on, the fingerprint of that server's certificate, and the
 * candidates it announced (its own addresses, for peers on its LAN; they are the client's claim, dialled only
 * with the fingerprint check of mutual TLS, so a false one costs the dialler one failed attempt), and the
 * {@code certificate} whose SHA-256 is that fingerprint (base64 DER), or null when the registry has none: kept
 * here so that {@code SEARCH_USER} hands it out from memory, on this node and, through the presence events, on
 * every other (docs/BENCHMARKS.md run X: reading it from PostgreSQL per search starved the pools).
 */
public record Endpoint(String ip, int port, String fingerprint, List<Candidate> candidates, String certificate) {
    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
    }

    public Endpoint(String ip, int port, String fingerprint, List<Candidate> candidates) {
        this(ip, port, fingerprint, candidates, null);
    }

    public Endpoint(String ip, int port, String fingerprint) {
        this(ip, port, fingerprint, List.of());
    }

    /**
     * The endpoint of a session seen from {@code observedIp}: announced loopback candidates are kept only when the
     * peer itself connected over loopback (elsewhere they would point the dialler at its own machine).
     * {@code certificate} is the one the login presented (already checked against {@code fingerprint}), else
     * {@code stored} (the account's) if it is of the same key, else none.
     */
    public static Endpoint announced(String observedIp, int port, String fingerprint, List<Candidate> announced,
                                     String certificate, String stored) {
        boolean local = isLoopback(observedIp);
        return new Endpoint(observedIp, port, fingerprint,
                announced.stream().filter(c -> local || !c.inetAddress().isLoopbackAddress()).toList(),
                certificate != null ? certificate : ofKey(stored, fingerprint));
    }

    /** {@code certificate} if its SHA-256 is {@code fingerprint}, else null. */
    private static String ofKey(String certificate, String fingerprint) {
        if (certificate == null) {
            return null;
        }
        try {
            return Fingerprints.matches(Fingerprints.sha256Hex(Base64.getDecoder().decode(certificate)), fingerprint)
                    ? certificate : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    PeerInfo asPeer(String username, String room) {
        return asPeer(username, room, dev.p2pchat.protocol.Dialable.UNKNOWN);
    }

    PeerInfo asPeer(String username, String room, dev.p2pchat.protocol.Dialable dialable) {
        return new PeerInfo(username, room, ip, port, fingerprint, candidates, dialable);
    }

    private static boolean isLoopback(String ip) {
        try {
            return InetAddress.getByName(ip).isLoopbackAddress(); // an address the socket gave: no name lookup
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
