package dev.p2pchat.protocol;

/**
 * Every message of the protocol, one record each, grouped by who sends it to whom.
 * A record cannot hold an invalid value: its compact constructor checks every field.
 * {@link Messages#decode(Frame)} turns a frame into one; {@link #toFrame()} turns it back.
 */
public sealed interface Message permits RegistryRequest, RegistryReply, RegistryPush, PeerRequest, PeerReply,
        RelayRequest, RelayReply {
    Frame toFrame();
}
