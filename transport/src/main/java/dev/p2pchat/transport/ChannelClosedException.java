package dev.p2pchat.transport;

import java.io.IOException;

/** What a send or a call on a closed {@link FrameChannel} fails with; carries why it closed. */
public final class ChannelClosedException extends IOException {
    private final transient Closure closure;

    public ChannelClosedException(String message, Closure closure) {
        super(message);
        this.closure = closure;
    }

    /** Why the channel closed; null if it was still closing when this was raised. */
    public Closure closure() {
        return closure;
    }
}
