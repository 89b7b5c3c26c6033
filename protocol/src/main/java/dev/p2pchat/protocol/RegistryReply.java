package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.CERTIFICATE;
import static dev.p2pchat.protocol.HeaderNames.COLUMNS;
import static dev.p2pchat.protocol.HeaderNames.DELAY;
import static dev.p2pchat.protocol.HeaderNames.CANDIDATES;
import static dev.p2pchat.protocol.HeaderNames.OBSERVED;
import static dev.p2pchat.protocol.HeaderNames.EXPIRES;
import static dev.p2pchat.protocol.HeaderNames.ITEM_ID;
import static dev.p2pchat.protocol.HeaderNames.FINGERPRINT;
import static dev.p2pchat.protocol.HeaderNames.IP;
import static dev.p2pchat.protocol.HeaderNames.KEEPALIVE_INTERVAL;
import static dev.p2pchat.protocol.HeaderNames.KEEPALIVE_TOKEN;
import static dev.p2pchat.protocol.HeaderNames.PORT;
import static dev.p2pchat.protocol.HeaderNames.ROOMS;
import static dev.p2pchat.protocol.HeaderNames.REASON;
import static dev.p2pchat.protocol.HeaderNames.RESTORED;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.TIMEOUT;
import static dev.p2pchat.protocol.HeaderNames.TOKEN;
import static dev.p2pchat.protocol.HeaderNames.TOKEN_EXPIRES;
import static dev.p2pchat.protocol.HeaderNames.TOTAL;
import static dev.p2pchat.protocol.HeaderNames.UDP_PORT;
import static dev.p2pchat.protocol.HeaderNames.USERNAME;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The registry's answer to one {@link RegistryRequest}, echoing its {@code id}. Failures carry a
 * {@code reason} meant for a person; the status (phrase and code) is what a program branches on.
 */
