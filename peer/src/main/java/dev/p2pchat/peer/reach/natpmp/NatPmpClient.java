package dev.p2pchat.peer.reach.natpmp;

import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.ExternalAddressRequest;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.ExternalAddressResponse;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.MappingRequest;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.MappingResponse;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.Protocol;
import dev.p2pchat.peer.reach.natpmp.NatPmpMessage.Result;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.Objects;

/**
 * Asks a gateway, by NAT-PMP (RFC 6886), for its external address and to forward a port. Each request is sent
 * again when no answer came, waiting twice as long each time from {@code firstWait} (section 3.1 says 250 ms),
 * at most {@code tries} times (the RFC's 9 tries take 64 s; a peer logging in gives up much sooner, since most
 * gateways either answer at once or not at all). Only answers from the gateway's address count.
 */
public final class NatPmpClient {
    /** RFC 6886 section 3.1's first wait. */
    public static final Duration FIRST_WAIT = Duration.ofMillis(250);
    /** 250 + 500 + 1000 + 2000 ms: under 4 s. */
    public static final int TRIES = 4;

    private final InetSocketAddress gateway;
    private final Duration firstWait;
    private final int tries;

    /** What the gateway granted. */
    public record Mapping(Inet4Address externalAddress, int internalPort, int externalPort, Duration lifetime) {
        public Mapping {
            Objects.requireNonNull(externalAddress, "externalAddress");
            Objects.requireNonNull(lifetime, "lifetime");
        }
    }

    public NatPmpClient(InetSocketAddress gateway, Duration firstWait, int tries) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.firstWait = Objects.requireNonNull(firstWait, "firstWait");
        if (tries < 1) {
            throw new IllegalArgumentException("tries must be at least 1");
        }
        this.tries = tries;
    }

    /** The gateway at its NAT-PMP port, with the default waits. */
    public static NatPmpClient of(Inet4Address gateway) {
        return new NatPmpClient(new InetSocketAddress(gateway, NatPmpMessage.PORT), FIRST_WAIT, TRIES);
    }

    public InetSocketAddress gateway() {
        return gateway;
    }

    /** The gateway's external IPv4 address. */
    public Inet4Address externalAddress() throws IOException {
        ExternalAddressResponse answer = (ExternalAddressResponse) exchange(new ExternalAddressRequest(),
                m -> m instanceof ExternalAddressResponse);
        requireSuccess(answer.result(), "the external address");
        return answer.externalAddress();
    }

    /**
     * Asks for {@code internalPort} to be forwarded for {@code lifetime}, suggesting the same external port; the
     * gateway may grant another port and another lifetime. Asking again renews it.
     */
    public Mapping map(Protocol protocol, int internalPort, Duration lifetime) throws IOException {
        Inet4Address external = externalAddress();
        MappingResponse answer = (MappingResponse) exchange(
                new MappingRequest(protocol, internalPort, internalPort, lifetime.toSeconds()),
                m -> m instanceof MappingResponse r && r.protocol() == protocol
                        && (r.internalPort() == internalPort || r.result() != Result.SUCCESS));
        requireSuccess(answer.result(), "port " + internalPort + " forwarded");
        if (answer.externalPort() == 0 || answer.lifetimeSeconds() == 0) {
            throw new NatPmpException("the gateway granted no mapping for port " + internalPort);
        }
        return new Mapping(external, internalPort, answer.externalPort(), Duration.ofSeconds(answer.lifetimeSeconds()));
    }

    /** Deletes the mapping of {@code internalPort} (section 3.4: lifetime 0, external port 0). */
    public void unmap(Protocol protocol, int internalPort) throws IOException {
        MappingResponse answer = (MappingResponse) exchange(MappingRequest.delete(protocol, internalPort),
                m -> m instanceof MappingResponse r && r.protocol() == protocol
                        && (r.internalPort() == internalPort || r.result() != Result.SUCCESS));
        requireSuccess(answer.result(), "port " + internalPort + "'s mapping deleted");
    }

    private static void requireSuccess(Result result, String what) throws NatPmpException {
        if (result != Result.SUCCESS) {
            throw new NatPmpException("the gateway did not give " + what + ": " + result);
        }
    }

    private NatPmpMessage exchange(NatPmpMessage request, java.util.function.Predicate<NatPmpMessage> answers)
            throws IOException {
        byte[] out = request.encode();
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.connect(gateway); // datagrams from anyone else are dropped by the kernel
            byte[] in = new byte[64];
            long wait = firstWait.toMillis();
            NatPmpException lastBad = null;
            for (int attempt = 0; attempt < tries; attempt++, wait *= 2) {
                socket.send(new DatagramPacket(out, out.length));
                long deadline = System.nanoTime() + wait * 1_000_000;
                while (true) {
                    long left = (deadline - System.nanoTime()) / 1_000_000;
                    if (left <= 0) {
                        break;
                    }
                    socket.setSoTimeout((int) left);
                    DatagramPacket packet = new DatagramPacket(in, in.length);
                    try {
                        socket.receive(packet);
                    } catch (SocketTimeoutException e) {
                        break;
                    } catch (java.net.PortUnreachableException e) {
                        throw new NatPmpException("the gateway " + gateway + " does not speak NAT-PMP (port closed)");
                    }
                    try {
                        NatPmpMessage answer = NatPmpMessage.decodeResponse(packet.getData(), packet.getLength());
                        if (answers.test(answer)) {
                            return answer;
                        }
                    } catch (NatPmpException e) {
                        lastBad = e; // a stray or garbled datagram: keep waiting for the real answer
                    }
                }
            }
            throw lastBad != null ? lastBad
                    : new NatPmpException("no NAT-PMP answer from " + gateway + " after " + tries + " tries");
        }
    }
}
