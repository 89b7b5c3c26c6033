package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Hostile input never escapes the codec as anything but {@link ProtocolException} or {@link IOException}: no
 * RuntimeException, no unbounded allocation, no reader stuck on the same bytes, and the same outcome however the
 * bytes are split into reads.
 */
class FrameReaderRobustnessProperties {
    /** Per read(): the 9 KiB buffer is already there; a 64 KiB payload and its string stay far below this. */
    private static final long MAX_BYTES_ALLOCATED_PER_READ = 2L * 1024 * 1024;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    @Property(tries = 500)
    void arbitraryBytesRaiseOnlyProtocolOrIoExceptions(@ForAll("randomBytes") byte[] input) {
        readAll(new ByteArrayInputStream(input), input.length);
    }

    @Property(tries = 1000)
    void tokenSoupRaisesOnlyProtocolOrIoExceptions(@ForAll("tokenSoup") byte[] input) {
        readAll(new ByteArrayInputStream(input), input.length);
    }

    @Property(tries = 1000)
    void mutatedFramesRaiseOnlyProtocolOrIoExceptions(@ForAll("mutatedFrames") byte[] input) {
        readAll(new ByteArrayInputStream(input), input.length);
    }

    @Property(tries = 300)
    void readingIsIndependentOfHowTheBytesArrive(@ForAll("mutatedFrames") byte[] input, @ForAll long seed) {
        List<String> whole = readAll(new ByteArrayInputStream(input), input.length);
        assertThat(readAll(Wire.trickle(input, 5, seed), input.length)).isEqualTo(whole);
        assertThat(readAll(Wire.oneByteAtATime(input), input.length)).isEqualTo(whole);
    }

    @Property(tries = 500)
    void datagramDecodingRaisesOnlyProtocolException(@ForAll("datagrams") byte[] input) {
        try {
            Messages.decode(FrameReader.decodeDatagram(input, 0, input.length));
        } catch (ProtocolException e) {
            assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
        }
    }

    @Property(tries = 1000)
    void decodingArbitraryFramesRaisesOnlyProtocolException(@ForAll("frames") Frame frame) {
        try {
            Message message = Messages.decode(frame);
            assertThat(message).isNotNull();
        } catch (ProtocolException e) {
            assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
            assertThat(e.framingLost()).isFalse();
            assertThat(Syntax.isSingleLine(ErrorReply.of(e).reason())).isTrue();
        }
    }

