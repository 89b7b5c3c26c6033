package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.ID;
import static dev.p2pchat.protocol.HeaderNames.RECIPIENT_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.SENDER_USERNAME;
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

    /** {@code DIRECT_BROADCAST}: one room message, sent by its author to each other member. */
    record DirectBroadcast(String id, String senderUsername, String roomName, Instant timestamp, String text)
            implements PeerRequest {
        public static final String VERB = "DIRECT_BROADCAST";

        public DirectBroadcast {
            Check.id("id", id);
            Check.nonEmpty("sender_username", senderUsername);
            Check.nonEmpty("room_name", roomName);
            timestamp = Check.instant("timestamp", timestamp);
            checkText(text);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ID, id).put(SENDER_USERNAME, senderUsername)
                    .put(ROOM_NAME, roomName).put(TIMESTAMP, Fields.epochMillis(timestamp)).build()).withPayload(text);
        }

        static DirectBroadcast from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new DirectBroadcast(Fields.required(f, ID), Fields.required(f, SENDER_USERNAME),
                    Fields.required(f, ROOM_NAME), Fields.instant(f, TIMESTAMP), f.payload()));
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
