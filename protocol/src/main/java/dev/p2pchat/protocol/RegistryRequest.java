package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.CANDIDATES;
import static dev.p2pchat.protocol.HeaderNames.CERTIFICATE;
import static dev.p2pchat.protocol.HeaderNames.COLUMNS;
import static dev.p2pchat.protocol.HeaderNames.FINGERPRINT;
import static dev.p2pchat.protocol.HeaderNames.ITEM_ID;
import static dev.p2pchat.protocol.HeaderNames.RECIPIENT_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.TTL;
import static dev.p2pchat.protocol.HeaderNames.PASSWORD;
import static dev.p2pchat.protocol.HeaderNames.PORT;
import static dev.p2pchat.protocol.HeaderNames.ROOMS;
import static dev.p2pchat.protocol.HeaderNames.ROOM_CAPACITY;
import static dev.p2pchat.protocol.HeaderNames.ROOM_DESCRIPTION;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.ROOM_PASSWORD;
import static dev.p2pchat.protocol.HeaderNames.TIMEOUT;
import static dev.p2pchat.protocol.HeaderNames.TOKEN;
import static dev.p2pchat.protocol.HeaderNames.TYPE;
import static dev.p2pchat.protocol.HeaderNames.USERNAME;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a peer asks the registry: over the TLS connection, except {@link KeepAlive}, which goes by UDP.
 * Passwords never appear here in clear: {@code password} and {@code room_password} are SHA-256 hex digests.
 */
public sealed interface RegistryRequest extends Message {

