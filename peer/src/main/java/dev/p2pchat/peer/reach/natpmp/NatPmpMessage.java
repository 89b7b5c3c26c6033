package dev.p2pchat.peer.reach.natpmp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * NAT-PMP (RFC 6886) messages, one immutable record each, with their exact byte layouts: all fields big-endian,
 * version 0. A client sends requests to its default gateway's UDP port {@link #PORT}; the gateway answers with
 * the request's opcode plus 128 and a result code. {@link #decodeResponse} refuses anything that is not one of the
 * two answers in its exact size, naming what is wrong.
 */
public sealed interface NatPmpMessage {
    /** The gateway's NAT-PMP port. */
    int PORT = 5351;
    int VERSION = 0;

    /** The bytes on the wire. */
    byte[] encode();

    /** The transport protocol a mapping is for (opcode 1 UDP, 2 TCP). */
    enum Protocol {
        UDP(1), TCP(2);

        final int opcode;

        Protocol(int opcode) {
            this.opcode = opcode;
        }
    }

    /** RFC 6886 section 3.5 result codes. */
    enum Result {
        SUCCESS(0), UNSUPPORTED_VERSION(1), NOT_AUTHORIZED(2), NETWORK_FAILURE(3), OUT_OF_RESOURCES(4),
        UNSUPPORTED_OPCODE(5);

        final int code;

        Result(int code) {
            this.code = code;
        }

        static Result of(int code) throws NatPmpException {
            for (Result r : values()) {
                if (r.code == code) {
                    return r;
                }
            }
            throw new NatPmpException("unknown NAT-PMP result code " + code);
        }
    }

    /** Section 3.2: {@code 0 | 0} (version, opcode 0), two bytes. */
    record ExternalAddressRequest() implements NatPmpMessage {
        @Override
        public byte[] encode() {
            return new byte[] {VERSION, 0};
        }
    }

    /**
     * Section 3.2: version, opcode 128, result code (16 bits), seconds since the gateway's epoch (32 bits), the
     * external IPv4 address (32 bits): 12 bytes.
     */
    record ExternalAddressResponse(Result result, long epochSeconds, Inet4Address externalAddress)
            implements NatPmpMessage {
        public ExternalAddressResponse {
            Objects.requireNonNull(result, "result");
            Objects.requireNonNull(externalAddress, "externalAddress");
            checkUnsigned32("seconds since epoch", epochSeconds);
        }

        @Override
        public byte[] encode() {
            return ByteBuffer.allocate(12).put((byte) VERSION).put((byte) 128).putShort((short) result.code)
                    .putInt((int) epochSeconds).put(externalAddress.getAddress()).array();
        }
    }

    /**
     * Section 3.3: version, opcode (1 UDP, 2 TCP), 16 reserved zero bits, internal port, suggested external port,
     * requested lifetime in seconds (32 bits): 12 bytes. A lifetime of 0 with external port 0 deletes the mapping
     * (section 3.4).
     */
    record MappingRequest(Protocol protocol, int internalPort, int suggestedExternalPort, long lifetimeSeconds)
            implements NatPmpMessage {
        public MappingRequest {
            Objects.requireNonNull(protocol, "protocol");
            checkPort("internal port", internalPort, false);
            checkPort("suggested external port", suggestedExternalPort, true);
            checkUnsigned32("lifetime", lifetimeSeconds);
        }

        /** The request that deletes the mapping of {@code internalPort}. */
        public static MappingRequest delete(Protocol protocol, int internalPort) {
            return new MappingRequest(protocol, internalPort, 0, 0);
        }

        @Override
        public byte[] encode() {
            return ByteBuffer.allocate(12).put((byte) VERSION).put((byte) protocol.opcode).putShort((short) 0)
                    .putShort((short) internalPort).putShort((short) suggestedExternalPort)
                    .putInt((int) lifetimeSeconds).array();
        }
    }

