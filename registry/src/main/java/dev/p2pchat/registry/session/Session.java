package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.Dialable;
import dev.p2pchat.protocol.PeerInfo;
import java.net.InetSocketAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One logged-in user. A session outlives its TCP connection: when the connection drops without LOGOUT the
 * session stays online (and in its rooms) until the keep-alive timeout, so the client can RESUME it.
 * Every field that changes is written only by {@link SessionRegistry}; readers see it through volatiles.
 */
public final class Session {
    private final String username;
    private final String token;
    private final Instant tokenExpires;
    private volatile String keepAliveToken;
    private volatile Endpoint endpoint;
    /** The rooms the user is in, in the order joined, in each room's stored spelling: replaced whole, never changed. */
    private volatile List<String> rooms = List.of();
    private volatile Outbox outbox;
    private volatile long lastSeenMillis;
    private volatile InetSocketAddress keepAliveAddress;
    private volatile boolean ended;
    /** What the reachability self-test of {@link #endpoint} found; unknown until it ends, and for a new endpoint. */
    private volatile Dialable dialable = Dialable.UNKNOWN;
    private final String key;
    /** Built when the endpoint, the rooms or the reachability change, not per request: lists of peers reuse it. */
    private volatile PeerInfo peerInfo;

    Session(String username, String token, Instant tokenExpires, String keepAliveToken, Endpoint endpoint,
            Outbox outbox, long nowMillis) {
        this.username = username;
        this.key = key(username);
        this.token = token;
        this.tokenExpires = tokenExpires;
        this.keepAliveToken = keepAliveToken;
        this.endpoint = endpoint;
        this.outbox = outbox;
        this.lastSeenMillis = nowMillis;
        this.peerInfo = endpoint.asPeer(username, null, dialable);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    /** The folded username, kept: lists of peers are sorted by it for every request. */
    String key() {
        return key;
    }

    /** The account's spelling of the name. */
    public String username() {
        return username;
    }

    /** Secret: never log it. Resumes the session; travels only inside TLS. */
    public String token() {
        return token;
    }

    /**
     * Secret: never log it. Proves a UDP keep-alive belongs to this session. It travels in clear, so it is good
     * for nothing else (never for RESUME), and it is replaced whenever the session is resumed.
     */
    public String keepAliveToken() {
        return keepAliveToken;
    }

    public Instant tokenExpires() {
        return tokenExpires;
    }

    public Endpoint endpoint() {
        return endpoint;
    }

    /**
     * The room the user joined first of those it is in, or null: what a one-room field (the design document's
     * {@code room} of a peer) shows.
     */
    public String room() {
        List<String> now = rooms;
        return now.isEmpty() ? null : now.getFirst();
    }

    /** Every room the user is in, in the order joined, in each room's stored spelling. */
    public List<String> rooms() {
        return rooms;
    }

    /** Whether the user is in {@code roomName} (ignoring case). */
    public boolean isIn(String roomName) {
        String key = key(roomName);
        for (String room : rooms) {
            if (key(room).equals(key)) {
                return true;
            }
        }
        return false;
    }

    public PeerInfo peerInfo() {
        return peerInfo;
    }

    /** What the reachability self-test found of the current endpoint. */
    public Dialable dialable() {
        return dialable;
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

    void attach(Outbox newOutbox, Endpoint newEndpoint, String newKeepAliveToken) {
        outbox = newOutbox;
        if (!newEndpoint.equals(endpoint)) {
            dialable = Dialable.UNKNOWN; // found of another address; the RESUME's own test says anew
        }
        endpoint = newEndpoint;
        keepAliveToken = newKeepAliveToken;
        peerInfo = newEndpoint.asPeer(username, room(), dialable);
    }

    void detach() {
        outbox = null;
    }

    void joined(String roomName) {
        List<String> more = new ArrayList<>(rooms);
        more.add(roomName);
        rooms = List.copyOf(more);
        peerInfo = endpoint.asPeer(username, room(), dialable);
    }

    void left(String roomName) {
        String key = key(roomName);
        rooms = rooms.stream().filter(r -> !key(r).equals(key)).toList();
        peerInfo = endpoint.asPeer(username, room(), dialable);
    }

    void dialable(Dialable found) {
        dialable = found;
        peerInfo = endpoint.asPeer(username, room(), found);
    }

    void end() {
        ended = true;
    }

    @Override
    public String toString() {
        return "Session[" + username + (rooms.isEmpty() ? "" : " in " + String.join(",", rooms)) + "]";
    }
}