public sealed interface RegistryReply extends Message permits ErrorReply, RegistryReply.HelloBack,
        RegistryReply.RegisterResult, RegistryReply.Auth, RegistryReply.Creation, RegistryReply.Join,
        RegistryReply.RoomExitResponse, RegistryReply.RoomsList, RegistryReply.SearchUserResponse,
        RegistryReply.PeerList, RegistryReply.LogoutResponse, RegistryReply.KeepAliveResponse,
        RegistryReply.MailboxPutResult, RegistryReply.MailboxAckResult, RegistryReply.ConnectBackResult,
        RegistryReply.RelayTokenResult, RegistryReply.PunchResult {

    Status status();

    /** {@code HELLO_BACK SUCCESS 200} with the registry's UDP port for keep-alives. */
    record HelloBack(Status status, Integer udpPort) implements RegistryReply {
        public static final String VERB = "HELLO_BACK";

        public HelloBack {
            java.util.Objects.requireNonNull(status, "status");
            udpPort = Check.optionalPort("udp_port", udpPort);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(UDP_PORT, Fields.integerOrNull(udpPort)).build());
        }

        static HelloBack from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new HelloBack(f.status(), Fields.optionalInteger(f, UDP_PORT)));
        }
    }

    /** {@code REGISTER SUCCESS 200 | EXIST 300 | FAILURE 404}. */
    record RegisterResult(Status status, String reason) implements RegistryReply {
        public static final String VERB = RegistryRequest.Register.VERB;

        public RegisterResult {
            java.util.Objects.requireNonNull(status, "status");
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(REASON, reason).build());
        }

        static RegisterResult from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RegisterResult(f.status(), Fields.optional(f, REASON)));
        }
    }

    /**
     * {@code AUTH SUCCESS 200 | FAILURE 404 | ONLINE 300}, the answer to LOGIN and RESUME. On success it carries
     * the session token (for RESUME, over TLS only) and its expiry, the keep-alive token (for KEEP_ALIVE over UDP,
     * useless for RESUME), the UDP port and the keep-alive timeout and interval; after a RESUME that put the user
     * back in a room, {@code restored} names the room.
     */
    record Auth(Status status, String token, Instant tokenExpires, String keepaliveToken, Integer udpPort,
                Duration keepaliveTimeout, Duration keepaliveInterval, String restoredRoom, String reason,
                List<String> restoredRooms)
            implements RegistryReply {
        public static final String VERB = "AUTH";

        /** As the design document has it: at most one restored room, in {@code restored}. */
        public Auth(Status status, String token, Instant tokenExpires, String keepaliveToken, Integer udpPort,
                    Duration keepaliveTimeout, Duration keepaliveInterval, String restoredRoom, String reason) {
            this(status, token, tokenExpires, keepaliveToken, udpPort, keepaliveTimeout, keepaliveInterval,
                    restoredRoom, reason, List.of());
        }

        /**
         * Every room the RESUME restored: {@code restored} (the first) and the {@code rooms} list, sent only when
         * there were several.
         */
        public List<String> allRestoredRooms() {
            return RoomNames.union(restoredRoom, restoredRooms);
        }

        public Auth {
            java.util.Objects.requireNonNull(status, "status");
            tokenExpires = Check.optionalInstant("token_expires", tokenExpires);
            udpPort = Check.optionalPort("udp_port", udpPort);
            keepaliveTimeout = Check.optionalMillis("timeout", keepaliveTimeout);
            keepaliveInterval = Check.optionalMillis("keepalive_interval", keepaliveInterval);
            token = Check.optionalText("token", token);
            keepaliveToken = Check.optionalText("keepalive_token", keepaliveToken);
            restoredRoom = Check.optionalText("restored", restoredRoom);
            reason = Check.optionalReason(reason);
            restoredRooms = RoomNames.check(restoredRooms);
            if (status.isSuccess() && token == null) {
                throw new IllegalArgumentException("AUTH SUCCESS needs a token");
            }
        }

        /** Without a keep-alive token, as before {@code keepalive_token} existed. */
        public Auth(Status status, String token, Instant tokenExpires, Integer udpPort, Duration keepaliveTimeout,
                    Duration keepaliveInterval, String restoredRoom, String reason) {
            this(status, token, tokenExpires, null, udpPort, keepaliveTimeout, keepaliveInterval, restoredRoom,
                    reason);
        }

        public static Auth failure(Status status, String reason) {
            return new Auth(status, null, null, null, null, null, null, null, reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(TOKEN, token)
                    .put(TOKEN_EXPIRES, Fields.epochMillis(tokenExpires)).put(KEEPALIVE_TOKEN, keepaliveToken)
                    .put(UDP_PORT, Fields.integerOrNull(udpPort))
                    .put(TIMEOUT, Fields.millis(keepaliveTimeout)).put(KEEPALIVE_INTERVAL, Fields.millis(keepaliveInterval))
                    .put(RESTORED, restoredRoom).put(REASON, reason)
                    .put(ROOMS, RoomNames.format(restoredRooms)).build());
        }

        static Auth from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Auth(f.status(), Fields.optional(f, TOKEN),
                    Fields.optionalInstant(f, TOKEN_EXPIRES), Fields.optional(f, KEEPALIVE_TOKEN),
                    Fields.optionalInteger(f, UDP_PORT), Fields.optionalMillis(f, TIMEOUT),
                    Fields.optionalMillis(f, KEEPALIVE_INTERVAL), Fields.optional(f, RESTORED),
                    Fields.optional(f, REASON), RoomNames.parse(f.header(ROOMS))));
        }
    }

    /** {@code CREATION SUCCESS 200 | FAILURE 404 | EXIST 300}. */
    record Creation(Status status, String roomName, String reason) implements RegistryReply {
        public static final String VERB = "CREATION";

        public Creation {
            java.util.Objects.requireNonNull(status, "status");
            roomName = Check.optionalText("room_name", roomName);
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(ROOM_NAME, roomName).put(REASON, reason).build());
        }

        static Creation from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Creation(f.status(), Fields.optional(f, ROOM_NAME), Fields.optional(f, REASON)));
        }
    }

    /** {@code JOIN SUCCESS 200 | FAILURE 404 | FULL 503 | WRONG_STATE 409 | TOO_MANY_ROOMS 409}. */
    record Join(Status status, String roomName, String reason) implements RegistryReply {
        public static final String VERB = "JOIN";

        public Join {
            java.util.Objects.requireNonNull(status, "status");
            roomName = Check.optionalText("room_name", roomName);
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(ROOM_NAME, roomName).put(REASON, reason).build());
        }

        static Join from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Join(f.status(), Fields.optional(f, ROOM_NAME), Fields.optional(f, REASON)));
        }
    }

    /** {@code ROOM_EXIT_RESPONSE SUCCESS 200 | FAILURE 404 | WRONG_STATE 409} (no room named while in several). */
    record RoomExitResponse(Status status, String roomName, String reason) implements RegistryReply {
        public static final String VERB = "ROOM_EXIT_RESPONSE";

        public RoomExitResponse {
            java.util.Objects.requireNonNull(status, "status");
            roomName = Check.optionalText("room_name", roomName);
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(ROOM_NAME, roomName).put(REASON, reason).build());
        }

        static RoomExitResponse from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RoomExitResponse(f.status(), Fields.optional(f, ROOM_NAME),
                    Fields.optional(f, REASON)));
        }
    }

    /**
     * {@code ROOMS_LIST FOUND 200 | NOT_FOUND 404}: a table of rooms. DETAILED lists the columns name, description,
     * members, capacity, has_password; PARTIAL lists name, members, capacity. {@code total}, null when every room
     * is listed, says how many rooms there are when the list was cut short to fit one frame.
     */
    record RoomsList(Status status, RegistryRequest.ListType type, List<RoomSummary> rooms, Integer total)
            implements RegistryReply {
        public static final String VERB = "ROOMS_LIST";
        static final List<String> PARTIAL_COLUMNS = List.of("name", "members", "capacity");
        static final List<String> DETAILED_COLUMNS = List.of("name", "description", "members", "capacity", "has_password");

        /**
         * Rooms are stored as they travel: in a PARTIAL list without description and password flag, in a
         * DETAILED list with an empty description rather than none.
         */
        public RoomsList {
            java.util.Objects.requireNonNull(status, "status");
            java.util.Objects.requireNonNull(type, "type");
            List<RoomSummary> normalized = new ArrayList<>(rooms.size());
            for (RoomSummary room : rooms) {
                normalized.add(type == RegistryRequest.ListType.PARTIAL
                        ? new RoomSummary(room.name(), null, room.members(), room.capacity(), false)
                        : new RoomSummary(room.name(), room.description() == null ? "" : room.description(),
                                room.members(), room.capacity(), room.hasPassword()));
            }
            rooms = List.copyOf(normalized);
            Check.optionalTotal(total, rooms.size());
        }

        /** A complete list. */
        public RoomsList(Status status, RegistryRequest.ListType type, List<RoomSummary> rooms) {
            this(status, type, rooms, null);
        }

        @Override
        public Frame toFrame() {
            boolean detailed = type == RegistryRequest.ListType.DETAILED;
            TableWriter table = new TableWriter(rooms.size(), detailed ? 96 : 40);
            for (RoomSummary room : rooms) {
                table.cell(room.name());
                if (detailed) {
                    table.cell(room.description() == null ? "" : room.description());
                }
                table.cell(room.members()).cell(room.capacity());
                if (detailed) {
                    table.cell(Boolean.toString(room.hasPassword()));
                }
                table.endRow();
            }
            return Frame.response(VERB, status, Headers.builder()
                    .put(COLUMNS, String.join("\t", detailed ? DETAILED_COLUMNS : PARTIAL_COLUMNS))
                    .put(HeaderNames.TYPE, type.name()).put(TOTAL, Fields.integerOrNull(total)).build())
                    .withPayload(table.payload());
        }

        static RoomsList from(Frame f) throws ProtocolException {
            Table table = Table.parse(f.header(COLUMNS) == null ? String.join("\t", PARTIAL_COLUMNS) : f.header(COLUMNS),
                    f.payload(), PARTIAL_COLUMNS);
            boolean detailed = table.columns().containsAll(DETAILED_COLUMNS);
            List<RoomSummary> rooms = new ArrayList<>();
            for (List<String> row : table.rows()) {
                rooms.add(Fields.build(f, () -> new RoomSummary(table.cell(row, "name"),
                        detailed ? table.cell(row, "description") : null,
                        parseCount(table.cell(row, "members")), parseCount(table.cell(row, "capacity")),
                        detailed && parseBoolean(table.cell(row, "has_password")))));
            }
            Integer total = Fields.optionalInteger(f, TOTAL);
            return Fields.build(f, () -> new RoomsList(f.status(),
                    detailed ? RegistryRequest.ListType.DETAILED : RegistryRequest.ListType.PARTIAL, rooms, total));
        }
    }

    /**
     * {@code SEARCH_USER_RESPONSE SUCCESS 200 | NOT_ONLINE 300 | NOT_FOUND 404}; on success, where the user is.
     * {@code certificate} (extension), on SUCCESS and NOT_ONLINE when the registry has one, is the user's current
     * identity certificate (base64 DER), so that a sender can seal mailbox items to a user who is not online.
     */
    record SearchUserResponse(Status status, PeerInfo peer, String certificate, List<String> rooms)
            implements RegistryReply {
        public static final String VERB = "SEARCH_USER_RESPONSE";

        /** One room at most, in the peer's {@code room_name} (the design document's form). */
        public SearchUserResponse(Status status, PeerInfo peer, String certificate) {
            this(status, peer, certificate, List.of());
        }

        /**
         * Every room of the user the asker may see: {@code room_name} (one of them, for old readers) and the
         * {@code rooms} list (an extension).
         */
        public List<String> allRooms() {
            return RoomNames.union(peer == null ? null : peer.room(), rooms);
        }

        public SearchUserResponse {
            java.util.Objects.requireNonNull(status, "status");
            if (status.isSuccess() && peer == null) {
                throw new IllegalArgumentException("SEARCH_USER_RESPONSE SUCCESS needs the peer");
            }
            if (!status.isSuccess() && peer != null) {
                throw new IllegalArgumentException("only SEARCH_USER_RESPONSE SUCCESS carries a peer");
            }
            certificate = Check.optionalCertificate(certificate, peer == null ? null : peer.fingerprint());
            rooms = RoomNames.check(rooms);
        }

        public SearchUserResponse(Status status, PeerInfo peer) {
            this(status, peer, null);
        }

        @Override
        public Frame toFrame() {
            Headers.Builder headers = Headers.builder();
            if (peer != null) {
                headers.put(USERNAME, peer.username()).put(ROOM_NAME, peer.room()).put(IP, peer.ip())
                        .put(PORT, peer.port()).put(FINGERPRINT, peer.fingerprint())
                        .put(CANDIDATES, Candidate.formatList(peer.candidates()))
                        .put(HeaderNames.DIALABLE, peer.dialable().word());
            }
            headers.put(CERTIFICATE, certificate).put(ROOMS, RoomNames.format(rooms));
            return Frame.response(VERB, status, headers.build());
        }

        static SearchUserResponse from(Frame f) throws ProtocolException {
            if (!f.status().isSuccess()) {
                return Fields.build(f, () -> new SearchUserResponse(f.status(), null,
                        Fields.optional(f, CERTIFICATE)));
            }
            return Fields.build(f, () -> new SearchUserResponse(f.status(), new PeerInfo(Fields.required(f, USERNAME),
                    Fields.optional(f, ROOM_NAME), Fields.required(f, IP), Fields.integer(f, PORT),
                    Fields.required(f, FINGERPRINT), Fields.candidates(f), Fields.dialable(f)),
                    Fields.optional(f, CERTIFICATE),
                    RoomNames.parse(f.header(ROOMS))));
        }
    }

    /**
     * {@code PEER_LIST SUCCESS 200 | FAILURE 404}: a table with columns username, room, ip, port, fingerprint,
     * candidates, dialable (the last two extensions: a reader that lacks one lists no candidates, or every peer's
     * reachability as unknown; each is written only when some peer has one).
     * {@code total}, null when every peer is listed, says how many there are when the list was cut short to fit
     * one frame.
     */
    record PeerList(Status status, String roomName, List<PeerInfo> peers, String reason, Integer total)
            implements RegistryReply {
        public static final String VERB = "PEER_LIST";
        static final List<String> COLUMNS_LIST = List.of("username", "room", "ip", "port", "fingerprint");
        static final String CANDIDATES_COLUMN = "candidates";
        static final String DIALABLE_COLUMN = "dialable";

        public PeerList {
            java.util.Objects.requireNonNull(status, "status");
            peers = List.copyOf(peers);
            roomName = Check.optionalText("room_name", roomName);
            reason = Check.optionalReason(reason);
            Check.optionalTotal(total, peers.size());
        }

        /** A complete list. */
        public PeerList(Status status, String roomName, List<PeerInfo> peers, String reason) {
            this(status, roomName, peers, reason, null);
        }

        @Override
        public Frame toFrame() {
            // The candidates column only when someone has candidates: the design document's table otherwise.
            boolean withCandidates = peers.stream().anyMatch(p -> !p.candidates().isEmpty());
            boolean withDialable = peers.stream().anyMatch(p -> p.dialable() != Dialable.UNKNOWN);
            List<String> columns = new ArrayList<>(COLUMNS_LIST);
            if (withCandidates) {
                columns.add(CANDIDATES_COLUMN);
            }
            if (withDialable) {
                columns.add(DIALABLE_COLUMN);
            }
            TableWriter table = new TableWriter(peers.size(), 128);
            for (PeerInfo p : peers) {
                table.cell(p.username()).cell(p.room() == null ? "" : p.room()).cell(p.ip()).cell(p.port())
                        .cell(p.fingerprint());
                if (withCandidates) {
                    String candidates = Candidate.formatList(p.candidates());
                    table.cell(candidates == null ? "" : candidates);
                }
                if (withDialable) {
                    table.cell(p.dialable().word() == null ? "" : p.dialable().word());
                }
                table.endRow();
            }
            return Frame.response(VERB, status, Headers.builder().put(ROOM_NAME, roomName).put(REASON, reason)
                    .put(COLUMNS, String.join("\t", columns)).put(TOTAL, Fields.integerOrNull(total)).build())
                    .withPayload(table.payload());
        }

        static PeerList from(Frame f) throws ProtocolException {
            Table table = Table.parse(f.header(COLUMNS) == null ? String.join("\t", COLUMNS_LIST) : f.header(COLUMNS),
                    f.payload(), COLUMNS_LIST);
            List<PeerInfo> peers = new ArrayList<>();
            for (List<String> row : table.rows()) {
                String candidates = table.columns().contains(CANDIDATES_COLUMN) ? table.cell(row, CANDIDATES_COLUMN)
                        : "";
                String dialable = table.columns().contains(DIALABLE_COLUMN) ? table.cell(row, DIALABLE_COLUMN) : "";
                peers.add(Fields.build(f, () -> new PeerInfo(table.cell(row, "username"), table.cell(row, "room"),
                        table.cell(row, "ip"), parseCount(table.cell(row, "port")), table.cell(row, "fingerprint"),
                        Candidate.parseList(candidates), Dialable.ofWord(dialable.isEmpty() ? null : dialable))));
            }
            Integer total = Fields.optionalInteger(f, TOTAL);
            return Fields.build(f, () -> new PeerList(f.status(), Fields.optional(f, ROOM_NAME), peers,
                    Fields.optional(f, REASON), total));
        }
    }

    /**
     * {@code CONNECT_BACK SUCCESS 200 | NOT_ONLINE 300 | NOT_FOUND 404 | WRONG_STATE 409 | RATE_LIMITED 429}
     * (extension): whether the registry pushed {@code DIAL_BACK} to {@code username}.
     */
    record ConnectBackResult(Status status, String username, String reason) implements RegistryReply {
        public static final String VERB = RegistryRequest.ConnectBack.VERB;

        public ConnectBackResult {
            java.util.Objects.requireNonNull(status, "status");
            Check.nonEmpty("username", username);
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(USERNAME, username).put(REASON, reason)
                    .build());
        }

        static ConnectBackResult from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new ConnectBackResult(f.status(), Fields.required(f, USERNAME),
                    Fields.optional(f, REASON)));
        }
    }

    /**
     * {@code RELAY_TOKEN SUCCESS 200 | NOT_ONLINE 300 | NOT_FOUND 404 | WRONG_STATE 409 | RATE_LIMITED 429 |
     * FULL 503} (extension): on success the {@code ticket} to present at the relay, which {@code username} was
     * pushed too ({@code RELAY_OFFER}); else why not (503: this registry knows no relay).
     */
    record RelayTokenResult(Status status, String username, RelayTicket ticket, String reason)
            implements RegistryReply {
        public static final String VERB = RegistryRequest.RelayToken.VERB;

        public RelayTokenResult {
            java.util.Objects.requireNonNull(status, "status");
            Check.nonEmpty("username", username);
            if (status.isSuccess() != (ticket != null)) {
                throw new IllegalArgumentException("a relay ticket comes with SUCCESS and only with it");
            }
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            Headers.Builder headers = Headers.builder().put(USERNAME, username);
            if (ticket != null) {
                ticket.putInto(headers);
            }
            return Frame.response(VERB, status, headers.put(REASON, reason).build());
        }

        static RelayTokenResult from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RelayTokenResult(f.status(), Fields.required(f, USERNAME),
                    f.status().isSuccess() ? RelayTicket.from(f) : null, Fields.optional(f, REASON)));
        }
    }

    /**
     * {@code PUNCH SUCCESS 200 | NOT_ONLINE 300 | NOT_FOUND 404 | WRONG_STATE 409 | RATE_LIMITED 429} (extension):
     * on success where {@code username}'s NAT maps its listening port ({@code observed}) and how long after this
     * answer to dial it ({@code delay}); {@code username} was pushed the same about the caller ({@code PUNCH_NOW}).
     */
    record PunchResult(Status status, String username, Candidate observed, Duration delay, String reason)
            implements RegistryReply {
        public static final String VERB = RegistryRequest.Punch.VERB;

        public PunchResult {
            java.util.Objects.requireNonNull(status, "status");
            Check.nonEmpty("username", username);
            if (status.isSuccess() != (observed != null && delay != null)) {
                throw new IllegalArgumentException("an address and a delay come with SUCCESS and only with it");
            }
            delay = Check.optionalMillis("delay", delay);
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(USERNAME, username)
                    .put(OBSERVED, observed == null ? null : observed.text()).put(DELAY, Fields.millis(delay))
                    .put(REASON, reason).build());
        }

        static PunchResult from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new PunchResult(f.status(), Fields.required(f, USERNAME),
                    Fields.optionalCandidate(f, OBSERVED), Fields.optionalMillis(f, DELAY),
                    Fields.optional(f, REASON)));
        }
    }

    /** {@code LOGOUT_RESPONSE SUCCESS 200} (the design document names no answer to LOGOUT). */
    record LogoutResponse(Status status) implements RegistryReply {
        public static final String VERB = "LOGOUT_RESPONSE";

        public LogoutResponse {
            java.util.Objects.requireNonNull(status, "status");
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.EMPTY);
        }
    }

    /** {@code KEEP_ALIVE_RESPONSE SUCCESS 200 | FAILURE 404} (UDP). */
    /**
     * {@code KEEP_ALIVE_RESPONSE SUCCESS 200 | FAILURE 404}. {@code observed} (may be null) is the address and port
     * the answered datagram came from as the registry saw it: a peer whose observed address changes has moved
     * (another network, a NAT that rebooted), and its registry connection and listed address are most likely stale.
     */
    record KeepAliveResponse(Status status, String reason, Candidate observed) implements RegistryReply {
        public static final String VERB = "KEEP_ALIVE_RESPONSE";

        public KeepAliveResponse {
            java.util.Objects.requireNonNull(status, "status");
            reason = Check.optionalReason(reason);
        }

        public KeepAliveResponse(Status status, String reason) {
            this(status, reason, null);
        }

        /** This answer, naming the address it goes to; unchanged for one no candidate can name (a scoped address). */
        public KeepAliveResponse observedAt(java.net.InetSocketAddress from) {
            try {
                return new KeepAliveResponse(status, reason, Candidate.of(from.getAddress(), from.getPort()));
            } catch (IllegalArgumentException e) {
                return this;
            }
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(REASON, reason)
                    .put(OBSERVED, observed == null ? null : observed.text()).build());
        }

        static KeepAliveResponse from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new KeepAliveResponse(f.status(), Fields.optional(f, REASON),
                    Fields.optionalCandidate(f, OBSERVED)));
        }
    }

    /**
     * {@code MAILBOX_PUT STORED 200 | NOT_FOUND 404 | TOO_LARGE 413 | RATE_LIMITED 429 | MAILBOX_FULL 507}
     * (extension). STORED is sent only once the item is committed to disk, also for a repeated PUT of an item
     * already stored; {@code expires} says until when it waits.
     */
    record MailboxPutResult(Status status, String itemId, java.time.Instant expires, String reason)
            implements RegistryReply {
        public static final String VERB = RegistryRequest.MailboxPut.VERB;

        public MailboxPutResult {
            java.util.Objects.requireNonNull(status, "status");
            if (itemId != null) {
                Check.id("item_id", itemId);
            }
            expires = Check.optionalInstant("expires", expires);
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(ITEM_ID, itemId)
                    .put(EXPIRES, Fields.epochMillis(expires)).put(REASON, reason).build());
        }

        static MailboxPutResult from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new MailboxPutResult(f.status(), Fields.optional(f, ITEM_ID),
                    Fields.optionalInstant(f, EXPIRES), Fields.optional(f, REASON)));
        }
    }

    /** {@code MAILBOX_ACK SUCCESS 200} (extension): the items are deleted (those already gone are skipped). */
    record MailboxAckResult(Status status, String reason) implements RegistryReply {
        public static final String VERB = RegistryRequest.MailboxAck.VERB;

        public MailboxAckResult {
            java.util.Objects.requireNonNull(status, "status");
            reason = Check.optionalReason(reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(REASON, reason).build());
        }

        static MailboxAckResult from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new MailboxAckResult(f.status(), Fields.optional(f, REASON)));
        }
    }

    private static int parseCount(String value) throws ProtocolException {
        return Fields.parseInt("table cell", value);
    }

    private static boolean parseBoolean(String value) throws ProtocolException {
        return switch (value) {
            case "true" -> true;
            case "false" -> false;
            default -> throw ProtocolException.badContent("has_password must be true or false");
        };
    }
}
