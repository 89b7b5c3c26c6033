package dev.p2pchat.peer;

/**
 * How this peer stands with the registry. {@link #RECONNECTED} only ever appears in a
 * {@link PeerEvent.ConnectionChanged} event; {@link Peer#state()} reports {@link #CONNECTED} again afterwards.
 */
public enum ConnectionState {
    /** The TLS connection to the registry is up (and, if logged in, the session is valid). */
    CONNECTED,
    /** The connection or session was lost; the peer is re-establishing it by itself. */
    RECONNECTING,
    /** The connection and session are back, the room rejoined and its member list refreshed. */
    RECONNECTED,
    /** Closed, or the server at the registry's address is not the pinned registry (still retrying then). */
    OFFLINE
}
