package dev.p2pchat.protocol;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * A frame already turned into its wire bytes. A push to many recipients is encoded once and the same instance is
 * queued for each of them; nobody may change the bytes, so they are only reachable through {@link #writeTo} and
 * {@link #size}. Outbound queues are bounded by the sum of {@link #size()}, not by a count of frames.
 */
public final class EncodedFrame {
    private final byte[] bytes;
    private final String verb;

    private EncodedFrame(byte[] bytes, String verb) {
        this.bytes = bytes;
        this.verb = verb;
    }

    public static EncodedFrame of(Frame frame) {
        Objects.requireNonNull(frame, "frame");
        return new EncodedFrame(FrameWriter.encode(frame), frame.verb());
    }

    /** Bytes on the wire. */
    public int size() {
        return bytes.length;
    }

    /** The frame's verb, for logs and counters. */
    public String verb() {
        return verb;
    }

    public void writeTo(OutputStream out) throws IOException {
        out.write(bytes);
    }

    @Override
    public String toString() {
        return "EncodedFrame[" + verb + ", " + bytes.length + " bytes]";
    }
}
