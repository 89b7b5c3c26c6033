package dev.p2pchat.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** Every message record survives record → frame → bytes → frame → record unchanged, and encodes canonically. */
class MessageRoundTripProperties {

    @Property(tries = 1000)
    void everyMessageSurvivesTheWireUnchanged(@ForAll("messages") Message message) throws Exception {
        assertThat(Wire.roundTrip(message)).isEqualTo(message);
    }

    @Property(tries = 500)
    void encodingADecodedMessageGivesTheSameBytes(@ForAll("messages") Message message) throws Exception {
        byte[] first = FrameWriter.encode(message.toFrame());
        byte[] second = FrameWriter.encode(Wire.roundTrip(message).toFrame());
        assertThat(second).isEqualTo(first);
    }

    @Property(tries = 300)
    void tablesSurviveTheWireUnchanged(@ForAll("tables") Message message) throws Exception {
        assertThat(Wire.roundTrip(message)).isEqualTo(message);
    }

    @Property(tries = 300)
    void chatTextSurvivesTheWireUnchanged(@ForAll("chat") PeerRequest message) throws Exception {
        assertThat(Wire.roundTrip(message)).isEqualTo(message);
    }

    @Property(tries = 300)
    void authSurvivesTheWireUnchanged(@ForAll("auth") RegistryReply.Auth message) throws Exception {
        assertThat(Wire.roundTrip(message)).isEqualTo(message);
    }

    @Property(tries = 300)
    void correlationIdTravelsBesideTheMessage(@ForAll("messages") Message message, @ForAll("ids") String id)
            throws Exception {
        Frame frame = message.toFrame();
        if (frame.id() != null) {
            return; // DIRECT_MESSAGE and friends own their id
        }
        Frame read = Wire.reader(FrameWriter.encode(frame.withId(id))).read();
        assertThat(read.id()).isEqualTo(id);
        assertThat(Messages.decode(read)).isEqualTo(message);
    }

    @Property(tries = 200)
    void framesBackToBackReadTheSameInAnyChunking(@ForAll("messageLists") List<Message> messages,
                                                  @ForAll long seed) throws Exception {
        List<byte[]> parts = new ArrayList<>();
        for (Message m : messages) {
            parts.add(FrameWriter.encode(m.toFrame()));
        }
        byte[] stream = Wire.concat(parts.toArray(byte[][]::new));
        FrameReader reader = new FrameReader(Wire.trickle(stream, 7, seed));
        List<Message> read = new ArrayList<>();
        for (Frame f = reader.read(); f != null; f = reader.read()) {
            read.add(Messages.decode(f));
        }
        assertThat(read).isEqualTo(messages);
    }

    @Property(tries = 200)
    void udpMessagesSurviveOneDatagramEach(@ForAll("udp") Message message) throws Exception {
        byte[] datagram = FrameWriter.encode(message.toFrame());
        if (datagram.length > Limits.MAX_DATAGRAM_BYTES) {
            return; // FrameWriterTest covers the refusal
        }
        byte[] sent = FrameWriter.encodeDatagram(message.toFrame());
        byte[] packet = Wire.concat(new byte[] {9, 9}, sent, new byte[] {7});
        assertThat(Messages.decode(FrameReader.decodeDatagram(packet, 2, sent.length))).isEqualTo(message);
    }

    @Example
    void generatorsCoverEveryMessageRecord() {
        Set<Class<?>> leaves = new HashSet<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(Message.class));
        while (!todo.isEmpty()) {
            Class<?> type = todo.pop();
            if (type.isRecord()) {
                leaves.add(type);
            } else {
                todo.addAll(List.of(type.getPermittedSubclasses()));
            }
        }
        assertThat(new HashSet<Class<?>>(MessageArbitraries.byRecord().keySet())).isEqualTo(leaves);
    }

    @Example
    void aDecodedFrameIsReadToTheEndOfTheStream() throws IOException, ProtocolException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(
                FrameWriter.encode(new RegistryRequest.Logout().toFrame())));
        assertThat(reader.read()).isNotNull();
        assertThat(reader.read()).isNull();
        assertThat(reader.read()).isNull();
    }

    @Provide
    Arbitrary<Message> messages() {
        return MessageArbitraries.anyMessage();
    }

    @Provide
    Arbitrary<List<Message>> messageLists() {
        return MessageArbitraries.anyMessage().list().ofMinSize(1).ofMaxSize(8);
    }

    @Provide
    Arbitrary<String> ids() {
        return MessageArbitraries.id();
    }

    @Provide
    Arbitrary<Message> tables() {
        return net.jqwik.api.Arbitraries.oneOf(MessageArbitraries.of(RegistryReply.RoomsList.class),
                MessageArbitraries.of(RegistryReply.PeerList.class));
    }

    @Provide
    Arbitrary<PeerRequest> chat() {
        return net.jqwik.api.Arbitraries.oneOf(MessageArbitraries.of(PeerRequest.DirectMessage.class),
                MessageArbitraries.of(PeerRequest.DirectBroadcast.class));
    }

    @Provide
    Arbitrary<RegistryReply.Auth> auth() {
        return MessageArbitraries.of(RegistryReply.Auth.class);
    }

    @Provide
    Arbitrary<Message> udp() {
        return net.jqwik.api.Arbitraries.oneOf(MessageArbitraries.of(RegistryRequest.KeepAlive.class),
                MessageArbitraries.of(RegistryReply.KeepAliveResponse.class),
                MessageArbitraries.of(RegistryPush.Timeout.class), MessageArbitraries.of(ErrorReply.class));
    }
}
