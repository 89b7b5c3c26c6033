package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.PeerInfo;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * How other peers reach a user: the IP the registry saw the TLS connection come from (never a claim of the
 * client), the port its peer server listens on, the fingerprint of that server's certificate, and the
 * candidates it announced (its own addresses, for peers on its LAN; they are the client's claim, dialled only
 * with the fingerprint check of mutual TLS, so a false one costs the dialler one failed attempt).
 */
public record Endpoint(String ip, int port, String fingerprint, List<Candidate> candidates) {
    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(fingerprint, "fingerprint");
        candidates = List.copyOf(candidates);
    }

    public Endpoint(String ip, int port, String fingerprint) {
        this(ip, port, fingerprint, List.of());
    }

    /**
     * The endpoint of a session seen from {@code observedIp}: announced loopback candidates are kept only when the
     * peer itself connected over loopback (elsewhere they would point the dialler at its own machine).
     */
    public static Endpoint announced(String observedIp, int port, String fingerprint, List<Candidate> announced) {
        boolean local = isLoopback(observedIp);
        return new Endpoint(observedIp, port, fingerprint,
                announced.stream().filter(c -> local || !c.inetAddress().isLoopbackAddress()).toList());
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
