package dev.p2pchat.peer.reach;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Objects;
import java.util.Optional;

/**
 * Where this peer's server listens, decided once at start. Without {@code --listen-host} it listens where the
 * other peers can reach it: on every interface, IPv4 and IPv6 (the wildcard address), when the registry is on
 * another machine, and on loopback only when the registry is on loopback too (everybody is then on this machine,
 * and nothing is exposed). A given {@code --listen-host} is obeyed; when it is a loopback address while the
 * registry is elsewhere the policy carries a {@link #warning()}, since no other machine will reach this peer.
 *
 * @param bind         the address to bind (the wildcard for every interface)
 * @param loopbackOnly true when only this machine can connect
 * @param warning      what to tell the user, if anything
 */
public record ListenPolicy(InetAddress bind, boolean loopbackOnly, Optional<String> warning) {
    public ListenPolicy {
        Objects.requireNonNull(bind, "bind");
        Objects.requireNonNull(warning, "warning");
    }

    /**
     * @param listenHost   the {@code --listen-host} given, or null to decide from the registry
     * @param registryHost the registry's host name or address
     * @throws UnknownHostException when {@code listenHost} names no address
     */
    public static ListenPolicy decide(String listenHost, String registryHost) throws UnknownHostException {
        boolean registryLocal = isLoopback(registryHost);
        if (listenHost == null || listenHost.isBlank()) {
            return registryLocal
                    ? new ListenPolicy(loopbackLike(registryHost), true, Optional.empty())
                    : new ListenPolicy(wildcard(), false, Optional.empty());
        }
        InetAddress bind = InetAddress.getByName(listenHost);
        boolean loopbackOnly = bind.isLoopbackAddress();
        Optional<String> warning = loopbackOnly && !registryLocal
                ? Optional.of("This peer listens on " + bind.getHostAddress() + " only, but the registry is at "
                        + registryHost + ": peers on other machines cannot reach you. Leave out --listen-host (or "
                        + "give an address of this machine's network) to be reachable.")
                : Optional.empty();
        return new ListenPolicy(bind, loopbackOnly, warning);
    }

    /** Every interface: on a dual-stack machine the IPv6 wildcard, which takes IPv4 connections too. */
    public boolean wildcardBind() {
        return bind.isAnyLocalAddress();
    }

    /** True when {@code host} is a loopback name or address (a name that does not resolve is not). */
    public static boolean isLoopback(String host) {
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            for (InetAddress a : all) {
                if (!a.isLoopbackAddress()) {
                    return false;
                }
            }
            return all.length > 0;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /**
     * {@code ::}, which takes IPv4 connections too (Java's sockets are dual-stack), unless the JVM is told to use
     * IPv4 only. Not {@code 0.0.0.0}: its candidates would then leave the IPv6 addresses out.
     */
    private static InetAddress wildcard() throws UnknownHostException {
        return Boolean.getBoolean("java.net.preferIPv4Stack") ? InetAddress.getByName("0.0.0.0")
                : InetAddress.getByName("::");
    }

    /** The loopback address of the registry's family (a registry on {@code ::1} gets a peer on {@code ::1}). */
    private static InetAddress loopbackLike(String registryHost) throws UnknownHostException {
        if (registryHost.equalsIgnoreCase("localhost")) {
            return InetAddress.getLoopbackAddress();
        }
        return InetAddress.getByName(registryHost) instanceof Inet6Address
                ? InetAddress.getByName("::1") : InetAddress.getByName("127.0.0.1");
    }
}