    /** {@code HELLO_P2P}: announces the peer; answered by {@code HELLO_BACK}. */
    record HelloP2p() implements RegistryRequest {
        public static final String VERB = "HELLO_P2P";

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.EMPTY);
        }
    }

    /** {@code REGISTER}: creates an account. */
    record Register(String username, String password) implements RegistryRequest {
        public static final String VERB = "REGISTER";

        public Register {
            Check.nonEmpty("username", username);
            password = Check.sha256Hex("password", password);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(PASSWORD, password).build());
        }

        static Register from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Register(Fields.required(f, USERNAME), Fields.required(f, PASSWORD)));
        }
    }

    /**
     * {@code LOGIN}: {@code port} is where the peer's own server listens, {@code fingerprint} the SHA-256 of the
     * certificate that server presents; the registry hands both out to other peers. {@code certificate}, optional,
     * is that certificate (base64 DER, whose SHA-256 must be {@code fingerprint}): the registry keeps it so that
     * others can seal mailbox items to the user while it is offline. {@code candidates} (extension, may be empty)
     * are the addresses the peer's server may also be reached at.
     */
    record Login(String username, String password, int port, String fingerprint, String certificate,
                 List<Candidate> candidates) implements RegistryRequest {
        public static final String VERB = "LOGIN";

        public Login {
            Check.nonEmpty("username", username);
            password = Check.sha256Hex("password", password);
            Check.port("port", port);
            fingerprint = Check.sha256Hex("fingerprint", fingerprint);
            certificate = Check.optionalCertificate(certificate, fingerprint);
            candidates = Candidate.checkList(candidates);
        }

        public Login(String username, String password, int port, String fingerprint) {
            this(username, password, port, fingerprint, null, List.of());
        }

        public Login(String username, String password, int port, String fingerprint, String certificate) {
            this(username, password, port, fingerprint, certificate, List.of());
        }

        public Login(String username, String password, int port, String fingerprint, List<Candidate> candidates) {
            this(username, password, port, fingerprint, null, candidates);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(PASSWORD, password)
                    .put(PORT, port).put(FINGERPRINT, fingerprint).put(CERTIFICATE, certificate)
                    .put(CANDIDATES, Candidate.formatList(candidates)).build());
        }

        static Login from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Login(Fields.required(f, USERNAME), Fields.required(f, PASSWORD),
                    Fields.integer(f, PORT), Fields.required(f, FINGERPRINT), Fields.optional(f, CERTIFICATE),
                    Fields.candidates(f)));
        }
    }

    /**
     * {@code RESUME} (extension): restores a session with the token from {@code AUTH SUCCESS}, without a password
     * check. {@code roomName}, optional, is the room the client was in: after a registry restart the registry no
     * longer knows it and rejoins it when it can. {@code certificate} is as in {@link Login}.
     */
    record Resume(String username, String token, int port, String fingerprint, String roomName, String certificate,
                  List<Candidate> candidates, List<String> rooms) implements RegistryRequest {
        public static final String VERB = "RESUME";

        public Resume {
            Check.nonEmpty("username", username);
            Check.nonEmpty("token", token);
            Check.port("port", port);
            fingerprint = Check.sha256Hex("fingerprint", fingerprint);
            roomName = Check.optionalText("room_name", roomName);
            certificate = Check.optionalCertificate(certificate, fingerprint);
            candidates = Candidate.checkList(candidates);
            rooms = RoomNames.check(rooms);
        }

        public Resume(String username, String token, int port, String fingerprint, String roomName,
                      String certificate, List<Candidate> candidates) {
            this(username, token, port, fingerprint, roomName, certificate, candidates, List.of());
        }

        /**
         * The rooms to restore: {@code room_name} (the design document's one room) and the {@code rooms} list (an
         * extension, for a session in several), without duplicates.
         */
        public List<String> roomsToRestore() {
            return RoomNames.union(roomName, rooms);
        }

        public Resume(String username, String token, int port, String fingerprint, String roomName) {
            this(username, token, port, fingerprint, roomName, null, List.of());
        }

        public Resume(String username, String token, int port, String fingerprint, String roomName,
                      String certificate) {
            this(username, token, port, fingerprint, roomName, certificate, List.of());
        }

        public Resume(String username, String token, int port, String fingerprint, String roomName,
                      List<Candidate> candidates) {
            this(username, token, port, fingerprint, roomName, null, candidates);
        }

        public Resume(String username, String token, int port, String fingerprint) {
            this(username, token, port, fingerprint, null, null, List.of());
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(TOKEN, token)
                    .put(PORT, port).put(FINGERPRINT, fingerprint).put(ROOM_NAME, roomName)
                    .put(CERTIFICATE, certificate).put(CANDIDATES, Candidate.formatList(candidates))
                    .put(ROOMS, RoomNames.format(rooms)).build());
        }

        static Resume from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Resume(Fields.required(f, USERNAME), Fields.required(f, TOKEN),
                    Fields.integer(f, PORT), Fields.required(f, FINGERPRINT), Fields.optional(f, ROOM_NAME),
                    Fields.optional(f, CERTIFICATE), Fields.candidates(f), RoomNames.parse(f.header(ROOMS))));
        }
    }

    /** {@code CREATE_CHAT_ROOM}: {@code roomPassword} null means an open room; description may be empty. */
    record CreateChatRoom(String roomName, String roomPassword, int capacity, String description)
            implements RegistryRequest {
        public static final String VERB = "CREATE_CHAT_ROOM";

        public CreateChatRoom {
            Check.nonEmpty("room_name", roomName);
            roomPassword = Check.optionalSha256Hex("room_password", roomPassword);
            description = description == null ? "" : Check.text("room_description", description);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ROOM_NAME, roomName).put(ROOM_PASSWORD, roomPassword)
                    .put(ROOM_CAPACITY, capacity).put(ROOM_DESCRIPTION, description.isEmpty() ? null : description)
                    .build());
        }

        static CreateChatRoom from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new CreateChatRoom(Fields.required(f, ROOM_NAME),
                    Fields.optional(f, ROOM_PASSWORD), Fields.integer(f, ROOM_CAPACITY),
                    Fields.optional(f, ROOM_DESCRIPTION)));
        }
    }

    /** {@code JOIN_CHAT_ROOM}: {@code roomPassword} may be null for an open room. */
    record JoinChatRoom(String roomName, String roomPassword) implements RegistryRequest {
        public static final String VERB = "JOIN_CHAT_ROOM";

        public JoinChatRoom {
            Check.nonEmpty("room_name", roomName);
            roomPassword = Check.optionalSha256Hex("room_password", roomPassword);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ROOM_NAME, roomName).put(ROOM_PASSWORD, roomPassword)
                    .build());
        }

        static JoinChatRoom from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new JoinChatRoom(Fields.required(f, ROOM_NAME),
                    Fields.optional(f, ROOM_PASSWORD)));
        }
    }

    /**
     * {@code ROOM_EXIT}: leaves {@code roomName}, one of the caller's rooms; null: the caller's one room (refused
     * when it is in several).
     */
    record RoomExit(String roomName) implements RegistryRequest {
        public static final String VERB = "ROOM_EXIT";

        public RoomExit {
            roomName = Check.optionalText("room_name", roomName);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ROOM_NAME, roomName).build());
        }

        static RoomExit from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RoomExit(Fields.optional(f, ROOM_NAME)));
        }
    }

    enum ListType { DETAILED, PARTIAL }

    /** {@code SHOW_ROOMS_LIST}: {@code type} defaults to PARTIAL when absent. */
    record ShowRoomsList(ListType type) implements RegistryRequest {
        public static final String VERB = "SHOW_ROOMS_LIST";

        public ShowRoomsList {
            java.util.Objects.requireNonNull(type, "type");
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(TYPE, type.name()).build());
        }

        static ShowRoomsList from(Frame f) throws ProtocolException {
            String type = Fields.optional(f, TYPE);
            if (type == null) {
                return new ShowRoomsList(ListType.PARTIAL);
            }
            try {
                return new ShowRoomsList(ListType.valueOf(type.toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw ProtocolException.badContent("type must be DETAILED or PARTIAL");
            }
        }
    }

    /** {@code SEARCH_USER}. */
    record SearchUser(String username) implements RegistryRequest {
        public static final String VERB = "SEARCH_USER";

        public SearchUser {
            Check.nonEmpty("username", username);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).build());
        }

        static SearchUser from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new SearchUser(Fields.required(f, USERNAME)));
        }
    }

    /** {@code DISCOVER_PEERS}: without {@code roomName}, every online peer; with it, that room's members. */
    record DiscoverPeers(String roomName) implements RegistryRequest {
        public static final String VERB = "DISCOVER_PEERS";

        public DiscoverPeers {
            roomName = Check.optionalText("room_name", roomName);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ROOM_NAME, roomName).build());
        }

        static DiscoverPeers from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new DiscoverPeers(Fields.optional(f, ROOM_NAME)));
        }
    }

    /** {@code LOGOUT}. */
    record Logout() implements RegistryRequest {
        public static final String VERB = "LOGOUT";

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.EMPTY);
        }
    }

    /**
     * {@code MAILBOX_PUT} (extension): leaves a sealed item in {@code recipientUsername}'s mailbox, for when the
     * recipient cannot be reached directly. {@code sealed} is base64 of what only the recipient can open (the
     * registry never can); {@code itemId} is the sender's id for it, so a repeated PUT stores it once; {@code ttl},
     * optional, how long it may wait (the registry caps it at its own limit). Answered by MAILBOX_PUT STORED 200
     * once the item is on disk.
     */
    record MailboxPut(String recipientUsername, String itemId, Duration ttl, String sealed) implements RegistryRequest {
        public static final String VERB = "MAILBOX_PUT";

        public MailboxPut {
            Check.nonEmpty("recipient_username", recipientUsername);
            Check.id("item_id", itemId);
            ttl = Check.optionalMillis("ttl", ttl);
            Check.base64Bytes("sealed item", sealed);
        }

        /** The sealed bytes. */
        public byte[] sealedBytes() {
            return java.util.Base64.getDecoder().decode(sealed);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(RECIPIENT_USERNAME, recipientUsername)
                    .put(ITEM_ID, itemId).put(TTL, Fields.millis(ttl)).build()).withPayload(sealed + "\n");
        }

        static MailboxPut from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new MailboxPut(Fields.required(f, RECIPIENT_USERNAME),
                    Fields.required(f, ITEM_ID), Fields.optionalMillis(f, TTL), Fields.line(f.payload())));
        }
    }

    /**
     * {@code MAILBOX_ACK} (extension): the caller has what these items of its mailbox held; the registry deletes
     * them. A table with columns sender_username and item_id (item ids are the senders' and may repeat across
     * senders); at most {@link Limits#MAX_ACK_ITEMS} rows.
     */
    record MailboxAck(List<Item> items) implements RegistryRequest {
        public static final String VERB = "MAILBOX_ACK";
        static final List<String> COLUMNS_LIST = List.of("sender_username", "item_id");

        /** One acknowledged item. */
        public record Item(String senderUsername, String itemId) {
            public Item {
                Check.nonEmpty("sender_username", senderUsername);
                Check.id("item_id", itemId);
            }
        }

        public MailboxAck {
            items = List.copyOf(items);
            if (items.isEmpty() || items.size() > Limits.MAX_ACK_ITEMS) {
                throw new IllegalArgumentException("MAILBOX_ACK lists 1 to " + Limits.MAX_ACK_ITEMS + " items");
            }
        }

        @Override
        public Frame toFrame() {
            List<List<String>> rows = new ArrayList<>(items.size());
            for (Item item : items) {
                rows.add(List.of(item.senderUsername(), item.itemId()));
            }
            Table table = new Table(COLUMNS_LIST, rows);
            return Frame.request(VERB, Headers.builder().put(COLUMNS, table.columnsHeader()).build())
                    .withPayload(table.payload());
        }

        static MailboxAck from(Frame f) throws ProtocolException {
            Table table = Table.parse(f.header(COLUMNS) == null ? String.join("\t", COLUMNS_LIST) : f.header(COLUMNS),
                    f.payload(), COLUMNS_LIST);
            List<Item> items = new ArrayList<>();
            for (List<String> row : table.rows()) {
                items.add(Fields.build(f, () -> new Item(table.cell(row, "sender_username"),
                        table.cell(row, "item_id"))));
            }
            return Fields.build(f, () -> new MailboxAck(items));
        }
    }

    /**
     * {@code CONNECT_BACK} (extension): the caller could not reach {@code username} at any of its addresses; the
     * registry asks that user to dial the caller ({@code DIAL_BACK} push), Napster's "firewalled push". Answered by
     * CONNECT_BACK SUCCESS 200 once the push is queued; the link itself arrives at the caller's server.
     */
    record ConnectBack(String username) implements RegistryRequest {
        public static final String VERB = "CONNECT_BACK";

        public ConnectBack {
            Check.nonEmpty("username", username);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).build());
        }

        static ConnectBack from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new ConnectBack(Fields.required(f, USERNAME)));
        }
    }

    /**
     * {@code PUNCH} (extension, PROTOCOL.md section 10.17): the caller reached {@code username} neither directly
     * nor by a dial-back; the registry tells both sides where the other's NAT maps its listening port and when to
     * dial it ({@code PUNCH_NOW} to {@code username}, the same in the answer to the caller), so that both connect
     * at once (TCP simultaneous open). The caller is then the link's TLS client.
     */
    record Punch(String username) implements RegistryRequest {
        public static final String VERB = "PUNCH";

        public Punch {
            Check.nonEmpty("username", username);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).build());
        }

        static Punch from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Punch(Fields.required(f, USERNAME)));
        }
    }

    /**
     * {@code RELAY_TOKEN} (extension, PROTOCOL.md section 15): the caller reached {@code username} neither
     * directly nor by a dial-back; the registry issues a one-time rendezvous token at one of its relays, tells
     * {@code username} with a {@code RELAY_OFFER} push, and answers the caller with the same ticket.
     */
    record RelayToken(String username) implements RegistryRequest {
        public static final String VERB = "RELAY_TOKEN";

        public RelayToken {
            Check.nonEmpty("username", username);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).build());
        }

        static RelayToken from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RelayToken(Fields.required(f, USERNAME)));
        }
    }

    /**
     * {@code KEEP_ALIVE} (UDP): {@code token} is the keep-alive token from {@code AUTH SUCCESS} (header
     * {@code keepalive_token}), never the session token, which would travel in clear; {@code timeout} is
     * informational, the timeout the peer believes applies.
     */
    record KeepAlive(String username, String token, Duration timeout) implements RegistryRequest {
        public static final String VERB = "KEEP_ALIVE";

        public KeepAlive {
            Check.nonEmpty("username", username);
            Check.nonEmpty("token", token);
            timeout = Check.optionalMillis("timeout", timeout);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(TOKEN, token)
                    .put(TIMEOUT, Fields.millis(timeout)).build());
        }

        static KeepAlive from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new KeepAlive(Fields.required(f, USERNAME), Fields.required(f, TOKEN),
                    Fields.optionalMillis(f, TIMEOUT)));
        }
    }
}
