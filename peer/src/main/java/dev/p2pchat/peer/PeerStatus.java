package dev.p2pchat.peer;

/**
 * Who is logged in on this peer, how its registry connection is doing, and whether it has been shut down.
 * Read from every thread without locking; the user's session-changing calls (under {@code Peer}'s user lock),
 * the registry session's listener and {@code close()} are the only writers.
 */
final class PeerStatus {
    private volatile String username;
    private volatile ConnectionState connection = ConnectionState.CONNECTED;
    private volatile boolean closed;

    /** The logged-in user, or null. */
    String username() {
        return username;
    }

    void loggedIn(String user) {
        username = user;
    }

    void loggedOut() {
        username = null;
    }

    ConnectionState connection() {
        return connection;
    }

    void connection(ConnectionState now) {
        connection = now;
    }

    boolean isClosed() {
        return closed;
    }

    void markClosed() {
        closed = true;
    }

    void ensureOpen() throws PeerException {
        if (closed) {
            throw new PeerException("This peer has been shut down.");
        }
    }

    /** The logged-in user; fails with a sentence when nobody is logged in or the peer is shut down. */
    String requireLogin() throws PeerException {
        ensureOpen();
        String me = username;
        if (me == null) {
            throw new PeerException("You are not logged in.");
        }
        return me;
    }
}
