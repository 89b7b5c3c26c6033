package dev.p2pchat.peer.reach;

import dev.p2pchat.protocol.Candidate;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The candidates this peer announces at LOGIN / RESUME: the addresses of its own interfaces with its port, so
 * that peers on the same LAN reach it directly (many home routers do not hairpin, so the address the registry
 * observes, the router's, fails from inside). Loopback only when the peer listens on loopback (its registry is
 * there too); link-local addresses never (an IPv6 one needs a scope only this machine knows). A peer bound to one
 * address announces that address only. IPv4 first, then IPv6, at most {@link Candidate#MAX_CANDIDATES}. (A peer
 * with an advertised port announces none: the forward or proxy in front of it is meant to be the way in.)
 */
public final class LocalCandidates {
    private static final Logger LOG = LoggerFactory.getLogger(LocalCandidates.class);

    private LocalCandidates() {
    }

    public static List<Candidate> of(ListenPolicy listen, int port) {
        InetAddress bind = listen.bind();
        if (!bind.isAnyLocalAddress()) {
            return List.of(Candidate.of(bind, port));
        }
        List<InetAddress> addresses = new ArrayList<>();
        try {
            for (NetworkInterface nif : NetworkInterface.networkInterfaces().toList()) {
                if (!nif.isUp()) {
                    continue;
                }
                nif.inetAddresses().forEach(addresses::add);
            }
        } catch (SocketException e) {
            LOG.warn("Cannot list this machine's addresses ({}); announcing none besides the observed one",
                    e.getMessage());
            return List.of();
        }
        // An IPv4 wildcard bind takes no IPv6 connections.
        boolean v6 = bind instanceof Inet6Address;
        return addresses.stream()
                .filter(a -> v6 || a instanceof Inet4Address)
                .filter(a -> !a.isLinkLocalAddress() && !a.isAnyLocalAddress() && !a.isMulticastAddress())
                .filter(a -> !a.isLoopbackAddress())
                .sorted(Comparator.comparing((InetAddress a) -> a instanceof Inet4Address ? 0 : 1))
                .map(a -> Candidate.of(a, port))
                .distinct()
                .limit(Candidate.MAX_CANDIDATES)
                .toList();
    }
}
