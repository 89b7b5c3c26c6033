package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Framing rules and limits of {@link FrameReader}, each at and just over its boundary. */
class FrameReaderTest {
    private static final String NEXT = "LOGOUT\n\n";

    // ---- framing ----------------------------------------------------------------------------------------------

    @Test
    void readsRequestWithHeadersAndNoPayload() throws Exception {
        Frame frame = Wire.readOne("REGISTER\nusername: alice\npassword: abc\n\n");
        assertThat(frame.verb()).isEqualTo("REGISTER");
        assertThat(frame.status()).isNull();
        assertThat(frame.headers().asMap()).containsExactly(
                java.util.Map.entry("username", "alice"), java.util.Map.entry("password", "abc"));
        assertThat(frame.payload()).isEmpty();
    }

    @Test
    void readsResponseStartLineAsVerbAndStatus() throws Exception {
        Frame frame = Wire.readOne("JOIN FULL 503\nreason: room is full\n\n");
        assertThat(frame.verb()).isEqualTo("JOIN");
        assertThat(frame.status()).isEqualTo(Status.FULL);
    }

    @Test
    void readsPayloadOfExactlyContentLengthBytes() throws Exception {
        FrameReader reader = Wire.reader("DIRECT_MESSAGE\ncontent-length: 7\n\nh\u00e9llo!" + NEXT);
        assertThat(reader.read().payload()).isEqualTo("h\u00e9llo!");
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void contentLengthZeroMeansNoPayload() throws Exception {
        FrameReader reader = Wire.reader("LOGOUT\ncontent-length: 0\n\n" + NEXT);
        assertThat(reader.read().payload()).isEmpty();
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void contentLengthIsNotAHeaderOfTheFrame() throws Exception {
        assertThat(Wire.readOne("X\ncontent-length: 1\n\nz").headers().contains("content-length")).isFalse();
    }

    @Test
    void headerNamesAreCaseInsensitiveAndReadAsLowerCase() throws Exception {
        Frame frame = Wire.readOne("SEARCH_USER\nUserName: bob\nCONTENT-LENGTH: 2\n\nhi");
        assertThat(frame.header("username")).isEqualTo("bob");
        assertThat(frame.payload()).isEqualTo("hi");
    }

    @Test
    void crlfLineEndingsAreAccepted() throws Exception {
        FrameReader reader = Wire.reader("SEARCH_USER\r\nusername: bob\r\ncontent-length: 4\r\n\r\na\r\nb" + "LOGOUT\r\n\r\n");
        Frame frame = reader.read();
        assertThat(frame.header("username")).isEqualTo("bob");
        assertThat(frame.payload()).isEqualTo("a\r\nb");
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void mixedLineEndingsEndTheBlock() throws Exception {
        assertThat(Wire.readOne("LOGOUT\r\n\n").verb()).isEqualTo("LOGOUT");
        assertThat(Wire.readOne("LOGOUT\n\r\n").verb()).isEqualTo("LOGOUT");
    }

    @Test
    void blankLinesBetweenFramesAreSkipped() throws Exception {
        FrameReader reader = Wire.reader("\n\r\n\nLOGOUT\n\n\n\r\n\nHELLO_P2P\n\n\n\n");
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
        assertThat(reader.read().verb()).isEqualTo("HELLO_P2P");
        assertThat(reader.read()).isNull();
    }

    @Test
    void manyFramesBackToBackOnOneStreamAreReadInOrder() throws Exception {
        StringBuilder stream = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            stream.append("DIRECT_MESSAGE\nid: m").append(i).append("\ncontent-length: ")
                    .append(Integer.toString(i).length()).append("\n\n").append(i);
        }
        FrameReader reader = Wire.reader(stream.toString());
        for (int i = 0; i < 5000; i++) {
            Frame frame = reader.read();
            assertThat(frame.id()).isEqualTo("m" + i);
            assertThat(frame.payload()).isEqualTo(Integer.toString(i));
        }
        assertThat(reader.read()).isNull();
    }

    @Test
    void frameArrivingOneByteAtATimeIsReadWhole() throws Exception {
        byte[] bytes = Wire.bytes("AUTH SUCCESS 200\r\ntoken: t\r\ncontent-length: 6\r\n\r\n\u00e9\u20ac!" + NEXT);
        FrameReader reader = new FrameReader(Wire.oneByteAtATime(bytes));
        Frame frame = reader.read();
        assertThat(frame.status()).isEqualTo(Status.SUCCESS);
        assertThat(frame.header("token")).isEqualTo("t");
        assertThat(frame.payload()).isEqualTo("\u00e9\u20ac!");
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
        assertThat(reader.read()).isNull();
    }

    @Test
    void valueKeepsEverythingAfterTheOneSpaceFollowingTheColon() throws Exception {
        Frame frame = Wire.readOne("X\na:  two\nb:none\nc: tab\there \nd:\ne: \n\n");
        assertThat(frame.header("a")).isEqualTo(" two");
        assertThat(frame.header("b")).isEqualTo("none");
        assertThat(frame.header("c")).isEqualTo("tab\there ");
        assertThat(frame.header("d")).isEmpty();
        assertThat(frame.header("e")).isEmpty();
    }

    @Test
    void returnsNullWhenTheStreamEndsBetweenFrames() throws Exception {
        assertThat(Wire.reader("").read()).isNull();
        assertThat(Wire.reader("\n\n").read()).isNull();
    }

    @Test
    void streamEndingInsideTheHeaderBlockIsAnEofException() {
        assertThatThrownBy(() -> Wire.readOne("REGISTER\nusername: a\n")).isInstanceOf(EOFException.class);
        assertThatThrownBy(() -> Wire.readOne("REGISTER")).isInstanceOf(EOFException.class);
    }

    @Test
    void streamEndingInsideThePayloadIsAnEofException() {
        assertThatThrownBy(() -> Wire.readOne("X\ncontent-length: 10\n\nshort")).isInstanceOf(EOFException.class);
    }

    // ---- header block limit -------------------------------------------------------------------------------------

    /** A frame whose header block (start line to blank line inclusive) is exactly {@code size} bytes. */
    private static String blockOfSize(int size, String eol) {
        String start = "LOGOUT" + eol + "a: ";
        int filler = size - start.length() - 2 * eol.length();
        return start + "x".repeat(filler) + eol + eol;
    }

    @Test
    void headerBlockOf8192BytesIsAccepted() throws Exception {
        assertThat(Wire.bytes(blockOfSize(Limits.MAX_HEADER_BLOCK_BYTES, "\n"))).hasSize(8192);
        assertThat(Wire.readOne(blockOfSize(8192, "\n")).header("a")).hasSize(8192 - 12);
        assertThat(Wire.readOne(blockOfSize(8192, "\r\n")).header("a")).hasSize(8192 - 15);
    }

    @Test
    void headerBlockOf8193BytesLosesFraming() {
        for (String eol : new String[] {"\n", "\r\n"}) {
            ProtocolException e = catchThrowableOfType(ProtocolException.class,
                    () -> Wire.readOne(blockOfSize(Limits.MAX_HEADER_BLOCK_BYTES + 1, eol)));
            assertThat(e.framingLost()).isTrue();
            assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
        }
    }

    @Test
    void headerBlockLimitHoldsWhenBytesTrickleIn() throws Exception {
        assertThat(new FrameReader(Wire.oneByteAtATime(Wire.bytes(blockOfSize(8192, "\n")))).read()).isNotNull();
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> new FrameReader(Wire.oneByteAtATime(Wire.bytes(blockOfSize(8193, "\n")))).read());
        assertThat(e.framingLost()).isTrue();
    }

    @Test
    void endlessHeaderLineIsRefusedAfterTheLimitNotAtEndOfStream() {
        AtomicLong served = new AtomicLong();
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                served.incrementAndGet();
                return 'x';
            }
        };
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> new FrameReader(endless).read());
        assertThat(e.framingLost()).isTrue();
        assertThat(served.get()).isLessThan(16 * 1024);
    }

    // ---- header count limit -------------------------------------------------------------------------------------

    private static String withHeaders(int count) {
        StringBuilder s = new StringBuilder("LOGOUT\n");
        for (int i = 0; i < count; i++) {
            s.append("h").append(i).append(": v\n");
        }
        return s.toString();
    }

    @Test
    void sixtyFourHeadersAreAccepted() throws Exception {
        assertThat(Wire.readOne(withHeaders(64) + "\n").headers().size()).isEqualTo(64);
    }

    @Test
    void sixtyFiveHeadersAreRefusedAndTheStreamStaysUsable() throws Exception {
        FrameReader reader = Wire.reader(withHeaders(65) + "\n" + NEXT);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        assertThat(e.framingLost()).isFalse();
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void contentLengthCountsAsOneOfTheSixtyFourHeaderLines() throws Exception {
        assertThat(Wire.readOne(withHeaders(63) + "content-length: 1\n\nx").payload()).isEqualTo("x");
        FrameReader reader = Wire.reader(withHeaders(64) + "content-length: 1\n\nx" + NEXT);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        assertThat(e.framingLost()).isFalse();
        assertThat(reader.read().verb()).isEqualTo("LOGOUT"); // the payload was skipped
    }

    // ---- payload limit ------------------------------------------------------------------------------------------

    @Test
    void payloadOf65536BytesIsAccepted() throws Exception {
        String payload = "\u00e9".repeat(Limits.MAX_PAYLOAD_BYTES / 2);
        FrameReader reader = Wire.reader("X\ncontent-length: 65536\n\n" + payload + NEXT);
        assertThat(reader.read().payload()).isEqualTo(payload);
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void payloadOf65537BytesLosesFramingBeforeThePayloadIsRead() {
        AtomicLong served = new AtomicLong();
        byte[] head = Wire.bytes("X\ncontent-length: 65537\n\n");
        InputStream in = new InputStream() {
            @Override
            public int read() {
                long n = served.getAndIncrement();
                return n < head.length ? head[(int) n] & 0xff : 'p';
            }
        };
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> new FrameReader(in).read());
        assertThat(e.framingLost()).isTrue();
        assertThat(served.get()).isLessThan(Limits.MAX_HEADER_BLOCK_BYTES + 1024 + 1);
    }

    @Test
    void contentLengthOfTwoToTheThirtyFirstIsRefusedWithoutAllocating() throws Exception {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        FrameReader reader = Wire.reader("X\ncontent-length: 2147483648\n\n");
        Wire.readOne("LOGOUT\n\n"); // warm up the code path
        long before = threads.getCurrentThreadAllocatedBytes();
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        long allocated = threads.getCurrentThreadAllocatedBytes() - before;
        assertThat(e.framingLost()).isTrue();
        assertThat(e.reason()).contains("exceeds");
        assertThat(allocated).isLessThan(256 * 1024);
    }

    @ParameterizedTest
    @ValueSource(strings = {"-1", "abc", "", " 5", "5 ", "1e3", "0x10", "+5", "99999999999999999999999", "65537",
            "2147483647", "4294967296"})
    void badContentLengthLosesFraming(String value) {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> Wire.readOne("X\ncontent-length: " + value + "\n\nabcdef"));
        assertThat(e.framingLost()).isTrue();
        assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    }

    @Test
    void duplicateContentLengthLosesFraming() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> Wire.readOne("X\ncontent-length: 1\nContent-Length: 1\n\na"));
        assertThat(e.framingLost()).isTrue();
    }

    @Test
    void contentLengthWithLeadingZerosIsItsValue() throws Exception {
        assertThat(Wire.readOne("X\ncontent-length: 0000000000003\n\nabc").payload()).isEqualTo("abc");
    }

    // ---- encoding -----------------------------------------------------------------------------------------------

    @Test
    void invalidUtf8InTheHeaderBlockIsRefusedAndTheStreamStaysUsable() throws Exception {
        byte[] bad = Wire.concat(Wire.bytes("X\nreason: "), new byte[] {(byte) 0xff},
                Wire.bytes("\ncontent-length: 3\n\nabc"), Wire.bytes(NEXT));
        FrameReader reader = Wire.reader(bad);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        assertThat(e.framingLost()).isFalse();
        assertThat(e.reason()).contains("UTF-8");
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void invalidUtf8InThePayloadIsRefusedAndTheStreamStaysUsable() throws Exception {
        byte[] bad = Wire.concat(Wire.bytes("X\ncontent-length: 3\n\n"), new byte[] {(byte) 0xed, (byte) 0xa0,
                (byte) 0x80}, Wire.bytes(NEXT));
        FrameReader reader = Wire.reader(bad);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        assertThat(e.framingLost()).isFalse();
        assertThat(e.reason()).contains("payload");
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void overlongUtf8IsRefused() {
        byte[] overlong = Wire.concat(Wire.bytes("X\ncontent-length: 2\n\n"), new byte[] {(byte) 0xc0, (byte) 0xaf});
        assertThatThrownBy(() -> Wire.reader(overlong).read()).isInstanceOf(ProtocolException.class);
    }

    @Test
    void payloadCutInsideAMultiByteCharacterIsRefused() {
        byte[] cut = Wire.concat(Wire.bytes("X\ncontent-length: 1\n\n"), new byte[] {(byte) 0xc3, (byte) 0xa9});
        FrameReader reader = Wire.reader(cut);
        assertThatThrownBy(reader::read).isInstanceOf(ProtocolException.class);
    }

    // ---- headers ------------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"id: 1\nid: 2", "id: 1\nID: 1", "Reason: a\nreason: b"})
    void duplicateHeadersAreRefusedAndTheStreamStaysUsable(String headers) throws Exception {
        FrameReader reader = Wire.reader("X\n" + headers + "\ncontent-length: 2\n\nab" + NEXT);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        assertThat(e.framingLost()).isFalse();
        assertThat(e.reason()).contains("duplicate");
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @ParameterizedTest
    @ValueSource(strings = {"no colon", ": empty name", "user name: x", " id: x", "id : x", "1st: x", "a\u212A: x",
            "\u00e9: x", "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx: y", "a: b\u0001c", "a: b\rc", "a: b\u007fc"})
    void malformedHeaderLinesAreRefusedAndTheStreamStaysUsable(String line) throws Exception {
        FrameReader reader = Wire.reader("X\n" + line + "\n\n" + NEXT);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        assertThat(e.framingLost()).isFalse();
        assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void headerNameOfSixtyFourCharactersIsAccepted() throws Exception {
        assertThat(Wire.readOne("X\n" + "x".repeat(64) + ": y\n\n").header("x".repeat(64))).isEqualTo("y");
    }

    // ---- start line ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"register", "Register", "1VERB", "_VERB", "VERB EXTRA", "VERB  ", "VERB SUCCESS",
            "VERB SUCCESS 20", "VERB SUCCESS 2000", "VERB success 200", "VERB SUCCESS 099", "VERB SUCCESS 0xx",
            "VERB SUCCESS 200 EXTRA", "VERB  SUCCESS 200", "VERB\tSUCCESS 200", "VERB SUCC3SS 200", "VERB:",
            "VERB-X", "V\u00c9RB"})
    void badStartLinesAreRefusedAndTheStreamStaysUsable(String startLine) throws Exception {
        FrameReader reader = Wire.reader(startLine + "\nid: 1\ncontent-length: 1\n\nx" + NEXT);
        ProtocolException e = catchThrowableOfType(ProtocolException.class, reader::read);
        assertThat(e.framingLost()).isFalse();
        assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void verbOfSixtyFourCharactersIsAcceptedAndSixtyFiveRefused() throws Exception {
        assertThat(Wire.readOne("V".repeat(64) + "\n\n").verb()).hasSize(64);
        assertThatThrownBy(() -> Wire.readOne("V".repeat(65) + "\n\n")).isInstanceOf(ProtocolException.class);
    }

    @Test
    void errorReasonsEchoOnlyAShortPrintableClip() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> Wire.readOne("bad\u0001" + "\ud83d\ude00".repeat(60) + "\n\n"));
        assertThat(e.reason()).hasSizeLessThan(80).doesNotContain("\u0001");
        assertThat(Syntax.isWellFormed(e.reason())).isTrue();
    }

    // ---- datagrams ----------------------------------------------------------------------------------------------

    private static byte[] datagramOfSize(int size) {
        String head = "KEEP_ALIVE\nusername: alice\ntoken: t\nx: ";
        return Wire.bytes(head + "x".repeat(size - head.length() - 2) + "\n\n");
    }

    @Test
    void datagramOf1200BytesIsAccepted() throws Exception {
        byte[] datagram = datagramOfSize(Limits.MAX_DATAGRAM_BYTES);
        assertThat(datagram).hasSize(1200);
        Frame frame = FrameReader.decodeDatagram(datagram, 0, datagram.length);
        assertThat(Messages.decode(frame)).isEqualTo(new RegistryRequest.KeepAlive("alice", "t", null));
    }

    @Test
    void datagramOf1201BytesIsRefused() {
        byte[] datagram = datagramOfSize(Limits.MAX_DATAGRAM_BYTES + 1);
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> FrameReader.decodeDatagram(datagram, 0, datagram.length));
        assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "KEEP_ALIVE\nusername: a\n", "KEEP_ALIVE\n\nKEEP_ALIVE\n\n", "KEEP_ALIVE\n\n\n",
            "X\ncontent-length: 5\n\nab", "X\ncontent-length: 99999999\n\n"})
    void datagramThatIsNotExactlyOneFrameIsRefused(String data) {
        byte[] bytes = Wire.bytes(data);
        assertThatThrownBy(() -> FrameReader.decodeDatagram(bytes, 0, bytes.length))
                .isInstanceOf(ProtocolException.class);
    }

    @Test
    void datagramIsReadFromItsOffset() throws Exception {
        byte[] packet = Wire.bytes("garbageTIMEOUT\nusername: bob\n\ntrailing");
        assertThat(Messages.decode(FrameReader.decodeDatagram(packet, 7, packet.length - 7 - 8)))
                .isEqualTo(new RegistryPush.Timeout("bob"));
    }

    // ---- the stream -------------------------------------------------------------------------------------------

    @Test
    void anIoExceptionFromTheStreamPropagates() {
        InputStream failing = new InputStream() {
            @Override
            public int read() throws IOException {
                throw new IOException("connection reset");
            }
        };
        assertThatThrownBy(() -> new FrameReader(failing).read()).isInstanceOf(IOException.class)
                .hasMessage("connection reset");
    }

    @Test
    void readerDoesNotReadPastTheFrameWhenTheStreamIsLive() throws Exception {
        // One frame, then a stream that would block: the reader must return the frame without asking for more.
        byte[] frame = Wire.bytes("LOGOUT\n\n");
        InputStream live = new InputStream() {
            private int pos;

            @Override
            public int read() {
                if (pos >= frame.length) {
                    throw new AssertionError("read past the frame");
                }
                return frame[pos++];
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (pos >= frame.length) {
                    throw new AssertionError("read past the frame");
                }
                int n = Math.min(len, frame.length - pos);
                System.arraycopy(frame, pos, b, off, n);
                pos += n;
                return n;
            }
        };
        assertThat(new FrameReader(live).read().verb()).isEqualTo("LOGOUT");
    }

    @Test
    void bytesAfterAFrameStayForTheNextRead() throws Exception {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(Wire.bytes("LOGOUT\n\nHELLO_P2P\n\n")));
        assertThat(reader.read().verb()).isEqualTo("LOGOUT");
        assertThat(reader.read().verb()).isEqualTo("HELLO_P2P");
    }

    // ---- the id of a bad frame (defect 5) --------------------------------------------------------------------

    @Test
    void duplicateHeaderErrorKeepsTheFramesId() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> Wire.readOne("LOGIN\nid: r7\nusername: a\nusername: b\n\n"));
        assertThat(e.id()).isEqualTo("r7");
        assertThat(ErrorReply.frameFor(e).id()).isEqualTo("r7");
    }

    @Test
    void controlCharacterInALaterHeaderKeepsTheFramesId() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> Wire.readOne("LOGIN\nid: r8\nusername: a\u0001b\n\n"));
        assertThat(e.id()).isEqualTo("r8");
    }

    @Test
    void badContentLengthAfterTheIdKeepsTheFramesIdAndLosesFraming() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> Wire.readOne("LOGIN\nid: r9\ncontent-length: x\n\n"));
        assertThat(e.framingLost()).isTrue();
        assertThat(e.id()).isEqualTo("r9");
    }

    @Test
    void badStartLineKeepsTheFramesId() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class, () -> Wire.readOne("login\nid: r10\n\n"));
        assertThat(e.id()).isEqualTo("r10");
    }

    @Test
    void anIdThatIsItselfBadIsNotEchoed() {
        ProtocolException e = catchThrowableOfType(ProtocolException.class,
                () -> Wire.readOne("LOGIN\nid: r\u00011\n\n"));
        assertThat(e.id()).isNull();
    }
}
