package dev.p2pchat.protocol;

/**
 * Where to reach a logged-in peer: the address the registry saw its connection come from, the port its
 * peer server listens on, and the SHA-256 fingerprint of the certificate it must present.
 * {@code room} is the room it is in, or null.
 */
public record PeerInfo(String username, String room, String ip, int port, String fingerprint) {
    public PeerInfo {
        Check.nonEmpty("username", username);
        Check.optionalText("room", room);
        Check.nonEmpty("ip", ip);
        Check.port("port", port);
        fingerprint = Check.sha256Hex("fingerprint", fingerprint);
        if (room != null && room.isEmpty()) {
            room = null;
        }
    }
}
