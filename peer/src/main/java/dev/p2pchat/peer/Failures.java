package dev.p2pchat.peer;

import dev.p2pchat.peer.registry.NotConnectedException;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.Status;
import java.io.IOException;

/**
 * Turns the registry's refusals and I/O failures into the one sentence a {@link PeerException} carries for
 * the user; the registry's own reason wins over the fallback whenever it gave one.
 */
final class Failures {
    private Failures() {
    }

    static PeerException failure(RegistryReply reply, String fallback) {
        if (reply instanceof ErrorReply error) {
            if (error.status().equals(Status.NOT_LOGGED_IN)) {
                return new PeerException("You are not logged in.");
            }
            if (error.status().equals(Status.RATE_LIMITED)) {
                return new PeerException(sentence(error.reason(), "The registry is busy; try again in a moment."));
            }
            return new PeerException(sentence(error.reason(), fallback));
        }
        return new PeerException(fallback);
    }

    static PeerException unreachable(IOException e) {
        if (e instanceof NotConnectedException) {
            return new PeerException(capitalise(e.getMessage()) + ".", e);
        }
        return new PeerException("The registry did not answer (" + e.getMessage() + "); try again.", e);
    }

    static String sentence(String reason, String fallback) {
        if (reason == null || reason.isBlank()) {
            return fallback;
        }
        String s = capitalise(reason.strip());
        return s.endsWith(".") || s.endsWith("!") || s.endsWith("?") ? s : s + ".";
    }

    static String capitalise(String s) {
        return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }

    /** The innermost cause's message: the one that says what actually went wrong on the wire. */
    static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
