package dev.p2pchat.protocol;

/**
 * Whether the registry could open a TCP connection to a peer's server when it logged in (its reachability
 * self-test, {@code REACHABILITY}): the {@code dialable} header of a listed peer. {@link #UNKNOWN} is the header's
 * absence: a registry that does not test, a test not finished (or skipped under load), a peer on another node of a
 * cluster, or a peer with an address the registry could not test. A dialler treats it as the registry's advice
 * only: a peer said not dialable may still be reached on its LAN.
 */
public enum Dialable {
    /** At least one of the peer's addresses took a connection from the registry. */
    YES("yes"),
    /** None of the addresses the registry tried took a connection, and it tried every public one. */
    NO("no"),
    /** Not known; today's ladder applies. */
    UNKNOWN(null);

    private final String word;

    Dialable(String word) {
        this.word = word;
    }

    /** The header's value, or null for none. */
    public String word() {
        return word;
    }

    /** The header's value read back; absent or a word a newer registry knows: {@link #UNKNOWN}. */
    public static Dialable ofWord(String word) {
        if (word == null) {
            return UNKNOWN;
        }
        return switch (word) {
            case "yes" -> YES;
            case "no" -> NO;
            default -> UNKNOWN;
        };
    }
}
