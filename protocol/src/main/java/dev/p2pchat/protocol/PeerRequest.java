package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.CAUSE;
import static dev.p2pchat.protocol.HeaderNames.ID;
import static dev.p2pchat.protocol.HeaderNames.RECIPIENT_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.LIMIT;
import static dev.p2pchat.protocol.HeaderNames.SENDER_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.SIGNATURE;
import static dev.p2pchat.protocol.HeaderNames.SINCE;
import static dev.p2pchat.protocol.HeaderNames.TIMESTAMP;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * What one peer sends another over their mutual-TLS link. Every request names its sender; the receiving
 * peer server checks that name against the certificate the registry lists for it.
 */
public sealed interface PeerRequest extends Message {

    String senderUsername();

    /** {@code CHAT_REQUEST}: asks the recipient to open a one-to-one chat; answered by CHAT_REQUEST_RESPONSE. */
    record ChatRequest(String senderUsername, String recipientUsername) implements PeerRequest {
        public static final String VERB = "CHAT_REQUEST";

        public ChatRequest {
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("recipient_username", recipientUsername);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(SENDER_USERNAME, senderUsername)
                    .put(RECIPIENT_USERNAME, recipientUsername).build());
        }

        static ChatRequest from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new ChatRequest(Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, RECIPIENT_USERNAME)));
        }
    }

    /**
     * {@code CHAT_CLOSED} (extension): the sender ended the one-to-one chat with the recipient; answered by
     * CHAT_CLOSED_RESPONSE. Best effort: a peer that never hears it learns it when its next message is refused.
     */
    record ChatClosed(String senderUsername, String recipientUsername, Cause cause) implements PeerRequest {
        public static final String VERB = "CHAT_CLOSED";

        /** Why the chat ended, as the {@code cause} header spells it. */
        public enum Cause {
            /** The user closed this chat. */
            CLOSED("closed"),
            /** The user logged out, which ends all their chats. */
            LOGOUT("logout");

            private final String wire;

            Cause(String wire) {
                this.wire = wire;
            }

            public String wire() {
                return wire;
            }

            static Cause fromWire(String value) {
                for (Cause c : values()) {
                    if (c.wire.equals(value)) {
                        return c;
                    }
                }
                throw new IllegalArgumentException("cause must be closed or logout: " + value);
            }
        }

        public ChatClosed {
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("recipient_username", recipientUsername);
            java.util.Objects.requireNonNull(cause, "cause");
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(SENDER_USERNAME, senderUsername)
                    .put(RECIPIENT_USERNAME, recipientUsername).put(CAUSE, cause.wire()).build());
        }

        static ChatClosed from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new ChatClosed(Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, RECIPIENT_USERNAME), Cause.fromWire(Fields.required(f, CAUSE))));
        }
    }

    /**
     * {@code LINK_HELLO} (extension): names the sender of a link it opened with nothing else to send yet, so
     * that the other side admits the link and uses it: a peer dialling back at the registry's {@code DIAL_BACK}
     * sends it first. Answered by LINK_HELLO_RESPONSE SUCCESS 200.
     */
    record LinkHello(String senderUsername) implements PeerRequest {
        public static final String VERB = "LINK_HELLO";

        public LinkHello {
            Check.nonEmpty("sender_username", senderUsername);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(SENDER_USERNAME, senderUsername).build());
        }

        static LinkHello from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new LinkHello(Fields.required(f, SENDER_USERNAME)));
        }
    }

    /** {@code DIRECT_MESSAGE}: one message of a one-to-one chat; the text is the payload. */
    record DirectMessage(String id, String senderUsername, String recipientUsername, Instant timestamp, String text)
            implements PeerRequest {
        public static final String VERB = "DIRECT_MESSAGE";

        public DirectMessage {
            Check.id("id", id);
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("recipient_username", recipientUsername);
            timestamp = Check.instant("timestamp", timestamp);
            checkText(text);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ID, id).put(SENDER_USERNAME, senderUsername)
                    .put(RECIPIENT_USERNAME, recipientUsername).put(TIMESTAMP, Fields.epochMillis(timestamp)).build())
                    .withPayload(text);
        }

        static DirectMessage from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new DirectMessage(Fields.required(f, ID), Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, RECIPIENT_USERNAME), Fields.instant(f, TIMESTAMP), f.payload()));
        }
    }

    /**
     * {@code MESSAGE_REQUEST} (extension): a one-to-one message to someone who has no open chat with the sender,
     * carried only sealed in the recipient's mailbox (PROTOCOL.md 13.7): held as a request until the recipient
     * accepts it (it is shown, and receipted) or rejects it (it is deleted unread). Never sent over a link.
     */
    record MessageRequest(String id, String senderUsername, String recipientUsername, Instant timestamp, String text)
            implements PeerRequest {
        public static final String VERB = "MESSAGE_REQUEST";

        public MessageRequest {
            Check.id("id", id);
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("recipient_username", recipientUsername);
            timestamp = Check.instant("timestamp", timestamp);
            checkText(text);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ID, id).put(SENDER_USERNAME, senderUsername)
                    .put(RECIPIENT_USERNAME, recipientUsername).put(TIMESTAMP, Fields.epochMillis(timestamp)).build())
                    .withPayload(text);
        }

        static MessageRequest from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new MessageRequest(Fields.required(f, ID), Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, RECIPIENT_USERNAME), Fields.instant(f, TIMESTAMP), f.payload()));
        }
    }

    /**
     * {@code DIRECT_BROADCAST}: one room message, sent by its author to each other member. {@code signature}
     * (extension, optional for older senders): the author's identity-key signature over the message (PROTOCOL.md
     * 13.9), so that a member relaying it in a ROOM_BACKLOG cannot alter or forge it.
     */
    record DirectBroadcast(String id, String senderUsername, String roomName, Instant timestamp, String text,
                           String signature) implements PeerRequest {
        public static final String VERB = "DIRECT_BROADCAST";

        public DirectBroadcast {
            Check.id("id", id);
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("room_name", roomName);
            timestamp = Check.instant("timestamp", timestamp);
            checkText(text);
            if (signature != null && signature.isEmpty()) {
                signature = null;
            }
            if (signature != null) {
                if (signature.length() > Limits.MAX_SIGNATURE_CHARS) {
                    throw new IllegalArgumentException("signature exceeds " + Limits.MAX_SIGNATURE_CHARS + " characters");
                }
                Check.base64Bytes("signature", signature);
            }
        }

        /** Unsigned (an older sender, or a test). */
        public DirectBroadcast(String id, String senderUsername, String roomName, Instant timestamp, String text) {
            this(id, senderUsername, roomName, timestamp, text, null);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ID, id).put(SENDER_USERNAME, senderUsername)
                    .put(ROOM_NAME, roomName).put(TIMESTAMP, Fields.epochMillis(timestamp)).put(SIGNATURE, signature)
                    .build()).withPayload(text);
        }

        static DirectBroadcast from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new DirectBroadcast(Fields.required(f, ID), Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, ROOM_NAME), Fields.instant(f, TIMESTAMP), f.payload(),
                    Fields.optional(f, SIGNATURE)));
        }
    }

    /**
     * {@code ROOM_BACKLOG} (extension): a member who just joined (or rejoined) {@code roomName} asks a present member
     * for the room's recent messages: those sent since {@code since}, at most {@code limit} (the newest). Answered
     * by ROOM_BACKLOG_RESPONSE SUCCESS 200, or ERROR FORBIDDEN 403 (not a member) / NOT_FOUND 404 (keeps no history).
     */
    record RoomBacklog(String senderUsername, String roomName, Instant since, int limit) implements PeerRequest {
        public static final String VERB = "ROOM_BACKLOG";

        public RoomBacklog {
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("room_name", roomName);
            since = Check.instant("since", since);
            if (limit < 1 || limit > Limits.MAX_BACKLOG_ITEMS) {
                throw new IllegalArgumentException("limit must be 1 to " + Limits.MAX_BACKLOG_ITEMS);
            }
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(SENDER_USERNAME, senderUsername).put(ROOM_NAME, roomName)
                    .put(SINCE, Fields.epochMillis(since)).put(LIMIT, Integer.toString(limit)).build());
        }

        static RoomBacklog from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RoomBacklog(Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, ROOM_NAME), Fields.instant(f, SINCE), Fields.integer(f, LIMIT)));
        }
    }

    /**
     * The requests of a file transfer (PROTOCOL.md section "Files"): the sender offers, the receiver asks for the
     * bytes from an offset (0, or what it already holds when resuming), the sender sends them as chunks, each
     * answered by the receiver, at most the receiver's {@code window} unanswered at once. Every one names the
     * transfer; whoever sends one names itself, as on every link.
     */
    sealed interface FileRequest extends PeerRequest {
        String transferId();

        /** {@code FILE_OFFER}: offers a file; answered FILE_OFFER_RESPONSE SUCCESS 200 once the user was shown it. */
        record Offer(String transferId, String senderUsername, String recipientUsername, String fileName, long size,
                     String sha256) implements FileRequest {
            public static final String VERB = "FILE_OFFER";

            public Offer {
                Check.id("transfer_id", transferId);
                Check.nonEmpty("sender_username", senderUsername);
                Check.nonEmpty("recipient_username", recipientUsername);
                Check.nonEmpty("file_name", fileName);
                if (fileName.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_FILE_NAME_BYTES) {
                    throw new IllegalArgumentException("file_name exceeds " + Limits.MAX_FILE_NAME_BYTES + " bytes");
                }
                if (size < 0) {
                    throw new IllegalArgumentException("file_size must not be negative");
                }
                sha256 = Check.sha256Hex("sha256", sha256);
            }

            @Override
            public Frame toFrame() {
                return Frame.request(VERB, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId)
                        .put(SENDER_USERNAME, senderUsername).put(RECIPIENT_USERNAME, recipientUsername)
                        .put(HeaderNames.FILE_NAME, fileName).put(HeaderNames.FILE_SIZE, Long.toString(size))
                        .put(HeaderNames.SHA256, sha256).build());
            }

            static Offer from(Frame f) throws ProtocolException {
                return Fields.build(f, () -> new Offer(Fields.required(f, HeaderNames.TRANSFER_ID),
                        Fields.required(f, SENDER_USERNAME), Fields.required(f, RECIPIENT_USERNAME),
                        Fields.required(f, HeaderNames.FILE_NAME), Fields.nonNegativeLong(f, HeaderNames.FILE_SIZE),
                        Fields.required(f, HeaderNames.SHA256)));
            }
        }

        /**
         * {@code FILE_GET}: accepts an offer, or resumes it: send the bytes from {@code offset} on, with at most
         * {@code window} chunks unanswered. Answered FILE_GET_RESPONSE SUCCESS 200 (chunks follow), ERROR NOT_FOUND
         * 404 (no such offer), ERROR FILE_CHANGED 409 (the file is not the one offered any more).
         */
        record Get(String transferId, String senderUsername, long offset, int window) implements FileRequest {
            public static final String VERB = "FILE_GET";

            public Get {
                Check.id("transfer_id", transferId);
                Check.nonEmpty("sender_username", senderUsername);
                if (offset < 0) {
                    throw new IllegalArgumentException("offset must not be negative");
                }
                if (window < 1 || window > Limits.MAX_FILE_WINDOW) {
                    throw new IllegalArgumentException("window must be 1-" + Limits.MAX_FILE_WINDOW);
                }
            }

            @Override
            public Frame toFrame() {
                return Frame.request(VERB, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId)
                        .put(SENDER_USERNAME, senderUsername).put(HeaderNames.OFFSET, Long.toString(offset))
                        .put(HeaderNames.WINDOW, Integer.toString(window)).build());
            }

            static Get from(Frame f) throws ProtocolException {
                return Fields.build(f, () -> new Get(Fields.required(f, HeaderNames.TRANSFER_ID),
                        Fields.required(f, SENDER_USERNAME), Fields.nonNegativeLong(f, HeaderNames.OFFSET),
                        Fields.integer(f, HeaderNames.WINDOW)));
            }
        }

        /**
         * {@code FILE_CHUNK}: the file's bytes from {@code offset}, base64 in the payload (at most
         * {@link Limits#MAX_FILE_CHUNK_BYTES} decoded). Answered FILE_CHUNK_RESPONSE SUCCESS 200 with what the
         * receiver now holds; the answer to the last chunk comes once the SHA-256 was checked (ERROR
         * HASH_MISMATCH 422 if not); ERROR WRONG_STATE 409 or NOT_FOUND 404 stop the transfer.
         */
        record Chunk(String transferId, String senderUsername, long offset, String data) implements FileRequest {
            public static final String VERB = "FILE_CHUNK";

            public Chunk {
                Check.id("transfer_id", transferId);
                Check.nonEmpty("sender_username", senderUsername);
                if (offset < 0) {
                    throw new IllegalArgumentException("offset must not be negative");
                }
                java.util.Objects.requireNonNull(data, "data");
                if (data.length() > (Limits.MAX_FILE_CHUNK_BYTES + 2) / 3 * 4) {
                    throw new IllegalArgumentException("a chunk carries at most " + Limits.MAX_FILE_CHUNK_BYTES + " bytes");
                }
                if (!data.isEmpty()) { // an empty file travels as one empty chunk
                    Check.base64Bytes("chunk", data);
                }
            }

            /** A chunk of {@code bytes[0..length)}. */
            public static Chunk of(String transferId, String senderUsername, long offset, byte[] bytes, int length) {
                return new Chunk(transferId, senderUsername, offset, java.util.Base64.getEncoder()
                        .encodeToString(java.util.Arrays.copyOf(bytes, length)));
            }

            public byte[] bytes() {
                return java.util.Base64.getDecoder().decode(data);
            }

            @Override
            public Frame toFrame() {
                return Frame.request(VERB, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId)
                        .put(SENDER_USERNAME, senderUsername).put(HeaderNames.OFFSET, Long.toString(offset)).build())
                        .withPayload(data + "\n");
            }

            static Chunk from(Frame f) throws ProtocolException {
                return Fields.build(f, () -> new Chunk(Fields.required(f, HeaderNames.TRANSFER_ID),
                        Fields.required(f, SENDER_USERNAME), Fields.nonNegativeLong(f, HeaderNames.OFFSET),
                        Fields.line(f.payload())));
            }
        }

        /**
         * {@code FILE_DECLINE}: the receiver refuses an offer (or it expired unanswered, reason "expired"); the
         * sender forgets it. Answered FILE_DECLINE_RESPONSE SUCCESS 200, also for an unknown transfer.
         */
        record Decline(String transferId, String senderUsername, String reason) implements FileRequest {
            public static final String VERB = "FILE_DECLINE";

            public Decline {
                Check.id("transfer_id", transferId);
                Check.nonEmpty("sender_username", senderUsername);
                reason = Check.optionalReason(reason);
            }

            @Override
            public Frame toFrame() {
                return Frame.request(VERB, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId)
                        .put(SENDER_USERNAME, senderUsername).put(HeaderNames.REASON, reason).build());
            }

            static Decline from(Frame f) throws ProtocolException {
                return Fields.build(f, () -> new Decline(Fields.required(f, HeaderNames.TRANSFER_ID),
                        Fields.required(f, SENDER_USERNAME), Fields.optional(f, HeaderNames.REASON)));
            }
        }
    }

    private static void checkText(String text) {
        java.util.Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new IllegalArgumentException("message text is empty");
        }
        if (!Syntax.isWellFormed(text)) {
            throw new IllegalArgumentException("message text has an unpaired surrogate");
        }
        if (text.getBytes(StandardCharsets.UTF_8).length > Limits.MAX_MESSAGE_TEXT_BYTES) {
            throw new IllegalArgumentException("message text exceeds " + Limits.MAX_MESSAGE_TEXT_BYTES + " bytes");
        }
    }
}
