package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.REASON;

/** The relay's one answer to a {@link RelayRequest.Join} (extension, PROTOCOL.md section 15). */
public sealed interface RelayReply extends Message permits RelayReply.JoinResult {

    Status status();

    /**
     * {@code RELAY_JOIN SUCCESS 200}: the other side has joined with the same token and every byte after this frame
     * goes to it; otherwise {@code FORBIDDEN 403} (a token the relay cannot verify, or expired), {@code
     * WRONG_STATE 409} (the token was used already), {@code REQUEST_TIMEOUT 408} (the other side did not come),
     * {@code RATE_LIMITED 429} (a user already has as many relayed links as allowed) or {@code FULL 503}, each with
     * a reason, and the relay closes the connection.
     */
    record JoinResult(Status status, String reason) implements RelayReply {
        public static final String VERB = "RELAY_JOIN";

        public JoinResult {
            java.util.Objects.requireNonNull(status, "status");
            reason = Check.optionalText("reason", reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(REASON, reason).build());
        }

        static JoinResult from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new JoinResult(f.status(), Fields.optional(f, REASON)));
        }
    }
}
