package dev.p2pchat.protocol;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads frames from one byte stream, enforcing every limit while reading (never after buffering):
 * the header block is read into a fixed buffer of {@link Limits#MAX_HEADER_BLOCK_BYTES}, and the payload
 * is allocated only after its announced length has been checked. One reader per connection; not thread-safe.
 */
public final class FrameReader {
    /** Most frames are small; the buffer grows only for one that needs it, so idle connections stay cheap. */
    private static final int INITIAL_BUFFER_BYTES = 512;
    private static final int MAX_BUFFER_BYTES = Limits.MAX_HEADER_BLOCK_BYTES + 1024;

    private final InputStream in;
    private byte[] buffer;
    private int start;
    private int end;

    public FrameReader(InputStream in) {
        this.in = in;
        this.buffer = new byte[INITIAL_BUFFER_BYTES];
    }

    /**
     * Bytes already read from the stream and not yet returned as a frame: more than zero after {@link #read()}
     * means the next frame has begun arriving (its deadline runs from now).
     */
    public int buffered() {
        return end - start;
    }

    /** Decodes exactly one datagram's bytes as one frame; trailing bytes after the frame are an error. */
    public static Frame decodeDatagram(byte[] data, int offset, int length) throws ProtocolException {
        if (length > Limits.MAX_DATAGRAM_BYTES) {
            throw ProtocolException.badContent("datagram of " + length + " bytes exceeds "
                    + Limits.MAX_DATAGRAM_BYTES);
        }
        FrameReader reader = new FrameReader(new ByteArrayInputStream(data, offset, length));
        try {
            Frame frame = reader.read();
            if (frame == null) {
                throw ProtocolException.badContent("empty datagram");
            }
            if (reader.start < reader.end || reader.in.read() != -1) {
                throw ProtocolException.badContent("bytes after the frame in a datagram");
            }
            return frame;
        } catch (ProtocolException e) {
            throw ProtocolException.badContent(e.reason());
        } catch (IOException e) {
            throw ProtocolException.badContent("truncated datagram");
        }
    }

    /**
     * Reads the next frame, or returns null when the stream ends cleanly between frames.
     * Blank lines between frames are skipped.
     *
     * @throws ProtocolException for malformed or oversized input; check {@link ProtocolException#framingLost()}
     * @throws IOException when the stream fails or ends inside a frame
     */
    public Frame read() throws IOException, ProtocolException {
        if (!skipBlankLines()) {
            return null;
        }
        int blockEnd = findHeaderBlockEnd(); // may move the unread bytes to the front of the buffer
        int blockStart = start;
        start = blockEnd;
        ProtocolException badEncoding = null;
        String block;
        try {
            block = decodeUtf8(buffer, blockStart, blockEnd - blockStart, true);
        } catch (ProtocolException e) {
            // Still parse the block (content-length is ASCII) so the payload is skipped and the stream stays in step.
            badEncoding = e;
            block = new String(buffer, blockStart, blockEnd - blockStart, StandardCharsets.UTF_8);
        }
        return parseBlockAndPayload(block, badEncoding);
    }

    private boolean skipBlankLines() throws IOException {
        while (true) {
            while (start < end) {
                byte b = buffer[start];
                if (b != '\n' && b != '\r') {
                    return true;
                }
                start++;
            }
            if (!fill()) {
                return false;
            }
        }
    }

    /** Returns the index just past the blank line that ends the header block. */
    private int findHeaderBlockEnd() throws IOException, ProtocolException {
        int scan = start;
        while (true) {
            for (; scan < end; scan++) {
                if (buffer[scan] == '\n') {
                    int next = scan + 1;
                    // "\n\n" or "\n\r\n" ends the block
                    if (next < end && buffer[next] == '\n') {
                        return checkBlockSize(next + 1);
                    }
                    if (next + 1 < end && buffer[next] == '\r' && buffer[next + 1] == '\n') {
                        return checkBlockSize(next + 2);
                    }
                    if (next >= end || (next + 1 >= end && buffer[next] == '\r')) {
                        break; // need more bytes to decide
                    }
                }
            }
            if (scan - start > Limits.MAX_HEADER_BLOCK_BYTES) {
                throw ProtocolException.framingLost("header block exceeds " + Limits.MAX_HEADER_BLOCK_BYTES + " bytes");
            }
            int consumed = scan - start;
            if (!fill()) {
                throw new java.io.EOFException("stream ended inside a frame's header block");
            }
            scan = start + consumed;
        }
    }

    private int checkBlockSize(int blockEnd) throws ProtocolException {
        if (blockEnd - start > Limits.MAX_HEADER_BLOCK_BYTES) {
            throw ProtocolException.framingLost("header block exceeds " + Limits.MAX_HEADER_BLOCK_BYTES + " bytes");
        }
        return blockEnd;
    }

    /** Moves unread bytes to the front and reads more; false at end of stream. */
    private boolean fill() throws IOException {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            if (buffer.length >= MAX_BUFFER_BYTES) {
                return true; // full: the caller's size check fires
            }
            buffer = java.util.Arrays.copyOf(buffer, Math.min(MAX_BUFFER_BYTES, buffer.length * 2));
        }
        int n = in.read(buffer, end, buffer.length - end);
        if (n < 0) {
            return false;
        }
        end += n;
        return true;
    }

    private Frame parseBlockAndPayload(String block, ProtocolException badEncoding)
            throws IOException, ProtocolException {
        String[] lines = block.split("\r?\n", -1);
        // The block ends with two line breaks, so the last two entries are empty.
        int lineCount = lines.length - 2;
        String startLine = lines[0];
        Headers.Builder headers = Headers.builder();
        int contentLength = -1;
        String id = null;
        ProtocolException deferred = badEncoding;
        // Every header line counts, content-length included: FrameWriter applies the same rule.
        if (lineCount - 1 > Limits.MAX_HEADERS) {
            deferred = ProtocolException.badContent("more than " + Limits.MAX_HEADERS + " headers");
        }
        for (int i = 1; i < lineCount; i++) {
            String line = lines[i];
            int colon = line.indexOf(':');
            if (colon <= 0) {
                deferred = first(deferred, ProtocolException.badContent("header line without 'name:': " + clip(line)));
                continue;
            }
            String name = asciiLowerCase(line.substring(0, colon));
            String value = stripOneSpace(line.substring(colon + 1));
            if (name.equals(HeaderNames.CONTENT_LENGTH)) {
                if (contentLength >= 0) {
                    throw ProtocolException.framingLost("duplicate content-length").withId(id);
                }
                try {
                    contentLength = parseContentLength(value);
                } catch (ProtocolException e) {
                    throw e.withId(id);
                }
                continue;
            }
            if (!Syntax.isHeaderName(name)) {
                deferred = first(deferred, ProtocolException.badContent("bad header name: " + clip(name)));
            } else if (!Syntax.isHeaderValue(value)) {
                deferred = first(deferred, ProtocolException.badContent("control character in header " + name));
            } else if (headers.has(name)) {
                deferred = first(deferred, ProtocolException.badContent("duplicate header " + name));
            } else {
                headers.putChecked(name, value);
                if (name.equals(HeaderNames.ID) && id == null) {
                    id = value;
                }
            }
        }
        String payload;
        try {
            payload = contentLength > 0 ? readPayload(contentLength) : "";
        } catch (ProtocolException e) {
            throw e.withId(id);
        }
        if (deferred != null) {
            throw deferred.withId(id);
        }
        try {
            return new Frame(parseVerb(startLine), parseStatus(startLine), headers.build(), payload);
        } catch (ProtocolException e) {
            throw e.withId(id);
        }
    }

    private static ProtocolException first(ProtocolException existing, ProtocolException next) {
        return existing != null ? existing : next;
    }

    /** Decimal digits only; the size is checked before anything is allocated for the payload. */
    private static int parseContentLength(String value) throws ProtocolException {
        if (value.isEmpty() || !value.chars().allMatch(c -> c >= '0' && c <= '9')) {
            throw ProtocolException.framingLost("content-length is not a number: " + clip(value));
        }
        String digits = value.replaceFirst("^0+(?=.)", "");
        if (digits.length() > 9 || Integer.parseInt(digits) > Limits.MAX_PAYLOAD_BYTES) {
            throw ProtocolException.framingLost("payload of " + clip(digits) + " bytes exceeds " + Limits.MAX_PAYLOAD_BYTES);
        }
        return Integer.parseInt(digits);
    }

    private String readPayload(int length) throws IOException, ProtocolException {
        byte[] payload = new byte[length];
        int have = Math.min(end - start, length);
        System.arraycopy(buffer, start, payload, 0, have);
        start += have;
        while (have < length) {
            int n = in.read(payload, have, length - have);
            if (n < 0) {
                throw new java.io.EOFException("stream ended inside a payload");
            }
            have += n;
        }
        return decodeUtf8(payload, 0, length, false);
    }

    private static String parseVerb(String startLine) throws ProtocolException {
        String[] parts = startLine.split(" ", -1);
        if (parts.length != 1 && parts.length != 3) {
            throw ProtocolException.badContent("start line must be 'VERB' or 'VERB PHRASE CODE': " + clip(startLine));
        }
        if (!Syntax.isVerb(parts[0])) {
            throw ProtocolException.badContent("bad command: " + clip(parts[0]));
        }
        return parts[0];
    }

    private static Status parseStatus(String startLine) throws ProtocolException {
        String[] parts = startLine.split(" ", -1);
        if (parts.length == 1) {
            return null;
        }
        String code = parts[2];
        if (!Syntax.isPhrase(parts[1]) || code.length() != 3 || !code.chars().allMatch(c -> c >= '0' && c <= '9')
                || code.charAt(0) == '0') {
            throw ProtocolException.badContent("bad status: " + clip(startLine));
        }
        return new Status(parts[1], Integer.parseInt(code));
    }

    /** The writer puts exactly one space after the colon; anything beyond it belongs to the value. */
    private static String stripOneSpace(String value) {
        return value.startsWith(" ") ? value.substring(1) : value;
    }

    /** Header names are ASCII: folding only A-Z keeps e.g. the Kelvin sign from turning into a 'k'. */
    private static String asciiLowerCase(String name) {
        char[] chars = name.toCharArray();
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] >= 'A' && chars[i] <= 'Z') {
                chars[i] = (char) (chars[i] + ('a' - 'A'));
            }
        }
        return new String(chars);
    }

    private static String decodeUtf8(byte[] bytes, int offset, int length, boolean headerBlock) throws ProtocolException {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, offset, length))
                    .toString();
        } catch (CharacterCodingException e) {
            throw ProtocolException.badContent((headerBlock ? "header block" : "payload") + " is not valid UTF-8");
        }
    }

    /** Keeps echoed input short and printable in error reasons. */
    static String clip(String s) {
        StringBuilder out = new StringBuilder();
        int i = 0;
        while (i < s.length() && out.length() < 40) {
            int c = s.codePointAt(i);
            i += Character.charCount(c);
            // '?' also for lone surrogates, so a reason is always well-formed text
            out.appendCodePoint(c < 0x20 || c == 0x7f || Character.isSurrogate((char) c) && c <= 0xFFFF ? '?' : c);
        }
        return i < s.length() ? out + "…" : out.toString();
    }
}
