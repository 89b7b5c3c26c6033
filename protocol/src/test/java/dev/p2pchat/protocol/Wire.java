package dev.p2pchat.protocol;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/** Test helpers: bytes in and out of the codec. */
final class Wire {
    private Wire() {
    }

    static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    static FrameReader reader(byte[] data) {
        return new FrameReader(new ByteArrayInputStream(data));
    }

    static FrameReader reader(String data) {
        return reader(bytes(data));
    }

    static Frame readOne(String data) throws IOException, ProtocolException {
        return reader(data).read();
    }

    /** The whole trip a message makes: record, frame, bytes, frame, record. */
    static Message roundTrip(Message message) throws IOException, ProtocolException {
        FrameReader reader = reader(FrameWriter.encode(message.toFrame()));
        Frame frame = reader.read();
        if (reader.read() != null) {
            throw new AssertionError("more than one frame for " + message);
        }
        return Messages.decode(frame);
    }

    /** Hands out at most {@code max} bytes per read, and sometimes just one: every split point gets exercised. */
    static InputStream trickle(byte[] data, int max, long seed) {
        Random random = new Random(seed);
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1 + random.nextInt(max)));
            }
        };
    }

    /** One byte per read, always. */
    static InputStream oneByteAtATime(byte[] data) {
        return new ByteArrayInputStream(data) {
            @Override
            public synchronized int read(byte[] b, int off, int len) {
                return super.read(b, off, Math.min(len, 1));
            }
        };
    }
}
