package dev.p2pchat.protocol;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Encodes frames; a whole frame goes out in one write so concurrent writers never interleave partial frames. */
public final class FrameWriter {
    private FrameWriter() {
    }

    /**
     * The frame's bytes: start line, headers in their order, {@code content-length} when there is a payload,
     * the blank line, the payload.
     *
     * @throws IllegalArgumentException when the frame breaks a limit or its payload is not well-formed Unicode
     */
    public static byte[] encode(Frame frame) {
        if (!Syntax.isWellFormed(frame.payload())) {
            throw new IllegalArgumentException("payload has an unpaired surrogate");
        }
        byte[] payload = frame.payload().getBytes(StandardCharsets.UTF_8);
        if (payload.length > Limits.MAX_PAYLOAD_BYTES) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + Limits.MAX_PAYLOAD_BYTES);
        }
        StringBuilder head = new StringBuilder(128);
        head.append(frame.startLine()).append('\n');
        for (Map.Entry<String, String> header : frame.headers().asMap().entrySet()) {
            head.append(header.getKey()).append(": ").append(header.getValue()).append('\n');
        }
        if (payload.length > 0) {
            head.append(HeaderNames.CONTENT_LENGTH).append(": ").append(payload.length).append('\n');
        }
        head.append('\n');
        byte[] headBytes = head.toString().getBytes(StandardCharsets.UTF_8);
        if (headBytes.length > Limits.MAX_HEADER_BLOCK_BYTES) {
            throw new IllegalArgumentException("header block of " + headBytes.length + " bytes exceeds "
                    + Limits.MAX_HEADER_BLOCK_BYTES);
        }
        // content-length is a header line like any other: the reader counts it too
        if (frame.headers().size() + (payload.length > 0 ? 1 : 0) > Limits.MAX_HEADERS) {
            throw new IllegalArgumentException("more than " + Limits.MAX_HEADERS + " header lines");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(headBytes.length + payload.length);
        out.writeBytes(headBytes);
        out.writeBytes(payload);
        return out.toByteArray();
    }

    /** Writes and flushes one frame. Callers that share a stream between threads must hold its lock. */
    public static void write(Frame frame, OutputStream out) throws IOException {
        out.write(encode(frame));
        out.flush();
    }

    /** Encodes a frame for UDP, refusing one that would not fit in a single datagram. */
    public static byte[] encodeDatagram(Frame frame) {
        byte[] bytes = encode(frame);
        if (bytes.length > Limits.MAX_DATAGRAM_BYTES) {
            throw new IllegalArgumentException("frame of " + bytes.length + " bytes exceeds the datagram limit "
                    + Limits.MAX_DATAGRAM_BYTES);
        }
        return bytes;
    }
}
