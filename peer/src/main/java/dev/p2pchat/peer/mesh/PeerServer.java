package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's own server: accepts mutual-TLS links from other peers, one virtual thread each. A link's first
 * request names its sender; the {@link Gatekeeper} must confirm that the certificate the client presented is
 * the one the registry lists for that user, or the link is answered with an error and dropped. Every later
 * request on the link must name the same sender. Requests go to the {@link RequestHandler}; its reply goes
 * back on the same link whenever it is ready (a chat request waits for the user).
 */
public final class PeerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(PeerServer.class);
    /** The certificate is not the one the registry lists for the claimed user. */
    public static final Status FORBIDDEN = new Status("FORBIDDEN", 403);
    private static final int BACKLOG = 50;

    /** Decides whether a client presenting {@code fingerprint} may speak as {@code username}. */
    @FunctionalInterface
    public interface Gatekeeper {
        Admission admit(String username, String fingerprint);
    }

    public sealed interface Admission {
        record Admitted() implements Admission {
        }

        /** {@code status} 5xx tells the client to try again later; 4xx that it need not. */
        record Refused(Status status, String reason) implements Admission {
            public Refused {
                Objects.requireNonNull(status, "status");
                Objects.requireNonNull(reason, "reason");
            }
        }
    }

    /**
     * Handles one admitted request. The returned future completes with the reply, or is cancelled by the
     * server when the link closes first.
     */
    @FunctionalInterface
    public interface RequestHandler {
        CompletableFuture<PeerReply> handle(PeerRequest request);
    }

    private final SSLServerSocket serverSocket;
    private final Duration handshakeTimeout;
    private final Gatekeeper gatekeeper;
    private final RequestHandler handler;
    private final Set<SSLSocket> connections = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private PeerServer(SSLServerSocket serverSocket, Duration handshakeTimeout, Gatekeeper gatekeeper,
                       RequestHandler handler) {
        this.serverSocket = serverSocket;
        this.handshakeTimeout = handshakeTimeout;
        this.gatekeeper = gatekeeper;
        this.handler = handler;
    }

    public static PeerServer start(Identity identity, String host, int port, Duration handshakeTimeout,
                                   Gatekeeper gatekeeper, RequestHandler handler) throws IOException {
        SSLServerSocket socket = Tls.listen(Tls.mutual(identity, PinnedCertificateTrust.anyClientCertificate()),
                InetAddress.getByName(host), port, true, BACKLOG);
        PeerServer server = new PeerServer(socket, handshakeTimeout, gatekeeper, handler);
        Thread.ofVirtual().name("peer-server-accept-" + socket.getLocalPort()).start(server::acceptLoop);
        LOG.info("Peer server listening on {}:{}", host, socket.getLocalPort());
        return server;
    }

    public int port() {
        return serverSocket.getLocalPort();
    }

    /** Drops every accepted link (tests use it to simulate a network break); the server keeps listening. */
    public void dropConnections() {
        for (SSLSocket socket : connections) {
            closeQuietly(socket);
        }
    }

    @Override
    public void close() {
        closed = true;
        closeQuietly(serverSocket);
        dropConnections();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SSLSocket socket = (SSLSocket) serverSocket.accept();
                Thread.ofVirtual().name("peer-link-from-" + socket.getRemoteSocketAddress())
                        .start(() -> serve(socket));
            } catch (SocketException e) {
                if (!closed) {
                    LOG.warn("Peer server stopped accepting: {}", e.toString());
                }
                return;
            } catch (IOException e) {
                LOG.debug("Accept failed", e);
            }
        }
    }

    /** One link's whole life: handshake, admission, request loop; one finally releases everything. */
    private void serve(SSLSocket socket) {
        connections.add(socket);
        Set<CompletableFuture<PeerReply>> inFlight = ConcurrentHashMap.newKeySet();
        String sender = null;
        try {
            if (closed) {
                return;
            }
            Tls.handshake(socket, handshakeTimeout);
            socket.setTcpNoDelay(true);
            String fingerprint = Fingerprints.peerFingerprint(socket.getSession());
            OutputStream out = socket.getOutputStream();
            FrameReader reader = new FrameReader(socket.getInputStream());
            while (true) {
                Frame frame;
                try {
                    frame = reader.read();
                } catch (ProtocolException e) {
                    write(out, ErrorReply.of(e).toFrame());
                    if (e.framingLost()) {
                        LOG.info("Dropping link from {}: {}", describe(socket, sender), e.reason());
                        return;
                    }
                    continue;
                }
                if (frame == null) {
                    return;
                }
                String id = frame.id();
                PeerRequest request;
                try {
                    Message message = Messages.decode(frame);
                    if (!(message instanceof PeerRequest r)) {
                        write(out, new ErrorReply(Status.BAD_REQUEST, frame.verb() + " is not a peer request")
                                .toFrame().withId(id));
                        continue;
                    }
                    request = r;
                } catch (ProtocolException e) {
                    write(out, ErrorReply.of(e).toFrame().withId(id));
                    continue;
                }
                if (sender == null) {
                    Admission admission = gatekeeper.admit(request.senderUsername(), fingerprint);
                    if (admission instanceof Admission.Refused refused) {
                        LOG.info("Refusing link from {} claiming to be {}: {}", socket.getRemoteSocketAddress(),
                                request.senderUsername(), refused.reason());
                        write(out, new ErrorReply(refused.status(), refused.reason()).toFrame().withId(id));
                        return;
                    }
                    sender = request.senderUsername();
                } else if (!sender.equals(request.senderUsername())) {
                    LOG.info("Dropping link from {}: it now claims to be {}", sender, request.senderUsername());
                    write(out, new ErrorReply(FORBIDDEN, "this link belongs to " + sender).toFrame().withId(id));
                    return;
                }
                CompletableFuture<PeerReply> reply = handler.handle(request);
                inFlight.add(reply);
                reply.whenComplete((r, e) -> {
                    inFlight.remove(reply);
                    Frame answer = r != null ? r.toFrame()
                            : e instanceof java.util.concurrent.CancellationException ? null
                            : new ErrorReply(Status.SERVER_ERROR, "internal error").toFrame();
                    if (e != null && answer != null) {
                        LOG.error("Handling {} failed", request.getClass().getSimpleName(), e);
                    }
                    if (answer != null) {
                        try {
                            write(out, answer.withId(id));
                        } catch (IOException io) {
                            LOG.debug("Could not answer {}: {}", describe(socket, request.senderUsername()), io.toString());
                        }
                    }
                });
            }
        } catch (IOException e) {
            LOG.debug("Link from {} ended: {}", describe(socket, sender), e.toString());
        } catch (RuntimeException e) {
            LOG.error("Link from {} failed", describe(socket, sender), e);
        } finally {
            inFlight.forEach(f -> f.cancel(false));
            connections.remove(socket);
            closeQuietly(socket);
        }
    }

    private static void write(OutputStream out, Frame frame) throws IOException {
        byte[] bytes = FrameWriter.encode(frame);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private static String describe(SSLSocket socket, String sender) {
        return sender != null ? sender : String.valueOf(socket.getRemoteSocketAddress());
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            LOG.debug("Close failed", e);
        }
    }
}
