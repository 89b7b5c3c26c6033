package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.EncodedFrame;

/**
 * Where pushes for one logged-in user go: the outbound queue of the connection the session is attached to.
 * Both methods return at once; they never write to a socket on the caller's thread. {@link SessionRegistry}
 * never calls them under its lock: it returns {@link Effect}s that are delivered after it.
 */
public interface Outbox {

    /**
     * Queues an encoded frame (shared with other recipients: never modified); a connection that cannot keep up is
     * closed rather than let the queue grow.
     */
    void send(EncodedFrame frame);

    /** Closes the connection at once, dropping whatever is still queued (session taken over or expired). */
    void kick(String why);
}
