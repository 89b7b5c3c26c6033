package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What {@link FrameWriter} puts on the wire, and what it refuses to. */
class FrameWriterTest {

    private static String encode(Frame frame) {
        return new String(FrameWriter.encode(frame), StandardCharsets.UTF_8);
    }

    @Test
    void writesStartLineHeadersInOrderAndBlankLine() {
        Frame frame = Frame.request("REGISTER", Headers.builder().put("username", "alice").put("password", "x").build());
        assertThat(encode(frame)).isEqualTo("REGISTER\nusername: alice\npassword: x\n\n");
    }

    @Test
    void writesResponseStatusOnTheStartLine() {
        assertThat(encode(Frame.response("JOIN", Status.FULL, Headers.EMPTY))).isEqualTo("JOIN FULL 503\n\n");
    }

    @Test
    void writesContentLengthInBytesOnlyWhenThereIsAPayload() {
        assertThat(encode(Frame.request("X", Headers.EMPTY).withPayload("h\u00e9 \ud83d\ude00")))
                .isEqualTo("X\ncontent-length: 8\n\nh\u00e9 \ud83d\ude00");
        assertThat(encode(Frame.request("X", Headers.EMPTY))).doesNotContain("content-length");
    }

    @Test
    void writesAWholeFrameInOneWrite() throws Exception {
        List<Integer> writes = new ArrayList<>();
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void write(byte[] b, int off, int len) {
                writes.add(len);
                super.write(b, off, len);
            }
        };
        FrameWriter.write(Frame.request("X", Headers.builder().put("a", "b").build()).withPayload("payload"), sink);
        assertThat(writes).hasSize(1);
        assertThat(sink.toString(StandardCharsets.UTF_8)).isEqualTo("X\na: b\ncontent-length: 7\n\npayload");
    }

    @Test
    void refusesPayloadOver65536Bytes() {
        Frame frame = Frame.request("X", Headers.EMPTY);
        assertThat(FrameWriter.encode(frame.withPayload("a".repeat(Limits.MAX_PAYLOAD_BYTES)))).isNotEmpty();
        assertThatThrownBy(() -> FrameWriter.encode(frame.withPayload("a".repeat(Limits.MAX_PAYLOAD_BYTES + 1))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameWriter.encode(frame.withPayload("\u00e9".repeat(Limits.MAX_PAYLOAD_BYTES / 2 + 1))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesHeaderBlockOver8192Bytes() {
        // "X\n" + "a: " + value + "\n" + "\n" = 7 + value bytes
        Headers fits = Headers.builder().put("a", "v".repeat(8192 - 7)).build();
        assertThat(FrameWriter.encode(Frame.request("X", fits))).hasSize(8192);
        Headers over = Headers.builder().put("a", "v".repeat(8192 - 6)).build();
        assertThatThrownBy(() -> FrameWriter.encode(Frame.request("X", over))).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesMoreThanSixtyFourHeaderLinesCountingContentLength() {
        Headers.Builder b = Headers.builder();
        for (int i = 0; i < 64; i++) {
            b.put("h" + i, "v");
        }
        Frame sixtyFour = Frame.request("X", b.build());
        assertThat(FrameWriter.encode(sixtyFour)).isNotEmpty();
        assertThatThrownBy(() -> FrameWriter.encode(sixtyFour.withPayload("p")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameWriter.encode(Frame.request("X", b.put("h64", "v").build())))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesPayloadWithAnUnpairedSurrogate() {
        assertThatThrownBy(() -> FrameWriter.encode(Frame.request("X", Headers.EMPTY).withPayload("a\ud800b")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FrameWriter.encode(Frame.request("X", Headers.EMPTY).withPayload("\udc00")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void datagramOf1200BytesIsWrittenAnd1201Refused() {
        // "TIMEOUT\n" + "username: " + name + "\n\n" = 20 + name bytes
        Frame fits = new Frame("TIMEOUT", null, Headers.builder().put("username", "u".repeat(1180)).build(), "");
        assertThat(FrameWriter.encodeDatagram(fits)).hasSize(1200);
        Frame over = new Frame("TIMEOUT", null, Headers.builder().put("username", "u".repeat(1181)).build(), "");
        assertThatThrownBy(() -> FrameWriter.encodeDatagram(over)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void headersRefuseWhatCannotTravelOnOneLine() {
        Headers.Builder b = Headers.builder();
        assertThatThrownBy(() -> b.put("a", "x\ny")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put("a", "x\ry")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put("a", "x\u0000")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put("a", "\ud800")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put("Upper", "x")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> b.put("content-length", "1")).isInstanceOf(IllegalArgumentException.class);
        assertThat(b.put("columns", "a\tb").build().valueOrNull("columns")).isEqualTo("a\tb");
    }

    @Test
    void withIdKeepsAnExistingIdInPlaceAndAppendsANewOne() {
        Frame owned = new PeerRequest.DirectMessage("m1", "alice", "bob", java.time.Instant.EPOCH, "hi").toFrame();
        assertThat(List.copyOf(owned.withId("m2").headers().asMap().keySet())).first().isEqualTo("id");
        Frame plain = new RegistryRequest.SearchUser("bob").toFrame().withId("7");
        assertThat(List.copyOf(plain.headers().asMap().keySet())).containsExactly("username", "id");
        assertThat(plain.withId(null)).isSameAs(plain);
    }

    @Test
    void framesRefuseBadVerbs() {
        assertThatThrownBy(() -> Frame.request("lower", Headers.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Frame.request("TWO WORDS", Headers.EMPTY)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Status("OK", 99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Status("Ok", 200)).isInstanceOf(IllegalArgumentException.class);
    }
}
