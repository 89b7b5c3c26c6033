package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.EncodedFrame;
import dev.p2pchat.protocol.RegistryPush;

/**
 * Where pushes for one logged-in user go: the outbound queue of the connection the session is attached to.
 * Both methods return at once; they never write to a socket on the caller's thread.
 */
public interface Outbox {

    /**
     * Queues an encoded frame (shared with other recipients: never modified); a connection that cannot keep up is
     * closed rather than let the queue grow.
     */
    void send(EncodedFrame frame);

    /** Encodes and queues one push; a push for many recipients should be encoded once and {@link #send sent}. */
    default void push(RegistryPush push) {
        send(EncodedFrame.of(push.toFrame()));
    }

    /** Closes the connection at once, dropping whatever is still queued (session taken over or expired). */
    void kick(String why);
}
