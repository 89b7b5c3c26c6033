package dev.p2pchat.peer.contacts;

import java.util.Objects;

/**
 * One user whose identity key {@code owner} (the local user) has pinned: the key's certificate fingerprint, the
 * certificate itself once seen (needed for the safety number), whether the two compared safety numbers, and the
 * different key seen since ({@code offered}, with its certificate when known), which is refused until trusted.
 */
public record Contact(String owner, String user, String fingerprint, String certificate, boolean verified,
                      String offered, String offeredCertificate) {

    public enum State { VERIFIED, UNVERIFIED, CHANGED }

    public Contact {
        Objects.requireNonNull(owner, "owner");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(fingerprint, "fingerprint");
        if (offered == null && offeredCertificate != null) {
            throw new IllegalArgumentException("a certificate for no offered key");
        }
    }

    public State state() {
        return offered != null ? State.CHANGED : verified ? State.VERIFIED : State.UNVERIFIED;
    }

    Contact withCertificate(String text) {
        return new Contact(owner, user, fingerprint, text, verified, offered, offeredCertificate);
    }

    Contact withOffered(String fingerprint, String text) {
        return new Contact(owner, user, this.fingerprint, certificate, verified, fingerprint, text);
    }

    /** The offered key becomes the pinned one, not verified (nobody compared its safety number yet). */
    Contact trustingOffered() {
        return new Contact(owner, user, offered, offeredCertificate, false, null, null);
    }

    Contact markedVerified() {
        return new Contact(owner, user, fingerprint, certificate, true, offered, offeredCertificate);
    }
}
