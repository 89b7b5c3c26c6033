package dev.p2pchat.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * Where to reach a logged-in peer: the address the registry saw its connection come from, the port its
 * peer server listens on, and the SHA-256 fingerprint of the certificate it must present.
 * {@code room} is the room it is in, or null. {@code candidates} are the other addresses it may be reached at:
 * those it announced ({@code candidates} in {@code LOGIN}/{@code RESUME}: its own interfaces, for peers on
 * its LAN), besides the observed {@code ip} and {@code port}; empty when it announced none. {@code dialable} is
 * what the registry's reachability self-test found ({@link Dialable#UNKNOWN} when it has not said).
 */
public record PeerInfo(String username, String room, String ip, int port, String fingerprint,
                       List<Candidate> candidates, Dialable dialable) {
    public PeerInfo {
        Check.nonEmpty("username", username);
        Check.optionalText("room", room);
        Check.nonEmpty("ip", ip);
        Check.port("port", port);
        fingerprint = Check.sha256Hex("fingerprint", fingerprint);
        if (room != null && room.isEmpty()) {
            room = null;
        }
        candidates = Candidate.checkList(candidates);
        dialable = dialable == null ? Dialable.UNKNOWN : dialable;
    }

    /** A peer whose reachability the registry has not said. */
    public PeerInfo(String username, String room, String ip, int port, String fingerprint,
                    List<Candidate> candidates) {
        this(username, room, ip, port, fingerprint, candidates, Dialable.UNKNOWN);
    }

    /** A peer known only at the observed address (the design document's form). */
    public PeerInfo(String username, String room, String ip, int port, String fingerprint) {
        this(username, room, ip, port, fingerprint, List.of());
    }

    /** The same peer in another room (null: none). */
    public PeerInfo inRoom(String newRoom) {
        return new PeerInfo(username, newRoom, ip, port, fingerprint, candidates, dialable);
    }

    /** The same peer with what the registry's self-test found. */
    public PeerInfo withDialable(Dialable found) {
        return new PeerInfo(username, room, ip, port, fingerprint, candidates, found);
    }

    /**
     * Every address to dial, most likely first: the observed one (it works wherever the peer is reachable from
     * outside its network), then the announced ones (a peer on the same LAN, behind a router that does not
     * hairpin). Without duplicates: an announced candidate at the observed address and port replaces it when it
     * says where it came from (a mapped one), and is dropped otherwise.
     */
    public List<Candidate> dialOrder() {
        List<Candidate> order = new ArrayList<>(candidates.size() + 1);
        try {
            order.add(new Candidate(ip, port));
        } catch (IllegalArgumentException e) {
            // Not an IP literal (a test's host name): dialled as the candidates' fallback below.
        }
        for (Candidate c : candidates) {
            int same = indexOfEndpoint(order, c);
            if (same < 0) {
                order.add(c);
            } else if (c.type() == Candidate.Type.MAPPED) {
                // The observed address is the router's: it answers only because the router forwards the port.
                order.set(same, c);
            }
        }
        return List.copyOf(order);
    }

    private static int indexOfEndpoint(List<Candidate> order, Candidate c) {
        for (int i = 0; i < order.size(); i++) {
            if (order.get(i).sameEndpoint(c)) {
                return i;
            }
        }
        return -1;
    }
}
