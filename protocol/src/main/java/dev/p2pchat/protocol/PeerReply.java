package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.ID;
import static dev.p2pchat.protocol.HeaderNames.OMITTED;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.REASON;
import static dev.p2pchat.protocol.HeaderNames.RECIPIENT_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.SENDER_USERNAME;

/** A peer's answer to a {@link PeerRequest}; notifications carry the {@code id} of the message they confirm. */
public sealed interface PeerReply extends Message permits ErrorReply, PeerReply.ChatRequestResponse, PeerReply.LinkHelloResponse,
        PeerReply.DirectUnicastNotification, PeerReply.DirectBroadcastNotification, PeerReply.ChatClosedResponse,
        PeerReply.RoomBacklogResponse, FileReply {

    Status status();

    /** {@code CHAT_REQUEST_RESPONSE ACCEPT 200 | REJECT 404}; {@code senderUsername} is the one who answered. */
    record ChatRequestResponse(Status status, String senderUsername, String reason) implements PeerReply {
        public static final String VERB = "CHAT_REQUEST_RESPONSE";

        public ChatRequestResponse {
            java.util.Objects.requireNonNull(status, "status");
            Check.nonEmpty("sender_username", senderUsername);
            reason = Check.optionalText("reason", reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(SENDER_USERNAME, senderUsername)
                    .put(REASON, reason).build());
        }

        static ChatRequestResponse from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new ChatRequestResponse(f.status(), Fields.required(f, SENDER_USERNAME),
                    Fields.optional(f, REASON)));
        }
    }

    /**
     * {@code CHAT_CLOSED_RESPONSE SUCCESS 200} (extension): the receiver took note of a CHAT_CLOSED, also when it
     * had no such chat open; {@code senderUsername} is the one who answered.
     */
    record ChatClosedResponse(Status status, String senderUsername) implements PeerReply {
        public static final String VERB = "CHAT_CLOSED_RESPONSE";

        public ChatClosedResponse {
            java.util.Objects.requireNonNull(status, "status");
            Check.nonEmpty("sender_username", senderUsername);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(SENDER_USERNAME, senderUsername).build());
        }

        static ChatClosedResponse from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new ChatClosedResponse(f.status(), Fields.required(f, SENDER_USERNAME)));
        }
    }

    /** {@code LINK_HELLO_RESPONSE SUCCESS 200} (extension): the link is admitted and may carry requests both ways. */
    record LinkHelloResponse(Status status) implements PeerReply {
        public static final String VERB = "LINK_HELLO_RESPONSE";

        public LinkHelloResponse {
            java.util.Objects.requireNonNull(status, "status");
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.EMPTY);
        }
    }

    /** {@code DIRECT_UNICAST_NOTIFICATION SUCCESS 200 | FAILURE 404}: receipt for one DIRECT_MESSAGE. */
    record DirectUnicastNotification(Status status, String id, String recipientUsername, String reason)
            implements PeerReply {
        public static final String VERB = "DIRECT_UNICAST_NOTIFICATION";

        public DirectUnicastNotification {
            java.util.Objects.requireNonNull(status, "status");
            Check.id("id", id);
            Check.nonEmpty("recipient_username", recipientUsername);
            reason = Check.optionalText("reason", reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(ID, id).put(RECIPIENT_USERNAME, recipientUsername)
                    .put(REASON, reason).build());
        }

        static DirectUnicastNotification from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new DirectUnicastNotification(f.status(), Fields.required(f, ID),
                    Fields.required(f, RECIPIENT_USERNAME), Fields.optional(f, REASON)));
        }
    }

    /** {@code DIRECT_BROADCAST_NOTIFICATION SUCCESS 200 | FAILURE 404}: one member's receipt for a room message. */
    record DirectBroadcastNotification(Status status, String id, String recipientUsername, String reason)
            implements PeerReply {
        public static final String VERB = "DIRECT_BROADCAST_NOTIFICATION";

        public DirectBroadcastNotification {
            java.util.Objects.requireNonNull(status, "status");
            Check.id("id", id);
            Check.nonEmpty("recipient_username", recipientUsername);
            reason = Check.optionalText("reason", reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(ID, id).put(RECIPIENT_USERNAME, recipientUsername)
                    .put(REASON, reason).build());
        }

        static DirectBroadcastNotification from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new DirectBroadcastNotification(f.status(), Fields.required(f, ID),
                    Fields.required(f, RECIPIENT_USERNAME), Fields.optional(f, REASON)));
        }
    }

    /**
     * {@code ROOM_BACKLOG_RESPONSE SUCCESS 200} (extension): the room's recent messages as the answering member
     * ({@code senderUsername}) kept them, oldest first; the payload is their DIRECT_BROADCAST frames, each as on the
     * wire, signature included. {@code omitted}: older ones asked for that did not fit in one payload.
     */
    record RoomBacklogResponse(Status status, String senderUsername, String roomName,
                               java.util.List<PeerRequest.DirectBroadcast> items, int omitted) implements PeerReply {
        public static final String VERB = "ROOM_BACKLOG_RESPONSE";

        public RoomBacklogResponse {
            java.util.Objects.requireNonNull(status, "status");
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("room_name", roomName);
            items = java.util.List.copyOf(items);
            if (items.size() > Limits.MAX_BACKLOG_ITEMS) {
                throw new IllegalArgumentException("more than " + Limits.MAX_BACKLOG_ITEMS + " backlog items");
            }
            for (PeerRequest.DirectBroadcast item : items) {
                if (!item.roomName().equals(roomName)) {
                    throw new IllegalArgumentException("a backlog item of another room: " + item.roomName());
                }
            }
            if (omitted < 0) {
                throw new IllegalArgumentException("omitted must not be negative");
            }
            if (encodedBytes(items) > Limits.MAX_PAYLOAD_BYTES) {
                throw new IllegalArgumentException("backlog items exceed " + Limits.MAX_PAYLOAD_BYTES + " bytes");
            }
        }

        /** The newest of {@code oldestFirst} that fit in one payload; the others are counted as omitted. */
        public static RoomBacklogResponse fitting(String senderUsername, String roomName,
                                                  java.util.List<PeerRequest.DirectBroadcast> oldestFirst) {
            java.util.List<PeerRequest.DirectBroadcast> kept = new java.util.ArrayList<>();
            int bytes = 0;
            for (PeerRequest.DirectBroadcast item : oldestFirst.reversed()) {
                int size = FrameWriter.encode(item.toFrame()).length;
                if (kept.size() == Limits.MAX_BACKLOG_ITEMS || bytes + size > Limits.MAX_PAYLOAD_BYTES) {
                    break;
                }
                bytes += size;
                kept.add(item);
            }
            return new RoomBacklogResponse(Status.SUCCESS, senderUsername, roomName, kept.reversed(),
                    oldestFirst.size() - kept.size());
        }

        private static int encodedBytes(java.util.List<PeerRequest.DirectBroadcast> items) {
            int bytes = 0;
            for (PeerRequest.DirectBroadcast item : items) {
                bytes += FrameWriter.encode(item.toFrame()).length;
            }
            return bytes;
        }

        @Override
        public Frame toFrame() {
            Frame frame = Frame.response(VERB, status, Headers.builder().put(SENDER_USERNAME, senderUsername)
                    .put(ROOM_NAME, roomName).put(OMITTED, omitted == 0 ? null : Integer.toString(omitted)).build());
            if (items.isEmpty()) {
                return frame;
            }
            java.io.ByteArrayOutputStream payload = new java.io.ByteArrayOutputStream();
            for (PeerRequest.DirectBroadcast item : items) {
                payload.writeBytes(FrameWriter.encode(item.toFrame()));
            }
            return frame.withPayload(payload.toString(java.nio.charset.StandardCharsets.UTF_8));
        }

        static RoomBacklogResponse from(Frame f) throws ProtocolException {
            java.util.List<PeerRequest.DirectBroadcast> items = new java.util.ArrayList<>();
            String payload = f.payload();
            if (payload != null && !payload.isEmpty()) {
                FrameReader reader = new FrameReader(new java.io.ByteArrayInputStream(
                        payload.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                try {
                    Frame item;
                    while ((item = reader.read()) != null) {
                        if (!(Messages.decode(item) instanceof PeerRequest.DirectBroadcast broadcast)) {
                            throw ProtocolException.badContent("a backlog item must be a DIRECT_BROADCAST");
                        }
                        if (items.size() == Limits.MAX_BACKLOG_ITEMS) {
                            throw ProtocolException.badContent("more than " + Limits.MAX_BACKLOG_ITEMS + " backlog items");
                        }
                        items.add(broadcast);
                    }
                } catch (java.io.IOException e) {
                    throw ProtocolException.badContent("a backlog item is cut off: " + e.getMessage());
                }
            }
            Integer omitted = Fields.optionalInteger(f, OMITTED);
            return Fields.build(f, () -> new RoomBacklogResponse(f.status(), Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, ROOM_NAME), items, omitted == null ? 0 : omitted));
        }
    }
}
