package dev.p2pchat.protocol;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * One address a peer's server may be reached at: an IP literal (never a host name, so nobody is made to resolve
 * names it was handed) and a port. Text form {@code 192.0.2.7:7001} or, for IPv6, {@code [2001:db8::7]:7001},
 * the address in its canonical form (IPv6 compressed as RFC 5952 says), so that equal candidates are equal
 * records. A list is written comma-separated ({@code candidates} header, {@code candidates} column of
 * {@code PEER_LIST}), at most {@link #MAX_CANDIDATES}. A candidate that is not one of the peer's own addresses says
 * where it came from in a suffix, {@code ;mapped} for an address its home router forwards to it, so that the dialler
 * can tell the user which rung reached the peer.
 *
 * @param address the canonical IP literal, without brackets
 * @param port    1 to 65535
 * @param type    where the address came from
 */
public record Candidate(String address, int port, Type type) {
    /** Candidates one peer may announce; more are refused (a peer has few useful addresses). */
    public static final int MAX_CANDIDATES = 8;
    /** The longest type word read (unknown ones are read as {@link Type#HOST}, so that types can be added). */
    public static final int MAX_TYPE_CHARS = 16;
    /**
     * The longest text of one candidate: {@code [} + 39 characters of IPv6 + {@code ]:} + 5 digits, and a type
     * suffix of at most {@value #MAX_TYPE_CHARS} characters after its {@code ;}.
     */
    public static final int MAX_TEXT_CHARS = 47 + 1 + MAX_TYPE_CHARS;

    /** Where a candidate's address came from. */
    public enum Type {
        /** One of the peer's own interface addresses (no suffix). */
        HOST(null),
        /** An address and port the peer's home router forwards to it (NAT-PMP / PCP port mapping). */
        MAPPED("mapped");

        private final String word;

        Type(String word) {
            this.word = word;
        }

        /** The suffix word, or null for none. */
        public String word() {
            return word;
        }

        static Type ofWord(String word) {
            for (Type t : values()) {
                if (word.equals(t.word)) {
                    return t;
                }
            }
            return HOST; // a type a newer peer knows: still an address to dial
        }
    }

    public Candidate {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(type, "type");
        address = canonical(address);
        Check.port("candidate port", port);
    }

    /** One of the peer's own addresses. */
    public Candidate(String address, int port) {
        this(address, port, Type.HOST);
    }

    /** A candidate for {@code address}; loopback, link-local or not, as the caller decided. */
    public static Candidate of(InetAddress address, int port) {
        return new Candidate(format(address), port);
    }

    /** The address and port a home router forwards to this peer. */
    public static Candidate mapped(InetAddress address, int port) {
        return new Candidate(format(address), port, Type.MAPPED);
    }

    /** Whether {@code other} is the same address and port, whatever either's type. */
    public boolean sameEndpoint(Candidate other) {
        return address.equals(other.address) && port == other.port;
    }

    /** {@code 192.0.2.7:7001}, {@code [2001:db8::7]:7001} or, mapped, {@code 192.0.2.7:7001;mapped}. */
    public String text() {
        return (address.indexOf(':') >= 0 ? "[" + address + "]" : address) + ":" + port
                + (type.word() != null ? ";" + type.word() : "");
    }

    /** The address, resolved without any name lookup (it is a literal). */
    public InetAddress inetAddress() {
        try {
            return InetAddress.getByName(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("a checked literal did not parse: " + address, e);
        }
    }

    @Override
    public String toString() {
        return text();
    }

    /**
     * Parses one candidate.
     *
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static Candidate parse(String text) {
        Objects.requireNonNull(text, "candidate");
        if (text.length() > MAX_TEXT_CHARS) {
            throw new IllegalArgumentException("candidate is longer than " + MAX_TEXT_CHARS + " characters");
        }
        Type type = Type.HOST;
        int semicolon = text.indexOf(';');
        if (semicolon >= 0) {
            String word = text.substring(semicolon + 1);
            if (word.isEmpty() || word.length() > MAX_TYPE_CHARS
                    || !word.chars().allMatch(c -> (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) {
                throw new IllegalArgumentException("candidate " + Reasons.quote(text)
                        + " has no valid type after its ';' (1 to " + MAX_TYPE_CHARS + " of a-z 0-9 -)");
            }
            type = Type.ofWord(word);
            text = text.substring(0, semicolon);
        }
        String address;
        String port;
        if (text.startsWith("[")) {
            int close = text.indexOf("]:");
            if (close < 0) {
                throw new IllegalArgumentException("candidate " + Reasons.quote(text) + " needs the form [IPv6]:port");
            }
            address = text.substring(1, close);
            if (address.indexOf(':') < 0) {
                throw new IllegalArgumentException("candidate " + Reasons.quote(text) + ": only IPv6 goes in brackets");
            }
            port = text.substring(close + 2);
        } else {
            int colon = text.lastIndexOf(':');
            if (colon < 0 || text.indexOf(':') != colon) {
                throw new IllegalArgumentException("candidate " + Reasons.quote(text)
                        + " needs the form IPv4:port or [IPv6]:port");
            }
            address = text.substring(0, colon);
            port = text.substring(colon + 1);
        }
        if (port.isEmpty() || port.length() > 5 || !port.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw new IllegalArgumentException("candidate " + Reasons.quote(text) + " has no valid port");
        }
        return new Candidate(address, Integer.parseInt(port), type);
    }

    /** Parses a comma-separated list (blank: none); duplicates are dropped, order kept. */
    public static List<Candidate> parseList(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        if (text.length() > MAX_CANDIDATES * (MAX_TEXT_CHARS + 2)) {
            throw new IllegalArgumentException("candidates are longer than " + MAX_CANDIDATES + " candidates can be");
        }
        String[] parts = text.split(",", -1);
        if (parts.length > MAX_CANDIDATES) {
            throw new IllegalArgumentException("more than " + MAX_CANDIDATES + " candidates");
        }
        Set<Candidate> out = new LinkedHashSet<>();
        for (String part : parts) {
            out.add(parse(part.strip()));
        }
        return List.copyOf(out);
    }

    /** The list's text, or null for an empty list (so that the header is left out). */
    public static String formatList(List<Candidate> candidates) {
        if (candidates.isEmpty()) {
            return null;
        }
        List<String> texts = new ArrayList<>(candidates.size());
        candidates.forEach(c -> texts.add(c.text()));
        return String.join(",", texts);
    }

    /** Checks a list for a record: at most {@link #MAX_CANDIDATES}, no nulls, no duplicates (order kept). */
    static List<Candidate> checkList(List<Candidate> candidates) {
        if (candidates == null) {
            return List.of();
        }
        Set<Candidate> unique = new LinkedHashSet<>();
        for (Candidate c : candidates) {
            unique.add(Objects.requireNonNull(c, "candidate"));
        }
        if (unique.size() > MAX_CANDIDATES) {
            throw new IllegalArgumentException("more than " + MAX_CANDIDATES + " candidates");
        }
        return List.copyOf(unique);
    }

    /** An IP literal in canonical form; names, scope ids, wildcard and multicast addresses are refused. */
    private static String canonical(String literal) {
        if (literal.isEmpty() || literal.length() > 39) {
            throw new IllegalArgumentException("candidate address must be an IP address");
        }
        InetAddress parsed;
        if (literal.indexOf(':') >= 0) {
            if (!literal.chars().allMatch(c -> c == ':' || c == '.' || Character.digit(c, 16) >= 0)) {
                throw new IllegalArgumentException("candidate address " + Reasons.quote(literal)
                        + " is not an IPv6 address (no scope ids)");
            }
        } else if (!isDottedQuad(literal)) {
            throw new IllegalArgumentException("candidate address " + Reasons.quote(literal)
                    + " is not an IP address (host names are not allowed)");
        }
        try {
            parsed = InetAddress.getByName(literal); // a literal: no name lookup
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("candidate address " + Reasons.quote(literal) + " is not an IP address");
        }
        if (parsed.isAnyLocalAddress() || parsed.isMulticastAddress()) {
            throw new IllegalArgumentException("candidate address " + Reasons.quote(literal)
                    + " cannot be dialled (wildcard or multicast)");
        }
        return format(parsed);
    }

    private static boolean isDottedQuad(String s) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) {
            return false;
        }
        for (String p : parts) {
            if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(c -> c >= '0' && c <= '9')
                    || Integer.parseInt(p) > 255) {
                return false;
            }
        }
        return true;
    }

    /** IPv4 dotted; IPv6 as RFC 5952 says: lower case, no leading zeros, the longest run of zero groups as ::. */
    static String format(InetAddress address) {
        if (address instanceof Inet4Address) {
            return address.getHostAddress();
        }
        if (!(address instanceof Inet6Address)) {
            throw new IllegalArgumentException("not an IP address: " + address);
        }
        byte[] b = address.getAddress();
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1; // a single zero group is not compressed
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && groups[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
