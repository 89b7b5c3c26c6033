package dev.p2pchat.peer.mesh;

import java.util.Objects;

/**
 * How the link to another user was opened, so that the user can see which rung of the ladder reached them.
 *
 * @param kind    which way
 * @param address the other side's address on this link ({@code host:port}, IPv6 bracketed); for a relayed link
 *                the relay's
 */
public record LinkRoute(Kind kind, String address) {

    /** The ways a link opens. */
    public enum Kind {
        /** This peer dialled the address the registry observed for the other. */
        DIRECT("direct"),
        /** This peer dialled an address the other announced (its own network: the same LAN, or IPv6). */
        LAN("LAN"),
        /**
         * This peer dialled the address and port the other's home router forwards to it (the other asked the
         * router by NAT-PMP and announced the mapping as a candidate).
         */
        MAPPED("mapped"),
        /** The other dialled this peer. */
        INBOUND("direct"),
        /** This peer could not dial the other; the registry asked the other to dial this peer, which it did. */
        DIALLED_BACK("reversed"),
        /** The other could not dial this peer, so the registry asked this peer to dial it. */
        DIALLED_BACK_HERE("reversed"),
        /**
         * Neither could reach the other, nor have the other dial back: at the registry's word both connected to each
         * other at once from their listening ports (TCP hole punch); {@code address} is the other's, as its NAT
         * maps it. The side that asked is the TLS client, the other the server.
         */
        PUNCHED("punched"),
        /**
         * Neither could reach the other: both connected out to a relay, which carries their mutual TLS unread;
         * {@code address} is the relay's.
         */
        RELAYED("relayed");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        /** The one word the user sees: direct, LAN, mapped, reversed, punched, relayed. */
        public String label() {
            return label;
        }
    }

    public LinkRoute {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(address, "address");
    }

    /**
     * One line for the user, e.g. {@code reversed: bob dialled back at your request (203.0.113.5:6001)} or
     * {@code relayed via 198.51.100.7:7071: …}.
     */
    public String describe(String user) {
        return kind.label() + (kind == Kind.RELAYED ? " via " + address : "") + ": " + switch (kind) {
            case DIRECT -> "you dialled " + user + " at " + address;
            case LAN -> "you dialled " + user + " at " + address + ", an address " + user + " announced";
            case MAPPED -> "you dialled " + user + " at " + address + ", which " + user
                    + "'s router forwards to " + user + " (port mapping)";
            case INBOUND -> user + " dialled you, from " + address;
            case DIALLED_BACK -> "you could not reach " + user + ", so " + user + " dialled you back, from " + address;
            case DIALLED_BACK_HERE -> user + " could not reach you, so you dialled " + user + " back at " + address;
            case PUNCHED -> "neither you nor " + user + " could reach the other, so at the registry's word you"
                    + " both dialled at once and your NATs let the connection through (" + user + " at " + address + ")";
            case RELAYED -> "neither you nor " + user + " could reach the other, so both connected out to the relay;"
                    + " it carries your end-to-end TLS and cannot read it";
        };
    }
}