    /**
     * Section 3.3: version, opcode 128 + the request's, result code, seconds since epoch, internal port, mapped
     * external port, lifetime granted: 16 bytes.
     */
    record MappingResponse(Protocol protocol, Result result, long epochSeconds, int internalPort,
                           int externalPort, long lifetimeSeconds) implements NatPmpMessage {
        public MappingResponse {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(result, "result");
            checkUnsigned32("seconds since epoch", epochSeconds);
            checkPort("internal port", internalPort, true);
            checkPort("external port", externalPort, true);
            checkUnsigned32("lifetime", lifetimeSeconds);
        }

        @Override
        public byte[] encode() {
            return ByteBuffer.allocate(16).put((byte) VERSION).put((byte) (128 + protocol.opcode))
                    .putShort((short) result.code).putInt((int) epochSeconds).putShort((short) internalPort)
                    .putShort((short) externalPort).putInt((int) lifetimeSeconds).array();
        }
    }

    /**
     * Reads a gateway's answer. An error result (other than success) is decoded, not refused: section 3.5 says
     * that error answers still carry the epoch, and a short error answer (only the first 8 bytes) is accepted for
     * mappings, as some gateways send one.
     *
     * @throws NatPmpException naming what is wrong: wrong version, not an answer, unknown opcode or result, wrong
     *                         size
     */
    static NatPmpMessage decodeResponse(byte[] bytes, int length) throws NatPmpException {
        if (length < 2) {
            throw new NatPmpException("a NAT-PMP answer has at least 2 bytes, this one " + length);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes, 0, length);
        int version = in.get() & 0xff;
        if (version != VERSION) {
            throw new NatPmpException("NAT-PMP version " + version + ", expected 0 (the gateway may speak PCP)");
        }
        int opcode = in.get() & 0xff;
        if (opcode < 128) {
            throw new NatPmpException("opcode " + opcode + " is a request, not an answer");
        }
        if (length < 8) {
            throw new NatPmpException("a NAT-PMP answer has at least 8 bytes, this one " + length);
        }
        Result result = Result.of(in.getShort() & 0xffff);
        long epoch = in.getInt() & 0xffffffffL;
        switch (opcode - 128) {
            case 0 -> {
                if (result != Result.SUCCESS && length == 8) {
                    return new ExternalAddressResponse(result, epoch, unspecified());
                }
                expect(length, 12, "external address answer");
                byte[] address = new byte[4];
                in.get(address);
                return new ExternalAddressResponse(result, epoch, ipv4(address));
            }
            case 1, 2 -> {
                Protocol protocol = opcode - 128 == 1 ? Protocol.UDP : Protocol.TCP;
                if (result != Result.SUCCESS && length == 8) {
                    return new MappingResponse(protocol, result, epoch, 0, 0, 0);
                }
                expect(length, 16, "mapping answer");
                int internal = in.getShort() & 0xffff;
                int external = in.getShort() & 0xffff;
                long lifetime = in.getInt() & 0xffffffffL;
                return new MappingResponse(protocol, result, epoch, internal, external, lifetime);
            }
            default -> throw new NatPmpException("unknown NAT-PMP answer opcode " + opcode);
        }
    }

    private static void expect(int length, int size, String what) throws NatPmpException {
        if (length != size) {
            throw new NatPmpException("a NAT-PMP " + what + " has " + size + " bytes, this one " + length);
        }
    }

    private static Inet4Address unspecified() {
        return ipv4(new byte[4]);
    }

    private static Inet4Address ipv4(byte[] address) {
        try {
            return (Inet4Address) InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("4 bytes are an IPv4 address", e);
        }
    }

    private static void checkPort(String what, int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(what + " must be " + (zeroAllowed ? 0 : 1) + " to 65535: " + port);
        }
    }

    private static void checkUnsigned32(String what, long value) {
        if (value < 0 || value > 0xffffffffL) {
            throw new IllegalArgumentException(what + " must fit 32 unsigned bits: " + value);
        }
    }
}
