package dev.p2pchat.peer.reach.natpmp;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A gateway on loopback that answers NAT-PMP as RFC 6886 says: external address 203.0.113.9, every mapping to
 * {@link #grantedPort}, lifetimes capped at {@link #maxLifetimeSeconds}; it drops the next {@link #toDrop}
 * requests.
 */
final class FakeNatPmpGateway implements AutoCloseable {
    final List<byte[]> received = new CopyOnWriteArrayList<>();
    final AtomicInteger toDrop = new AtomicInteger();
    volatile int grantedPort = 40000;
    volatile int maxLifetimeSeconds = 3600;
    private final DatagramSocket socket;
    private final Thread serving;

    FakeNatPmpGateway() throws java.io.IOException {
        socket = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        serving = Thread.ofVirtual().start(this::serve);
    }

    NatPmpClient client() {
        return new NatPmpClient((InetSocketAddress) socket.getLocalSocketAddress(), Duration.ofMillis(200), 4);
    }

    /** The requests that were mapping requests with this lifetime (0: deletions). */
    long mappingRequestsWithLifetime(long lifetime) {
        return received.stream().filter(r -> r.length == 12 && r[1] != 0)
                .filter(r -> (ByteBuffer.wrap(r, 8, 4).getInt() & 0xffffffffL) == lifetime).count();
    }

    private void serve() {
        byte[] buf = new byte[64];
        while (!socket.isClosed()) {
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.receive(p);
            } catch (java.io.IOException e) {
                return;
            }
            byte[] request = java.util.Arrays.copyOf(p.getData(), p.getLength());
            received.add(request);
            if (toDrop.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                continue;
            }
            ByteBuffer in = ByteBuffer.wrap(request);
            in.get();
            int opcode = in.get();
            byte[] answer;
            if (opcode == 0) {
                answer = ByteBuffer.allocate(12).put((byte) 0).put((byte) 128).putShort((short) 0).putInt(5)
                        .put(new byte[] {(byte) 203, 0, 113, 9}).array();
            } else {
                in.getShort();
                short internal = in.getShort();
                in.getShort();
                int lifetime = in.getInt();
                answer = ByteBuffer.allocate(16).put((byte) 0).put((byte) (128 + opcode)).putShort((short) 0)
                        .putInt(5).putShort(internal).putShort((short) (lifetime == 0 ? 0 : grantedPort))
                        .putInt(Math.min(lifetime, maxLifetimeSeconds)).array();
            }
            try {
                socket.send(new DatagramPacket(answer, answer.length, p.getSocketAddress()));
            } catch (java.io.IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        socket.close();
        serving.join();
    }
}
