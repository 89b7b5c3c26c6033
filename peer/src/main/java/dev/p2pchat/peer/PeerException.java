package dev.p2pchat.peer;

/** A user action that could not be done; the message is one sentence meant for the user. */
public final class PeerException extends Exception {
    public PeerException(String message) {
        super(message);
    }

    public PeerException(String message, Throwable cause) {
        super(message, cause);
    }
}
