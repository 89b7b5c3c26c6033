package dev.p2pchat.transport;

import java.util.Objects;

/**
 * Why a {@link FrameChannel} ended: its kind decides the log level (one policy for every endpoint) and its
 * reason is what the owner tells the user or writes to the log.
 */
public record Closure(Kind kind, String reason) {
    public enum Kind {
        /** The other side closed the connection between frames. */
        PEER_CLOSED,
        /** The socket failed, or ended inside a frame. */
        FAILED,
        /** The other side sent bytes whose framing cannot be recovered. */
        PROTOCOL,
        /** The TLS handshake did not finish within its deadline. */
        HANDSHAKE_TIMEOUT,
        /** A frame's bytes did not all arrive within the frame deadline. */
        FRAME_TIMEOUT,
        /** Nothing went either way for the idle limit. */
        IDLE_TIMEOUT,
        /** The owner's own deadline passed ({@link FrameChannel#closeAt}). */
        DEADLINE,
        /** The other side did not read what was sent to it fast enough (the outbound bound was reached). */
        NOT_READING,
        /** This side closed it: shutdown, logout, or the owner decided so. */
        LOCAL,
        /** A bug on this side. */
        INTERNAL
    }

    public Closure {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(reason, "reason");
    }

    public static Closure local(String reason) {
        return new Closure(Kind.LOCAL, reason);
    }

    /** True when the other side misbehaved or was too slow, which servers log at info; else it is routine. */
    public boolean isOtherSidesFault() {
        return switch (kind) {
            case PROTOCOL, HANDSHAKE_TIMEOUT, FRAME_TIMEOUT, IDLE_TIMEOUT, DEADLINE, NOT_READING -> true;
            case PEER_CLOSED, FAILED, LOCAL, INTERNAL -> false;
        };
    }

    @Override
    public String toString() {
        return reason;
    }
}
