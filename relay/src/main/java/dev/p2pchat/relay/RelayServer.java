package dev.p2pchat.relay;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RelayReply;
import dev.p2pchat.protocol.RelayRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.relay.RendezvousTokens.InvalidToken;
import dev.p2pchat.relay.RendezvousTokens.Rendezvous;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.Tls;
import dev.p2pchat.transport.Acceptor;
import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The relay (PROTOCOL.md section 15): accepts TLS connections, reads one {@code RELAY_JOIN} from each within the
 * handshake deadline, pairs the two that present the same verified token, answers both {@code SUCCESS} and splices
 * them. Everything after that answer is the peers' own mutual TLS: the relay copies it and cannot read it.
 *
 * <p>The pairing state (waiting sides, used tokens, links per user) has one owner, guarded by one lock that is
 * never held across I/O.
 */
public final class RelayServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RelayServer.class);

    private final SSLServerSocket listener;
    private final RendezvousTokens tokens;
    private final RelayLimits limits;
    private final ReentrantLock lock = new ReentrantLock();
    private final Map<String, Waiting> waiting = new HashMap<>();
    /** Tokens two connections have used, until they expire. */
    private final Map<String, Instant> used = new HashMap<>();
    private final Map<String, Integer> linksPerUser = new HashMap<>();
    private final Set<Socket> open = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private int links;
    private volatile Consumer<byte[]> tap;

    private record Waiting(SSLSocket socket, Rendezvous rendezvous, CompletableFuture<Status> outcome) {
    }

    private RelayServer(SSLServerSocket listener, RendezvousTokens tokens, RelayLimits limits) {
        this.listener = listener;
        this.tokens = tokens;
        this.limits = limits;
    }

    /** Listens on {@code host:port} (0: a free port) with {@code identity}'s certificate. */
    public static RelayServer start(InetAddress host, int port, Identity identity, RendezvousTokens tokens,
            RelayLimits limits) throws IOException {
        SSLServerSocket listener = Tls.listen(Tls.server(identity), host, port, false, 512);
        RelayServer relay = new RelayServer(listener, tokens, limits);
        Acceptor.start(listener, "relay-accept", socket -> Thread.ofVirtual().name("relay-" + socket.getPort())
                .start(() -> relay.serve((SSLSocket) socket)));
        LOG.info("Relay listening on {}:{}", host.getHostAddress(), listener.getLocalPort());
        return relay;
    }

    public int port() {
        return listener.getLocalPort();
    }

    /** Relayed links now. */
    public int links() {
        lock.lock();
        try {
            return links;
        } finally {
            lock.unlock();
        }
    }

    /**
     * For tests: sees every chunk the relay copies, as the relay itself sees it (after its own TLS), so that a test
     * can check that only the peers' ciphertext passes. Set it before the links it should see open.
     */
    public void tap(Consumer<byte[]> newTap) {
        tap = newTap;
    }

    private void serve(SSLSocket socket) {
        open.add(socket);
        try {
            Tls.handshake(socket, limits.handshakeTimeout());
            socket.setSoTimeout((int) limits.handshakeTimeout().toMillis());
            FrameReader reader = new FrameReader(socket.getInputStream());
            Frame frame = reader.read();
            if (frame == null) {
                close(socket);
                return;
            }
            Message message = Messages.decode(frame);
            if (!(message instanceof RelayRequest.Join join)) {
                refuse(socket, Status.BAD_REQUEST, "a relay takes RELAY_JOIN only");
                return;
            }
            if (reader.buffered() > 0) {
                refuse(socket, Status.BAD_REQUEST, "nothing may follow RELAY_JOIN before its answer");
                return;
            }
            socket.setSoTimeout(0);
            join(socket, join.token());
        } catch (SocketTimeoutException e) {
            refuseQuietly(socket, Status.REQUEST_TIMEOUT, "no RELAY_JOIN within "
                    + limits.handshakeTimeout().toSeconds() + " s");
        } catch (ProtocolException e) {
            refuseQuietly(socket, Status.BAD_REQUEST, e.reason());
        } catch (IOException e) {
            LOG.debug("Relay connection from {} failed: {}", socket.getRemoteSocketAddress(), e.toString());
            close(socket);
        }
    }

    private void join(SSLSocket socket, String token) throws IOException {
        Rendezvous rendezvous;
        try {
            rendezvous = tokens.verify(token);
        } catch (InvalidToken e) {
            refuse(socket, Status.FORBIDDEN, e.getMessage());
            return;
        }
        Waiting first;
        Waiting mine = null;
        Status refusal = null;
        String reason = null;
        lock.lock();
        try {
            forgetExpired();
            first = waiting.remove(token);
            if (used.containsKey(token)) {
                refusal = Status.WRONG_STATE;
                reason = "this token has been used already";
            } else if (first == null) {
                mine = new Waiting(socket, rendezvous, new CompletableFuture<>());
                waiting.put(token, mine);
            } else {
                used.put(token, rendezvous.expires());
                if (links >= limits.maxLinks()) {
                    refusal = Status.FULL;
                    reason = "the relay carries as many links as it may; try again later";
                } else if (count(rendezvous.userA()) >= limits.maxLinksPerUser()
                        || count(rendezvous.userB()) >= limits.maxLinksPerUser()) {
                    refusal = Status.RATE_LIMITED;
                    reason = "a user may have " + limits.maxLinksPerUser() + " relayed links at once";
                } else {
                    links++;
                    linksPerUser.merge(rendezvous.userA(), 1, Integer::sum);
                    linksPerUser.merge(rendezvous.userB(), 1, Integer::sum);
                }
            }
        } finally {
            lock.unlock();
        }
        if (mine != null) {
            awaitPartner(token, mine);
            return;
        }
        if (refusal != null) {
            if (first != null) {
                first.outcome().complete(refusal);
                refuse(first.socket(), refusal, reason);
            }
            refuse(socket, refusal, reason);
            return;
        }
        first.outcome().complete(Status.SUCCESS);
        splice(first.socket(), socket, rendezvous);
    }

    /** The first side waits here until the second joins (then the second's thread splices) or the wait ends. */
    private void awaitPartner(String token, Waiting mine) throws IOException {
        try {
            mine.outcome().get(limits.partnerWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            boolean stillAlone;
            lock.lock();
            try {
                stillAlone = waiting.remove(token, mine);
            } finally {
                lock.unlock();
            }
            if (stillAlone) {
                refuse(mine.socket(), Status.REQUEST_TIMEOUT, "the other side did not join within "
                        + limits.partnerWait().toSeconds() + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            close(mine.socket());
        } catch (ExecutionException e) {
            close(mine.socket());
        }
    }

    private void splice(SSLSocket first, SSLSocket second, Rendezvous rendezvous) {
        try {
            byte[] success = FrameWriter.encode(new RelayReply.JoinResult(Status.SUCCESS, null).toFrame());
            for (SSLSocket side : new SSLSocket[] {first, second}) {
                side.getOutputStream().write(success);
                side.getOutputStream().flush();
            }
        } catch (IOException e) {
            close(first);
            close(second);
            release(rendezvous);
            return;
        }
        LOG.info("Relaying {} <-> {}", rendezvous.userA(), rendezvous.userB());
        new Splice(first, second, limits.bytesPerSecond(), tap).start("relay-" + rendezvous.userA() + "-"
                + rendezvous.userB()).whenComplete((ignored, failure) -> {
                    open.remove(first);
                    open.remove(second);
                    release(rendezvous);
                });
    }

    private void release(Rendezvous rendezvous) {
        lock.lock();
        try {
            links--;
            linksPerUser.computeIfPresent(rendezvous.userA(), (user, n) -> n > 1 ? n - 1 : null);
            linksPerUser.computeIfPresent(rendezvous.userB(), (user, n) -> n > 1 ? n - 1 : null);
        } finally {
            lock.unlock();
        }
    }

    private int count(String user) {
        return linksPerUser.getOrDefault(user, 0);
    }

    private void forgetExpired() {
        Instant now = Instant.now();
        used.values().removeIf(expires -> !now.isBefore(expires));
    }

    private void refuse(SSLSocket socket, Status status, String reason) throws IOException {
        try {
            socket.getOutputStream().write(FrameWriter.encode(new RelayReply.JoinResult(status, reason).toFrame()));
            socket.getOutputStream().flush();
        } finally {
            close(socket);
        }
    }

    private void refuseQuietly(SSLSocket socket, Status status, String reason) {
        try {
            refuse(socket, status, reason);
        } catch (IOException e) {
            LOG.debug("Refusing {}: {}", socket.getRemoteSocketAddress(), e.toString());
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.close();
        } catch (IOException ignored) {
            // gone already
        }
    }

    /** Stops accepting and ends every connection and link. */
    @Override
    public void close() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        open.forEach(this::close);
    }
}
