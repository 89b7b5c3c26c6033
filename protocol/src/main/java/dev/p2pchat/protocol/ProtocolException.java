package dev.p2pchat.protocol;

/**
 * The one error the codec raises for bad input. It carries the status to answer with, a reason safe to
 * send back, and whether the byte stream can still be read (false: the connection must be closed).
 */
public final class ProtocolException extends Exception {
    private final Status status;
    private final boolean framingLost;

    public ProtocolException(Status status, String reason, boolean framingLost) {
        super(reason);
        this.status = status;
        this.framingLost = framingLost;
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
