package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.TOKEN;

/**
 * What a peer says to a relay (extension, PROTOCOL.md section 15): the one frame before the relay splices two
 * connections into one pipe, which then carries the two peers' own mutual TLS, end to end.
 */
public sealed interface RelayRequest extends Message permits RelayRequest.Join {

    /** {@code RELAY_JOIN}: {@code token} is the one-time rendezvous token the registry issued to both peers. */
    record Join(String token) implements RelayRequest {
        public static final String VERB = "RELAY_JOIN";
        public static final int MAX_TOKEN_LENGTH = 256;

        public Join {
            Check.nonEmpty("token", token);
            if (token.length() > MAX_TOKEN_LENGTH || !token.chars().allMatch(c -> c > ' ' && c < 0x7f)) {
                throw new IllegalArgumentException("token must be 1 to " + MAX_TOKEN_LENGTH
                        + " printable ASCII characters");
            }
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(TOKEN, token).build());
        }

        static Join from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Join(Fields.required(f, TOKEN)));
        }
    }
}
