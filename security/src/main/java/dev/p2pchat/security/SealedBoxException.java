package dev.p2pchat.security;

/** A sealed box that does not open: wrong recipient, wrong sender, other associated data, or changed bytes. */
public final class SealedBoxException extends Exception {
    public SealedBoxException(String message) {
        super(message);
    }
}
