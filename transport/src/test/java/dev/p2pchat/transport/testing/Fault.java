package dev.p2pchat.transport.testing;

/**
 * The ways a client misbehaves at a server, named once and applied to every endpoint's tests, in the spirit of
 * OkHttp MockWebServer's {@code SocketPolicy}.
 */
public enum Fault {
    /** Opens TCP and sends nothing, not even a ClientHello. */
    STALL_AT_START,
    /** Sends a real ClientHello one byte at a time, slower than any per-read timeout would notice. */
    SLOW_HANDSHAKE,
    /** Completes TLS, sends the first half of a frame, then nothing. */
    STALL_MID_FRAME,
    /** Completes TLS and sends a frame one byte at a time. */
    SLOW_DRIP,
    /** Completes TLS, sends its frame many times and never reads an answer. */
    STOP_READING,
    /** Completes TLS, sends half a frame, then resets the connection. */
    RESET_MID_FRAME
}