    /**
     * Reads until the end, a lost framing or an I/O error, decoding every frame; returns what happened, one entry
     * per read. Fails on any other exception, on a read that allocates too much, and on a reader that keeps
     * returning results without consuming input.
     */
    static List<String> readAll(InputStream in, int inputLength) {
        FrameReader reader = new FrameReader(in);
        List<String> outcomes = new ArrayList<>();
        while (true) {
            if (outcomes.size() > inputLength + 1) {
                fail("reader makes no progress: " + outcomes.subList(0, Math.min(5, outcomes.size())));
            }
            long before = THREADS.getCurrentThreadAllocatedBytes();
            try {
                Frame frame = reader.read();
                assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).isLessThan(MAX_BYTES_ALLOCATED_PER_READ);
                if (frame == null) {
                    outcomes.add("end");
                    return outcomes;
                }
                outcomes.add("frame " + frame + " -> " + decode(frame));
            } catch (ProtocolException e) {
                assertThat(THREADS.getCurrentThreadAllocatedBytes() - before).isLessThan(MAX_BYTES_ALLOCATED_PER_READ);
                assertThat(e.status()).isEqualTo(Status.BAD_REQUEST);
                outcomes.add("error " + e.reason() + " framingLost=" + e.framingLost());
                if (e.framingLost()) {
                    return outcomes;
                }
            } catch (IOException e) {
                outcomes.add("io " + e.getClass().getSimpleName());
                return outcomes;
            }
        }
    }

    private static String decode(Frame frame) {
        try {
            return Messages.decode(frame).toString();
        } catch (ProtocolException e) {
            assertThat(e.framingLost()).isFalse();
            return "error " + e.reason();
        }
    }

    // ---- generators -------------------------------------------------------------------------------------------

    @Provide
    Arbitrary<byte[]> randomBytes() {
        return Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
    }

    private static final List<String> WORDS = List.of("\n", "\n", "\n", "\r\n", "\r", "\n\n", ": ", ":", " ", "\t",
            "content-length: ", "Content-Length:", "CONTENT-LENGTH: 0", "id: ", "id: 42", "reason: x", "columns: ",
            "name\tmembers\tcapacity", "username: alice", "port: ", "udp_port: 0", "timeout: -5",
            "token_expires: 99999999999999999999", "has_password", "true", "\u212Aeepalive", "\u00e9",
            " SUCCESS 200", " FAILURE 404", " OK 099", " OK 1000", " ok 200", "  ", "0", "1", "5", "17", "007",
            "4096", "65536", "65537", "2147483648", "99999999999999999999", "-1", "+5", "REGISTER", "LOGIN", "AUTH",
            "ERROR", "ROOMS_LIST", "PEER_LIST", "DIRECT_MESSAGE", "DIRECT_BROADCAST", "SEARCH_USER_RESPONSE",
            "ROOM_MEMBER_JOINED", "KEEP_ALIVE", "HELLO_P2P", "x".repeat(70), "a: " + "b".repeat(8200));

    private static final List<byte[]> BAD_BYTES = List.of(new byte[] {(byte) 0xff}, new byte[] {(byte) 0xc0, (byte) 0xaf},
            new byte[] {(byte) 0xed, (byte) 0xa0, (byte) 0x80}, new byte[] {(byte) 0xf4, (byte) 0x90, (byte) 0x80, (byte) 0x80},
            new byte[] {(byte) 0xe2, (byte) 0x82}, new byte[] {0}, new byte[] {0x7f});

    private static Arbitrary<byte[]> token() {
        return Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.of(WORDS).map(Wire::bytes)),
                Tuple.of(2, Arbitraries.of(BAD_BYTES)),
                Tuple.of(2, Arbitraries.bytes().map(b -> new byte[] {b})),
                Tuple.of(1, MessageArbitraries.anyMessage().map(m -> FrameWriter.encode(m.toFrame()))));
    }

    @Provide
    Arbitrary<byte[]> tokenSoup() {
        return token().list().ofMaxSize(60).map(parts -> Wire.concat(parts.toArray(byte[][]::new)));
    }

    @Provide
    Arbitrary<byte[]> mutatedFrames() {
        Arbitrary<byte[]> valid = MessageArbitraries.anyMessage().list().ofMinSize(1).ofMaxSize(4)
                .map(ms -> Wire.concat(ms.stream().map(m -> FrameWriter.encode(m.toFrame())).toArray(byte[][]::new)));
        return Combinators.combine(valid, token().list().ofMaxSize(4), Arbitraries.integers().between(0, 6),
                Arbitraries.longs()).as(FrameReaderRobustnessProperties::mutate);
    }

    @Provide
    Arbitrary<byte[]> datagrams() {
        return Arbitraries.oneOf(randomBytes(), tokenSoup(), mutatedFrames())
                .map(b -> b.length > 1300 ? java.util.Arrays.copyOf(b, 1300) : b);
    }

    /** Flips, inserts, deletes, duplicates and truncates at random places. */
    private static byte[] mutate(byte[] original, List<byte[]> inserts, int mutations, long seed) {
        Random random = new Random(seed);
        byte[] data = original;
        for (int i = 0; i < mutations; i++) {
            int pos = data.length == 0 ? 0 : random.nextInt(data.length + 1);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            switch (random.nextInt(5)) {
                case 0 -> { // flip a byte
                    if (pos < data.length) {
                        data = data.clone();
                        data[pos] ^= (byte) (1 << random.nextInt(8));
                    }
                    continue;
                }
                case 1 -> { // insert a token
                    byte[] insert = inserts.isEmpty() ? new byte[] {'\n'} : inserts.get(random.nextInt(inserts.size()));
                    out.write(data, 0, pos);
                    out.writeBytes(insert);
                    out.write(data, pos, data.length - pos);
                }
                case 2 -> { // delete a range
                    int len = Math.min(data.length - pos, random.nextInt(20));
                    out.write(data, 0, pos);
                    out.write(data, pos + len, data.length - pos - len);
                }
                case 3 -> { // duplicate a range
                    int len = Math.min(data.length - pos, random.nextInt(40));
                    out.write(data, 0, pos + len);
                    out.write(data, pos, data.length - pos);
                }
                default -> out.write(data, 0, pos); // truncate
            }
            data = out.toByteArray();
        }
        return data;
    }

    @Provide
    Arbitrary<Frame> frames() {
        List<String> verbs = List.of("HELLO_P2P", "REGISTER", "LOGIN", "RESUME", "CREATE_CHAT_ROOM", "JOIN_CHAT_ROOM",
                "ROOM_EXIT", "SHOW_ROOMS_LIST", "SEARCH_USER", "DISCOVER_PEERS", "LOGOUT", "KEEP_ALIVE", "USER_LOGOUT",
                "ROOM_MEMBER_JOINED", "ROOM_MEMBER_LEFT", "TIMEOUT", "SHUTDOWN", "CHAT_REQUEST", "DIRECT_MESSAGE",
                "DIRECT_BROADCAST", "CHAT_CLOSED", "CHAT_CLOSED_RESPONSE", "ERROR", "HELLO_BACK", "AUTH", "CREATION", "JOIN", "ROOM_EXIT_RESPONSE", "ROOMS_LIST",
                "SEARCH_USER_RESPONSE", "PEER_LIST", "LOGOUT_RESPONSE", "KEEP_ALIVE_RESPONSE", "CHAT_REQUEST_RESPONSE",
                "DIRECT_UNICAST_NOTIFICATION", "DIRECT_BROADCAST_NOTIFICATION", "UNKNOWN_THING");
        List<String> names = List.of("id", "columns", "reason", "username", "password", "port", "udp_port",
                "fingerprint", "token", "token_expires", "keepalive_interval", "timeout", "room_name", "room_password",
                "room_capacity", "room_description", "type", "ip", "sender_username", "recipient_username",
                "timestamp", "restored", "cause");
        Arbitrary<String> value = Arbitraries.oneOf(
                MessageArbitraries.singleLine(0, 20),
                MessageArbitraries.sha256Hex(),
                Arbitraries.of("", "0", "-1", "1", "65535", "65536", "+80", "2147483647", "2147483648", "-2147483648",
                        "9223372036854775807", "9223372036854775808", "DETAILED", "partial", "true", "yes",
                        "name\tmembers\tcapacity", "name\tdescription\tmembers\tcapacity\thas_password",
                        "username\troom\tip\tport\tfingerprint", "\t", "a b", "ok-id_1"));
        Arbitrary<Headers> headers = Combinators.combine(Arbitraries.of(names), value).as(Tuple::of).list().ofMaxSize(10)
                .map(pairs -> {
                    Headers.Builder b = Headers.builder();
                    pairs.forEach(p -> b.put(p.get1(), p.get2()));
                    return b.build();
                });
        Arbitrary<String> payload = Arbitraries.oneOf(Arbitraries.just(""), MessageArbitraries.chatText(),
                Arbitraries.of("a\tb\tc\n", "a\t1\t2\n\n", "r\t\t1\t2\ttrue\n", "\n", "x\t-1\t2\n",
                        "u\t\t1.2.3.4\t80\t" + "a".repeat(64) + "\n", "u\tr\tip\t0\tzz\n"));
        return Combinators.combine(Arbitraries.of(verbs), MessageArbitraries.status().injectNull(0.5), headers, payload)
                .as(Frame::new);
    }
}
