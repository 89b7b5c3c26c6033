package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.ID;
import static dev.p2pchat.protocol.HeaderNames.REASON;
import static dev.p2pchat.protocol.HeaderNames.RECIPIENT_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.SENDER_USERNAME;

/** A peer's answer to a {@link PeerRequest}; notifications carry the {@code id} of the message they confirm. */
public sealed interface PeerReply extends Message permits ErrorReply, PeerReply.ChatRequestResponse, PeerReply.LinkHelloResponse,
        PeerReply.DirectUnicastNotification, PeerReply.DirectBroadcastNotification, PeerReply.ChatClosedResponse, FileReply {

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
}
