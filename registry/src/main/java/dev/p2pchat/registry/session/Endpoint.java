package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.PeerInfo;
import java.util.Objects;

/**
 * How other peers reach a user: the IP the registry saw the TLS connection come from (never a claim of the
 * client), the port its peer server listens on, and the fingerprint of that server's certificate.
 */
public record Endpoint(String ip, int port, String fingerprint) {
    public Endpoint {
        Objects.requireNonNull(ip, "ip");
        Objects.requireNonNull(fingerprint, "fingerprint");
    }

    PeerInfo asPeer(String username, String room) {
        return new PeerInfo(username, room, ip, port, fingerprint);
    }
}
