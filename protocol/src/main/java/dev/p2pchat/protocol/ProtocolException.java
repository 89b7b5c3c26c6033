package dev.p2pchat.protocol;

/**
 * The one error the codec raises for bad input. It carries the status to answer with, a reason safe to
 * send back, whether the byte stream can still be read (false: the connection must be closed), and the bad
 * frame's {@code id} when it was readable, so the answer can still be matched to the request (PROTOCOL.md 4).
 */
public final class ProtocolException extends Exception {
    private final Status status;
    private final boolean framingLost;
    private final String id;

    public ProtocolException(Status status, String reason, boolean framingLost) {
        this(status, reason, framingLost, null);
    }

    private ProtocolException(Status status, String reason, boolean framingLost, String id) {
        super(reason);
        this.status = status;
        this.framingLost = framingLost;
        this.id = id;
    }

    /** The same error, about the frame whose {@code id} header read {@code frameId} (null: unknown). */
    public ProtocolException withId(String frameId) {
        return frameId == null || frameId.equals(id) ? this
                : new ProtocolException(status, getMessage(), framingLost, frameId);
    }

    /** The bad frame's {@code id}, or null when it had none or it could not be read. */
    public String id() {
        return id;
    }

    /** A frame that was read whole but whose content is wrong: the stream stays usable. */
    public static ProtocolException badContent(String reason) {
        return new ProtocolException(Status.BAD_REQUEST, reason, false);
    }

    /** Frame boundaries are unknown from here on: answer, then close. */
    public static ProtocolException framingLost(String reason) {
        return new ProtocolException(Status.BAD_REQUEST, reason, true);
    }

    public Status status() {
        return status;
    }

    public String reason() {
        return getMessage();
    }

    public boolean framingLost() {
        return framingLost;
    }
}
