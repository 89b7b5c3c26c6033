package dev.p2pchat.peer.contacts;

/**
 * What {@code /verify} shows: the safety number of this user's key and {@code contact}'s key, and which of the
 * contact's keys it is made with ({@code ofOfferedKey}: the new key not trusted yet, to compare before trusting it).
 */
public record Verification(Contact contact, String safetyNumber, String fingerprint, boolean ofOfferedKey) {
}
