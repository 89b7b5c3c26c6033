package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.RELAY_FINGERPRINT;
import static dev.p2pchat.protocol.HeaderNames.RELAY_HOST;
import static dev.p2pchat.protocol.HeaderNames.RELAY_PORT;
import static dev.p2pchat.protocol.HeaderNames.TOKEN;

/**
 * Where and how one relayed link meets (PROTOCOL.md section 15): the relay's address, the fingerprint of the
 * certificate it must present, and the one-time rendezvous token both peers present to it in {@code RELAY_JOIN}.
 *
 * @param host the relay's host name or IP literal; null for the relay inside the registry, reached at the host the
 *             peer dialled the registry at (the registry cannot know which of its addresses that was)
 */
public record RelayTicket(String host, int port, String fingerprint, String token) {
    public RelayTicket {
        host = Check.optionalText("relay_host", host);
        if (host != null && host.chars().anyMatch(c -> c == ' ')) {
            throw new IllegalArgumentException("relay_host must not contain spaces");
        }
        Check.port("relay_port", port);
        fingerprint = Check.sha256Hex("relay_fingerprint", fingerprint);
        new RelayRequest.Join(token); // the token's own rules
    }

    /** The relay's host, or {@code registryHost} for the registry's own relay. */
    public String hostOr(String registryHost) {
        return host != null ? host : registryHost;
    }

    Headers.Builder putInto(Headers.Builder headers) {
        return headers.put(RELAY_HOST, host).put(RELAY_PORT, port).put(RELAY_FINGERPRINT, fingerprint)
                .put(TOKEN, token);
    }

    static RelayTicket from(Frame f) throws ProtocolException {
        return new RelayTicket(Fields.optional(f, RELAY_HOST), Fields.integer(f, RELAY_PORT),
                Fields.required(f, RELAY_FINGERPRINT), Fields.required(f, TOKEN));
    }
}
