package dev.p2pchat.peer;

/**
 * Receives everything that happens to a {@link Peer} without being asked. Called on one dispatcher
 * thread, in order; a slow listener delays later events but never a network connection.
 */
@FunctionalInterface
public interface PeerListener {
    void onEvent(PeerEvent event);
}
