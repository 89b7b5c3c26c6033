package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.CANDIDATES;
import static dev.p2pchat.protocol.HeaderNames.FINGERPRINT;
import static dev.p2pchat.protocol.HeaderNames.PASSWORD;
import static dev.p2pchat.protocol.HeaderNames.PORT;
import static dev.p2pchat.protocol.HeaderNames.ROOM_CAPACITY;
import static dev.p2pchat.protocol.HeaderNames.ROOM_DESCRIPTION;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.ROOM_PASSWORD;
import static dev.p2pchat.protocol.HeaderNames.TIMEOUT;
import static dev.p2pchat.protocol.HeaderNames.TOKEN;
import static dev.p2pchat.protocol.HeaderNames.TYPE;
import static dev.p2pchat.protocol.HeaderNames.USERNAME;

import java.time.Duration;
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
     * certificate that server presents; the registry hands both out to other peers. {@code candidates}
     * (extension, may be empty) are the addresses the peer's server may also be reached at.
     */
    record Login(String username, String password, int port, String fingerprint, List<Candidate> candidates)
            implements RegistryRequest {
        public static final String VERB = "LOGIN";

        public Login {
            Check.nonEmpty("username", username);
            password = Check.sha256Hex("password", password);
            Check.port("port", port);
            fingerprint = Check.sha256Hex("fingerprint", fingerprint);
            candidates = Candidate.checkList(candidates);
        }

        public Login(String username, String password, int port, String fingerprint) {
            this(username, password, port, fingerprint, List.of());
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(PASSWORD, password)
                    .put(PORT, port).put(FINGERPRINT, fingerprint)
                    .put(CANDIDATES, Candidate.formatList(candidates)).build());
        }

        static Login from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Login(Fields.required(f, USERNAME), Fields.required(f, PASSWORD),
                    Fields.integer(f, PORT), Fields.required(f, FINGERPRINT), Fields.candidates(f)));
        }
    }

    /**
     * {@code RESUME} (extension): restores a session with the token from {@code AUTH SUCCESS}, without a password
     * check. {@code roomName}, optional, is the room the client was in: after a registry restart the registry no
     * longer knows it and rejoins it when it can.
     */
    record Resume(String username, String token, int port, String fingerprint, String roomName,
                  List<Candidate> candidates) implements RegistryRequest {
        public static final String VERB = "RESUME";

        public Resume {
            Check.nonEmpty("username", username);
            Check.nonEmpty("token", token);
            Check.port("port", port);
            fingerprint = Check.sha256Hex("fingerprint", fingerprint);
            Check.optionalText("room_name", roomName);
            candidates = Candidate.checkList(candidates);
        }

        public Resume(String username, String token, int port, String fingerprint, String roomName) {
            this(username, token, port, fingerprint, roomName, List.of());
        }

        public Resume(String username, String token, int port, String fingerprint) {
            this(username, token, port, fingerprint, null);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(TOKEN, token)
                    .put(PORT, port).put(FINGERPRINT, fingerprint).put(ROOM_NAME, roomName)
                    .put(CANDIDATES, Candidate.formatList(candidates)).build());
        }

        static Resume from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Resume(Fields.required(f, USERNAME), Fields.required(f, TOKEN),
                    Fields.integer(f, PORT), Fields.required(f, FINGERPRINT), Fields.optional(f, ROOM_NAME),
                    Fields.candidates(f)));
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

    /** {@code ROOM_EXIT}: leaves the caller's room; {@code roomName}, when given, must be that room. */
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
