package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.PasswordDigest;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLSocket;

/**
 * A registry client for tests: one TLS connection pinned to the registry's fingerprint. Requests carry ids and
 * wait for the answer with the same id; pushes (frames without status) collect in a queue; answers without an id
 * (errors about unreadable input) in another. Can also write raw bytes, and send keep-alives by UDP.
 */
public final class RegistryTestClient implements AutoCloseable {
    public static final Duration WAIT = Duration.ofSeconds(5);
    /** A peer-server certificate fingerprint; the registry only stores and hands it out. */
    public static final String PEER_FINGERPRINT = "ab".repeat(32);
    public static final int PEER_PORT = 45_000;

    private final SSLSocket socket;
    private final OutputStream out;
    private final int registryUdpPort;
    private final Map<String, CompletableFuture<Frame>> waiting = new ConcurrentHashMap<>();
    private final BlockingQueue<Frame> pushes = new LinkedBlockingQueue<>();
    private final BlockingQueue<Frame> unmatched = new LinkedBlockingQueue<>();
    private final CountDownLatch closed = new CountDownLatch(1);
    /** Every frame's start line, in the order the registry sent them: answers and pushes together. */
    private final List<String> arrivals = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private DatagramSocket udp;

    private RegistryTestClient(SSLSocket socket, int registryUdpPort) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.registryUdpPort = registryUdpPort;
        FrameReader reader = new FrameReader(socket.getInputStream());
        Thread.ofVirtual().name("test-client-reader").start(() -> readLoop(reader));
    }

    public static RegistryTestClient connect(String host, int port, String fingerprint, int udpPort) {
        try {
            SSLSocket socket = Tls.connect(Tls.client(PinnedCertificateTrust.expecting(fingerprint)), host, port,
                    WAIT);
            return new RegistryTestClient(socket, udpPort);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** As {@link #connect}, from {@code localIp} (any 127.x.y.z on Linux): the registry sees another address. */
    public static RegistryTestClient connectFrom(String localIp, String host, int port, String fingerprint,
            int udpPort) {
        java.net.Socket plain = new java.net.Socket();
        try {
            plain.bind(new java.net.InetSocketAddress(localIp, 0));
            plain.connect(new java.net.InetSocketAddress(host, port), (int) WAIT.toMillis());
            SSLSocket socket = (SSLSocket) Tls.client(PinnedCertificateTrust.expecting(fingerprint))
                    .getSocketFactory().createSocket(plain, host, port, true);
            socket.setEnabledProtocols(new String[] {"TLSv1.3"});
            socket.setUseClientMode(true);
            Tls.handshake(socket, WAIT);
            return new RegistryTestClient(socket, udpPort);
        } catch (IOException e) {
            try {
                plain.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new UncheckedIOException(e);
        }
    }

    private void readLoop(FrameReader reader) {
        try {
            while (true) {
                Frame frame = reader.read();
                if (frame == null) {
                    return;
                }
                arrivals.add(frame.startLine());
                if (!frame.isResponse()) {
                    pushes.add(frame);
                    continue;
                }
                CompletableFuture<Frame> future = frame.id() == null ? null : waiting.remove(frame.id());
                if (future != null) {
                    future.complete(frame);
                } else {
                    unmatched.add(frame);
                }
            }
        } catch (IOException | ProtocolException e) {
            // connection ended
        } finally {
            closed.countDown();
            waiting.values().forEach(f -> f.completeExceptionally(new IOException("connection closed")));
        }
    }

    public static String digest(String password) {
        return PasswordDigest.sha256Hex(password.toCharArray());
    }

    /** Sends a request with a fresh id and returns the answer with that id. */
    public Frame exchange(Frame request) {
        String id = "t" + ids.incrementAndGet();
        CompletableFuture<Frame> future = new CompletableFuture<>();
        waiting.put(id, future);
        sendRaw(FrameWriter.encode(request.withId(id)));
        try {
            return future.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("no answer to " + request.verb() + " within " + WAIT);
        } catch (ExecutionException e) {
            throw new AssertionError("connection closed before the answer to " + request.verb(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    public Frame exchange(RegistryRequest request) {
        return exchange(request.toFrame());
    }

    /** Sends {@code request} and decodes the answer as {@code type} (failing the test on an ERROR of another type). */
    public <T extends RegistryReply> T call(RegistryRequest request, Class<T> type) {
        Message reply = decode(exchange(request));
        if (!type.isInstance(reply)) {
            fail("expected %s to %s but got %s", type.getSimpleName(), request.toFrame().verb(), reply);
        }
        return type.cast(reply);
    }

    /** Sends {@code request} expecting {@code ERROR <status>}. */
    public dev.p2pchat.protocol.ErrorReply callExpectingError(RegistryRequest request, Status status) {
        dev.p2pchat.protocol.ErrorReply error = call(request, dev.p2pchat.protocol.ErrorReply.class);
        assertThat(error.status()).as(error.reason()).isEqualTo(status);
        return error;
    }

    public void sendRaw(byte[] bytes) {
        try {
            synchronized (out) {
                out.write(bytes);
                out.flush();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void sendRaw(String text) {
        sendRaw(text.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The next answer that carried no id. */
    public Frame awaitUnmatched() {
        return poll(unmatched, "an answer without id");
    }

    /** The next push, which must be a {@code type}. */
    public <T extends RegistryPush> T awaitPush(Class<T> type) {
        Message push = decode(poll(pushes, "a push"));
        assertThat(push).isInstanceOf(type);
        return type.cast(push);
    }

    /** Pushes received so far, removed from the queue. */
    public List<Frame> drainPushes() {
        List<Frame> drained = new ArrayList<>();
        pushes.drainTo(drained);
        return drained;
    }

    /** The start lines of every frame received so far, answers and pushes in the order they came. */
    public List<String> arrivals() {
        return List.copyOf(arrivals);
    }

    public boolean awaitClosed(Duration timeout) {
        try {
            return closed.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    public boolean isClosed() {
        return closed.getCount() == 0;
    }

    public String localIp() {
        return socket.getLocalAddress().getHostAddress();
    }

    // ---- conveniences for the common requests ----

    public RegistryReply.RegisterResult register(String username, String password) {
        return call(new RegistryRequest.Register(username, digest(password)), RegistryReply.RegisterResult.class);
    }

    public RegistryReply.Auth login(String username, String password) {
        return call(new RegistryRequest.Login(username, digest(password), PEER_PORT, PEER_FINGERPRINT),
                RegistryReply.Auth.class);
    }

    /** Registers {@code username} with password "pw-" + username and logs in; asserts both succeed. */
    public RegistryReply.Auth registerAndLogin(String username) {
        assertThat(register(username, "pw-" + username).status()).isEqualTo(Status.SUCCESS);
        RegistryReply.Auth auth = login(username, "pw-" + username);
        assertThat(auth.status()).as(String.valueOf(auth.reason())).isEqualTo(Status.SUCCESS);
        return auth;
    }

    public RegistryReply.Auth resume(String username, String token, String roomName) {
        return call(new RegistryRequest.Resume(username, token, PEER_PORT, PEER_FINGERPRINT, roomName),
                RegistryReply.Auth.class);
    }

    /** RESUME asking for several rooms back: {@code room_name} the first, {@code rooms} all of them. */
    public RegistryReply.Auth resumeRooms(String username, String token, List<String> rooms) {
        return call(new RegistryRequest.Resume(username, token, PEER_PORT, PEER_FINGERPRINT,
                rooms.isEmpty() ? null : rooms.getFirst(), null, List.of(), rooms), RegistryReply.Auth.class);
    }

    public RegistryReply.Creation createRoom(String name, String password, int capacity, String description) {
        return call(new RegistryRequest.CreateChatRoom(name, password == null ? null : digest(password), capacity,
                description), RegistryReply.Creation.class);
    }

    public RegistryReply.Join join(String room, String password) {
        return call(new RegistryRequest.JoinChatRoom(room, password == null ? null : digest(password)),
                RegistryReply.Join.class);
    }

    public RegistryReply.RoomExitResponse exit(String room) {
        return call(new RegistryRequest.RoomExit(room), RegistryReply.RoomExitResponse.class);
    }

    public RegistryReply.SearchUserResponse search(String username) {
        return call(new RegistryRequest.SearchUser(username), RegistryReply.SearchUserResponse.class);
    }

    public RegistryReply.PeerList discover(String room) {
        return call(new RegistryRequest.DiscoverPeers(room), RegistryReply.PeerList.class);
    }

    public RegistryReply.RoomsList rooms(RegistryRequest.ListType type) {
        return call(new RegistryRequest.ShowRoomsList(type), RegistryReply.RoomsList.class);
    }

    public RegistryReply.LogoutResponse logout() {
        return call(new RegistryRequest.Logout(), RegistryReply.LogoutResponse.class);
    }

    // ---- UDP ----

    /** Sends a KEEP_ALIVE from this client's UDP socket and returns the answer. */
    public RegistryReply.KeepAliveResponse keepAlive(String username, String token) {
        sendDatagram(FrameWriter.encodeDatagram(
                new RegistryRequest.KeepAlive(username, token, Duration.ofSeconds(30)).toFrame().withId("ka")));
        Message reply = decode(awaitDatagram(WAIT));
        assertThat(reply).isInstanceOf(RegistryReply.KeepAliveResponse.class);
        return (RegistryReply.KeepAliveResponse) reply;
    }

    public void sendDatagram(byte[] bytes) {
        try {
            udp().send(new DatagramPacket(bytes, bytes.length,
                    new InetSocketAddress(InetAddress.getLoopbackAddress(), registryUdpPort)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The next datagram to this client's UDP socket, or null after {@code timeout}. */
    public Frame awaitDatagram(Duration timeout) {
        try {
            DatagramSocket socket = udp();
            socket.setSoTimeout((int) timeout.toMillis());
            byte[] buffer = new byte[2048];
            DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
            socket.receive(packet);
            return FrameReader.decodeDatagram(buffer, 0, packet.getLength());
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (ProtocolException e) {
            throw new AssertionError("registry sent a bad datagram: " + e.reason());
        }
    }

    /** The port of this client's UDP socket (opened if need be). */
    public int udpLocalPort() {
        try {
            return udp().getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private synchronized DatagramSocket udp() throws IOException {
        if (udp == null) {
            udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        }
        return udp;
    }

    public static Message decode(Frame frame) {
        try {
            return Messages.decode(frame);
        } catch (ProtocolException e) {
            throw new AssertionError("registry sent an undecodable " + frame.verb() + ": " + e.reason());
        }
    }

    private static Frame poll(BlockingQueue<Frame> queue, String what) {
        try {
            Frame frame = queue.poll(WAIT.toMillis(), TimeUnit.MILLISECONDS);
            if (frame == null) {
                throw new AssertionError("no " + what + " within " + WAIT);
            }
            return frame;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        DatagramSocket u = udp;
        if (u != null) {
            u.close();
        }
    }
}
