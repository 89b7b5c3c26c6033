package dev.p2pchat.peer.reach.natpmp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The IPv4 default gateway, where NAT-PMP requests go: read from Linux's {@code /proc/net/route} (Java has no
 * API for it). Elsewhere, none is found and no mapping is asked for.
 */
public final class DefaultGateway {
    private static final Path ROUTES = Path.of("/proc/net/route");

    private DefaultGateway() {
    }

    /** This machine's default gateway, if the routing table can be read and has one. */
    public static Optional<Inet4Address> find() {
        try {
            return Files.isReadable(ROUTES) ? parse(Files.readString(ROUTES)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /**
     * The gateway of the first default route (destination and mask 0) in {@code /proc/net/route}'s text: columns
     * separated by white space, addresses as 8 hex digits in the kernel's (little-endian) byte order.
     */
    static Optional<Inet4Address> parse(String table) {
        String[] lines = table.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] cols = lines[i].trim().split("\\s+");
            if (cols.length < 8 || !cols[1].equals("00000000") || !cols[7].equals("00000000")) {
                continue;
            }
            long hex;
            try {
                hex = Long.parseLong(cols[2], 16);
            } catch (NumberFormatException e) {
                continue;
            }
            if (hex == 0) {
                continue; // a default route without gateway (a point-to-point link)
            }
            byte[] address = {(byte) hex, (byte) (hex >> 8), (byte) (hex >> 16), (byte) (hex >> 24)};
            try {
                return Optional.of((Inet4Address) InetAddress.getByAddress(address));
            } catch (UnknownHostException e) {
                throw new IllegalStateException("4 bytes are an IPv4 address", e);
            }
        }
        return Optional.empty();
    }
}
