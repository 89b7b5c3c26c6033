package dev.p2pchat.peer;

import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Names;
import dev.p2pchat.security.PasswordDigest;
import java.nio.charset.StandardCharsets;

/**
 * Checks what the user typed before anything is sent, so that the user hears a sentence instead of the
 * registry's or a peer's refusal. Never keeps or logs a password.
 */
final class UserInput {
    private UserInput() {
    }

    static void checkName(String what, String name) throws PeerException {
        String problem = Names.problemWithName(what, name);
        if (problem != null) {
            throw new PeerException(Failures.capitalise(problem) + ".");
        }
    }

    static void checkPassword(char[] password) throws PeerException {
        if (password == null || password.length == 0) {
            throw new PeerException("The password must not be empty.");
        }
    }

    static void checkRoom(int capacity, String description) throws PeerException {
        String problem = Names.problemWithCapacity(capacity);
        if (problem == null && description != null) {
            problem = Names.problemWithDescription(description);
        }
        if (problem != null) {
            throw new PeerException(Failures.capitalise(problem) + ".");
        }
    }

    static void checkText(String text) throws PeerException {
        if (text == null || text.isEmpty()) {
            throw new PeerException("The message is empty.");
        }
        int bytes = text.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > Limits.MAX_MESSAGE_TEXT_BYTES) {
            throw new PeerException("The message is too long (" + bytes + " bytes; the limit is "
                    + Limits.MAX_MESSAGE_TEXT_BYTES + ").");
        }
    }

    /** The digest the registry compares; null (no password) means an open room. */
    static String roomPassword(char[] password) {
        return password == null || password.length == 0 ? null : PasswordDigest.sha256Hex(password);
    }
}
