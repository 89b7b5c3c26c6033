package dev.p2pchat.protocol;

/** Header names used on the wire (lower case, as written). */
public final class HeaderNames {
    public static final String ID = "id";
    public static final String CONTENT_LENGTH = "content-length";
    public static final String COLUMNS = "columns";
    public static final String REASON = "reason";
    public static final String CAUSE = "cause";
    public static final String USERNAME = "username";
    public static final String PASSWORD = "password";
    public static final String PORT = "port";
    public static final String UDP_PORT = "udp_port";
    public static final String FINGERPRINT = "fingerprint";
    public static final String TOKEN = "token";
    public static final String TOKEN_EXPIRES = "token_expires";
    /** The per-session secret that KEEP_ALIVE carries instead of the session token; worthless for RESUME. */
    public static final String KEEPALIVE_TOKEN = "keepalive_token";
    public static final String KEEPALIVE_INTERVAL = "keepalive_interval";
    public static final String TIMEOUT = "timeout";
    public static final String ROOM_NAME = "room_name";
    public static final String ROOM_PASSWORD = "room_password";
    public static final String ROOM_CAPACITY = "room_capacity";
    public static final String ROOM_DESCRIPTION = "room_description";
    public static final String TYPE = "type";
    public static final String IP = "ip";
    /** The addresses a peer's server may be reached at, besides the one the registry observes (Candidate). */
    public static final String CANDIDATES = "candidates";
    /** In KEEP_ALIVE_RESPONSE: the address and port the datagram came from, as the registry saw it (Candidate). */
    public static final String OBSERVED = "observed";
    public static final String SENDER_USERNAME = "sender_username";
    public static final String RECIPIENT_USERNAME = "recipient_username";
    public static final String TIMESTAMP = "timestamp";
    public static final String RESTORED = "restored";
    /** Several rooms at once: a comma-separated list of room names (RoomNames). */
    public static final String ROOMS = "rooms";
    /** On a list reply cut short to fit one frame: how many rows there were in all. */
    public static final String TOTAL = "total";
    /** The DER of a peer's identity certificate in base64: what a sender seals mailbox items to. */
    public static final String CERTIFICATE = "certificate";
    /** A mailbox item's id, chosen by its sender; the frame's {@code id} stays the correlation id. */
    public static final String ITEM_ID = "item_id";
    public static final String TTL = "ttl";
    public static final String STORED_AT = "stored_at";
    public static final String EXPIRES = "expires";
    public static final String SIGNATURE = "signature";
    public static final String SINCE = "since";
    public static final String LIMIT = "limit";
    public static final String OMITTED = "omitted";
    /** Where a relayed link meets (RELAY_TOKEN, RELAY_OFFER): the relay's host (absent: the registry's), port, pin. */
    public static final String RELAY_HOST = "relay_host";
    public static final String RELAY_PORT = "relay_port";
    public static final String RELAY_FINGERPRINT = "relay_fingerprint";
    /** In PUNCH and PUNCH_NOW: how long after the message both sides dial each other, in milliseconds. */
    public static final String DELAY = "delay";
    /** On a listed peer: whether the registry's self-test could connect to it ({@link Dialable}: yes, no). */
    public static final String DIALABLE = "dialable";
    /** In REACHABILITY: the addresses the registry tried to connect to (Candidate list). */
    public static final String TESTED = "tested";
    /** In REACHABILITY: those of the tested addresses that took the connection (Candidate list; absent: none). */
    public static final String REACHABLE = "reachable";

    private HeaderNames() {
    }
    /** A file transfer's id, chosen by the sender of the offer (FILE_OFFER and everything after it). */
    public static final String TRANSFER_ID = "transfer_id";
    public static final String FILE_NAME = "file_name";
    public static final String FILE_SIZE = "file_size";
    public static final String SHA256 = "sha256";
    /** Bytes of the file before this chunk, or where a FILE_GET asks the sender to continue from. */
    public static final String OFFSET = "offset";
    /** How many FILE_CHUNKs the receiver lets the sender have unanswered at once. */
    public static final String WINDOW = "window";
    /** Bytes the receiver holds on disk after this chunk. */
    public static final String RECEIVED = "received";
}
