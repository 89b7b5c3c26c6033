package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.PeerInfo;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.Locale;

/**
 * One logged-in user. A session outlives its TCP connection: when the connection drops without LOGOUT the
 * session stays online (and in its room) until the keep-alive timeout, so the client can RESUME it.
 * Every field that changes is written only by {@link SessionRegistry}; readers see it through volatiles.
 */
public final class Session {
    private final String username;
    private final String token;
    private final Instant tokenExpires;
    private volatile Endpoint endpoint;
    private volatile String room;
    private volatile Outbox outbox;
    private volatile long lastSeenMillis;
    private volatile InetSocketAddress keepAliveAddress;
    private volatile boolean ended;

    Session(String username, String token, Instant tokenExpires, Endpoint endpoint, Outbox outbox, long nowMillis) {
        this.username = username;
        this.token = token;
        this.tokenExpires = tokenExpires;
        this.endpoint = endpoint;
        this.outbox = outbox;
        this.lastSeenMillis = nowMillis;
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The account's spelling of the name. */
    public String username() {
        return username;
    }

    /** Secret: never log it. */
    public String token() {
        return token;
    }

    public Instant tokenExpires() {
        return tokenExpires;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /** The room the user is in, in the room's stored spelling, or null. */
    public String room() {
        return room;
    }

    public PeerInfo peerInfo() {
        return endpoint.asPeer(username, room);
    }

    /** True once the session is logged out, expired or replaced; a connection holding it is then logged out. */
    public boolean isEnded() {
        return ended;
    }

    /** True while a TCP connection is attached. */
    public boolean isAttached() {
        return outbox != null;
    }

    public long lastSeenMillis() {
        return lastSeenMillis;
    }

    /** Where the last valid keep-alive came from: TIMEOUT is sent there. Null before the first one. */
    public InetSocketAddress keepAliveAddress() {
        return keepAliveAddress;
    }

    void touch(long nowMillis) {
        lastSeenMillis = nowMillis;
    }

    void keepAliveFrom(InetSocketAddress address, long nowMillis) {
        keepAliveAddress = address;
        lastSeenMillis = nowMillis;
    }

    Outbox outbox() {
        return outbox;
    }

    void attach(Outbox newOutbox, Endpoint newEndpoint) {
        outbox = newOutbox;
        endpoint = newEndpoint;
    }

    void detach() {
        outbox = null;
    }

    void room(String newRoom) {
        room = newRoom;
    }

    void end() {
        ended = true;
    }

    @Override
    public String toString() {
        return "Session[" + username + (room == null ? "" : " in " + room) + "]";
    }
}
