package dev.p2pchat.cli.session;

/** Something the user asked for that the client refuses before calling the peer; the message is for the user. */
public final class UserError extends Exception {
    public UserError(String message) {
        super(message, null, false, false);
    }
}
