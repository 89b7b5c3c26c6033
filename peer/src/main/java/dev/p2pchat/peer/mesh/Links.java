package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.Dialable;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RelayTicket;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import dev.p2pchat.transport.ChannelSettings;
import dev.p2pchat.transport.FrameChannel;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's links, at most one in use per other user (the room's full mesh is the set of these links across
 * all members), whichever side opened it: a link the other user opened to this peer's server is {@link #adopt
 * adopted} and used for this side's requests too, so a user behind a NAT is reached over the link they opened. A
 * link is opened on first use when there is none, and replaced when it closed, or (an outgoing one) when the
 * registry now lists the user at another address, or with another certificate. {@link #closeIdle} closes
 * outgoing links nobody used for a while; the next send opens a new one.
 *
 * <p>When every address of the other user fails, the registry is asked to have them dial this peer
 * ({@link DialBackRequest}, the registry's {@code DIAL_BACK}); the link they open is adopted and the request
 * that needed it goes out on it, after at most {@link #DIAL_BACK_WAIT}. When that fails too (the other side cannot
 * reach this one either: both behind NATs), the registry is asked to coordinate a TCP hole punch ({@link Punches},
 * {@code PUNCH}): both dial each other from their listening ports at once, and this side runs the link's mutual TLS
 * as client on the connection that forms ({@link HolePunch}). When no hole opens (symmetric NATs, strict
 * firewalls), the registry is asked for a relay ({@link RelayTickets},
 * {@code RELAY_TOKEN}): both connect out to it and this side runs the link's mutual TLS through it as client, so the
 * link works as a direct one and the relay sees only ciphertext.
 */
public final class Links implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Links.class);
    /** Answers requests sent back on outgoing links when the owner serves none (tests of one direction). */
    private static final PeerServer.RequestHandler REFUSE = request -> CompletableFuture.completedFuture(
            new ErrorReply(Status.BAD_REQUEST, "this peer takes no requests on its own links"));

    private final Identity identity;
    private final Duration connectTimeout;
    private final Clock clock;
    private final PeerServer.RequestHandler handler;
    private final PeerServer.Limits limits;
    /** How long a request waits for the link of a dial-back the registry accepted to pass on. */
    public static final Duration DIAL_BACK_WAIT = Duration.ofSeconds(10);

    /**
     * Asks the registry to have {@code username} dial this peer; returns once the registry pushed the request.
     */
    @FunctionalInterface
    public interface DialBackRequest {
        DialBackRequest NONE = username -> {
            throw new IOException("no registry to ask for a dial-back");
        };

        /** @throws IOException when the registry refused (the message says why) or could not be asked */
        void ask(String username) throws IOException;
    }

    /**
     * Asks the registry for a relayed link to {@code username} ({@code RELAY_TOKEN}); the registry tells them too.
     * The ticket's host is resolved (the registry's own relay is at the registry's host).
     */
    @FunctionalInterface
    public interface RelayTickets {
        RelayTickets NONE = username -> {
            throw new IOException("no registry to ask for a relay");
        };

        /** @throws IOException when the registry refused (the message says why) or could not be asked */
        RelayTicket ask(String username) throws IOException;
    }

    /**
     * Asks the registry to coordinate a hole punch with {@code username} ({@code PUNCH}); the registry tells them
     * too. Returns where to dial them and when.
     */
    @FunctionalInterface
    public interface Punches {
        Punches NONE = username -> {
            throw new IOException("no registry to coordinate a hole punch");
        };

        /** @throws IOException when the registry refused (the message says why) or could not be asked */
        HolePunch.Plan ask(String username) throws IOException;
    }

    /**
     * After a punch that opened no hole, the same user is not punched to again for this long: their NATs will not
     * have changed, and each try would cost every new link to them up to {@link HolePunch#bound} before the relay.
     */
    public static final Duration PUNCH_HOLD = Duration.ofMinutes(1);

    private final Map<String, Slot> slots = new ConcurrentHashMap<>();
    private volatile Punches punches = Punches.NONE;
    /** Where hole punches leave from: this peer's listening address (null: any) and port; -1 until it listens. */
    private volatile java.net.InetAddress punchFromHost;
    private volatile int punchFromPort = -1;
    private final Map<String, Long> punchMissedAt = new ConcurrentHashMap<>();
    private volatile DialBackRequest dialBacks = DialBackRequest.NONE;
    private volatile RelayTickets relays = RelayTickets.NONE;
    private volatile boolean declineDialBacks;
    /**
     * After a dial-back that never came, the same user is not asked again for {@link #DIAL_BACK_HOLD}: each
     * further wait would cost every message to them another {@link #DIAL_BACK_WAIT} for the same outcome.
     */
    public static final Duration DIAL_BACK_HOLD = Duration.ofMinutes(1);
    private final Map<String, Long> dialBackMissedAt = new ConcurrentHashMap<>();
    private final Duration dialBackWait;
    private final Map<String, SSLContext> contexts = new ConcurrentHashMap<>();
    private volatile boolean closed;
    /** What the registry's self-test found of this peer at this login; null until it says (or when it does not test). */
    private volatile RegistryPush.Reachability self;

    private static final class Slot {
        final ReentrantLock lock = new ReentrantLock();
        PeerLink link;
        /** How {@link #link} was opened. */
        volatile LinkRoute route;
        /** Set, under the lock, while a request waits for the link a dial-back brings; {@link #adopt} completes it. */
        volatile CompletableFuture<PeerLink> dialBack;
    }

    public Links(Identity identity, Duration connectTimeout) {
        this(identity, connectTimeout, Clock.systemUTC());
    }

    public Links(Identity identity, Duration connectTimeout, Clock clock) {
        this(identity, connectTimeout, clock, REFUSE, PeerServer.Limits.DEFAULT);
    }

    /** Requests the other side sends back on this peer's outgoing links go to {@code handler}, within {@code limits}. */
    public Links(Identity identity, Duration connectTimeout, Clock clock, PeerServer.RequestHandler handler,
                 PeerServer.Limits limits) {
        this(identity, connectTimeout, clock, handler, limits, DIAL_BACK_WAIT);
    }

    /** As above, waiting {@code dialBackWait} for a dial-back's link (tests). */
    public Links(Identity identity, Duration connectTimeout, Clock clock, PeerServer.RequestHandler handler,
                 PeerServer.Limits limits, Duration dialBackWait) {
        this.dialBackWait = dialBackWait;
        this.identity = identity;
        this.connectTimeout = connectTimeout;
        this.clock = clock;
        this.handler = handler;
        this.limits = limits;
    }

    /**
     * A link {@code link.target()} opened to this peer's server was admitted: use it for requests to them too,
     * unless an open link to them with the same certificate is already in use or being dialled.
     */
    public void adopt(PeerLink link) {
        if (closed) {
            return;
        }
        Slot slot = slots.computeIfAbsent(link.target().username(), u -> new Slot());
        CompletableFuture<PeerLink> awaited = slot.dialBack;
        if (awaited != null && awaited.complete(link)) {
            return; // the request waiting for it (holding the lock) takes it
        }
        if (!slot.lock.tryLock()) {
            if (link.punched()) {
                // This side is still dialling them for the dial-back they asked for before punching (it fails: no
                // dial reaches them). The punched link is the one to use once that dial ends; not waited for here,
                // since the server's reader thread must not wait for a dial.
                Thread.ofVirtual().name("adopt-punched-" + link.target().username())
                        .start(() -> adoptOnceFree(slot, link));
            }
            // Otherwise this side is dialling them right now (both asked at once): that link will do.
            return;
        }
        try {
            adoptLocked(slot, link);
        } finally {
            slot.lock.unlock();
        }
    }

    /** Adopts {@code link} once the dial holding the slot ends (within a dial's bound), unless it closed meanwhile. */
    private void adoptOnceFree(Slot slot, PeerLink link) {
        try {
            if (!slot.lock.tryLock(connectTimeout.multipliedBy(3).toMillis(),
                    java.util.concurrent.TimeUnit.MILLISECONDS)) {
                LOG.debug("Not using the punched link {} opened: this side's dial to them did not end",
                        link.target().username());
                return;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        try {
            if (!closed && link.isOpen()) {
                adoptLocked(slot, link);
            }
        } finally {
            slot.lock.unlock();
        }
    }

    /** With the slot's lock held: uses {@code link} for requests, unless an open one to the same certificate is. */
    private void adoptLocked(Slot slot, PeerLink link) {
        PeerLink current = slot.link;
        if (current != null && current.isOpen()
                && Fingerprints.matches(current.target().fingerprint(), link.target().fingerprint())) {
            return;
        }
        if (current != null && !current.isInbound()) {
            current.close("replaced");
        }
        slot.link = link;
        String from = hostPort(link.target().ip(), link.target().port());
        slot.route = link.relayedVia() != null ? new LinkRoute(LinkRoute.Kind.RELAYED, link.relayedVia())
                : new LinkRoute(link.punched() ? LinkRoute.Kind.PUNCHED : LinkRoute.Kind.INBOUND, from);
        LOG.debug("Using the link {} opened for requests to them too", link.target().username());
    }

    /**
     * A peer with an advertised port (a forward or proxy set up on purpose in front of it) is reached that way
     * only: it does not dial around it at a DIAL_BACK, so that a break in the forward shows instead of being
     * bridged by a way nobody set up.
     */
    public void declineDialBacks() {
        declineDialBacks = true;
    }

    /** How this side asks the registry for dial-backs; set once the registry session exists. */
    public void dialBacksVia(DialBackRequest request) {
        this.dialBacks = java.util.Objects.requireNonNull(request, "request");
    }

    /**
     * How this side asks the registry to coordinate hole punches, and the listening address they leave from (the
     * peer server's, whose port is shared); set once the server listens.
     */
    public void punchesVia(Punches punches, java.net.InetAddress localHost, int localPort) {
        this.punches = java.util.Objects.requireNonNull(punches, "punches");
        this.punchFromHost = localHost;
        this.punchFromPort = localPort;
    }

    /**
     * What the registry's reachability self-test found of this peer ({@code REACHABILITY}); null: nothing known (a
     * new login, or a registry that does not test), and the ladder is climbed rung by rung as without one.
     */
    public void selfTested(RegistryPush.Reachability found) {
        this.self = found;
    }

    /** How this side asks the registry for relayed links; set once the registry session exists. */
    public void relaysVia(RelayTickets tickets) {
        this.relays = java.util.Objects.requireNonNull(tickets, "tickets");
    }

    /**
     * The open link to {@code target}, connecting (and verifying its certificate) when needed; when no address
     * answers, asking the registry to have {@code target} dial this peer and waiting for that link.
     */
    public PeerLink linkTo(PeerInfo target) throws IOException {
        return linkTo(target, true);
    }

    /**
     * The registry pushed {@code DIAL_BACK}: {@code asker} could not reach this peer. Dials it (never asking for a
     * dial-back in turn, which would bounce between two unreachable peers) and names this peer on the new link
     * with {@code LINK_HELLO}, so that the asker admits it and sends its waiting request on it.
     */
    public void dialBack(PeerInfo asker, String me) throws IOException {
        if (declineDialBacks) {
            throw new IOException("this peer is reached through its advertised port only, and does not dial back");
        }
        PeerLink link = linkTo(asker, false);
        try {
            PeerReply reply = link.send(new PeerRequest.LinkHello(me), "hello-" + Long.toHexString(clock.millis()))
                    .get(connectTimeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!(reply instanceof PeerReply.LinkHelloResponse ok) || !ok.status().isSuccess()) {
                LOG.info("{} refused the link dialled back to it: {}", asker.username(), reply);
            }
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            throw new IOException("no answer to LINK_HELLO from " + asker.username(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private PeerLink linkTo(PeerInfo target, boolean mayAskDialBack) throws IOException {
        if (closed) {
            throw new IOException("this peer is shutting down");
        }
        Slot slot = slots.computeIfAbsent(target.username(), u -> new Slot());
        slot.lock.lock();
        try {
            PeerLink link = slot.link;
            if (link != null && link.isOpen() && usableFor(link, target)) {
                return link;
            }
            if (link != null && !link.isInbound()) {
                link.close("replaced");
            }
            SSLContext context = contexts.computeIfAbsent(target.fingerprint(),
                    fp -> Tls.mutual(identity, PinnedCertificateTrust.expecting(fp)));
            Dialer.Won won;
            try {
                if (mayAskDialBack && target.dialable() == Dialable.NO && !mayShareLan(target)) {
                    // The registry could not connect to them: a dial would only wait out its time-out.
                    throw new IOException("cannot dial " + target.username() + " directly (the registry could not "
                            + "either, at " + target.dialOrder() + ")");
                }
                won = Dialer.connect(context, addresses(target), ChannelSettings.of(connectTimeout),
                        "link-to-" + target.username());
            } catch (IOException dialFailed) {
                if (!mayAskDialBack || closed) {
                    throw dialFailed;
                }
                try {
                    RegistryPush.Reachability me = self;
                    if (me != null && me.dialable() == Dialable.NO && !mayShareLan(target)) {
                        // Nobody could connect to this peer: a dial-back cannot arrive, and waiting for it would
                        // hold the request for the whole wait before the punch and the relay.
                        throw new IOException(dialFailed.getMessage() + "; no dial-back asked: nobody can dial "
                                + "this peer directly either", dialFailed);
                    }
                    slot.link = awaitDialBack(slot, target, dialFailed);
                } catch (IOException noDialBack) {
                    if (closed || Thread.currentThread().isInterrupted()) {
                        throw noDialBack;
                    }
                    IOException before = noDialBack;
                    try {
                        HolePunch.Plan plan = punchPlan(target, noDialBack);
                        slot.link = punched(context, target, plan, System.nanoTime(), noDialBack);
                        slot.route = new LinkRoute(LinkRoute.Kind.PUNCHED, plan.address());
                        return slot.link;
                    } catch (IOException noPunch) {
                        if (closed || Thread.currentThread().isInterrupted()) {
                            throw noPunch;
                        }
                        before = noPunch;
                    }
                    slot.link = relayed(context, target, before);
                    slot.route = new LinkRoute(LinkRoute.Kind.RELAYED, slot.link.relayedVia());
                    return slot.link;
                }
                // (A link they opened through a relay meanwhile, for a request of theirs, serves as well.)
                slot.route = slot.link.relayedVia() != null
                        ? new LinkRoute(LinkRoute.Kind.RELAYED, slot.link.relayedVia())
                        : slot.link.punched() ? new LinkRoute(LinkRoute.Kind.PUNCHED,
                                hostPort(slot.link.target().ip(), slot.link.target().port()))
                        : new LinkRoute(LinkRoute.Kind.DIALLED_BACK,
                                hostPort(slot.link.target().ip(), slot.link.target().port()));
                return slot.link;
            }
            slot.link = PeerLink.started(won.channel(), target, clock, handler, limits);
            boolean observed = won.address().host().equals(target.ip()) && won.address().port() == target.port();
            boolean mapped = isMapped(target, won.address());
            slot.route = new LinkRoute(!mayAskDialBack ? LinkRoute.Kind.DIALLED_BACK_HERE
                    : mapped ? LinkRoute.Kind.MAPPED : observed ? LinkRoute.Kind.DIRECT : LinkRoute.Kind.LAN,
                    won.address().toString());
            LOG.info("Link to {} open via {}{}", target.username(), won.address(),
                    !mayAskDialBack ? " (dialled back at their request)"
                            : mapped ? " (a port its router forwards)"
                            : observed ? "" : " (an address it announced)");
            if (closed) {
                slot.link.close();
                throw new IOException("this peer is shutting down");
            }
            return slot.link;
        } finally {
            slot.lock.unlock();
        }
    }

    /**
     * Whether {@code target} may be on this peer's LAN, where the registry's verdict is not the word (two peers
     * behind one router reach each other at their own addresses while nobody outside can): it was seen at the same
     * public address as this peer and announced an address of its own besides. Perhaps, while this peer's own
     * address is not known.
     */
    private boolean mayShareLan(PeerInfo target) {
        RegistryPush.Reachability me = self;
        if (me == null) {
            return true;
        }
        Candidate observed;
        try {
            observed = new Candidate(target.ip(), target.port());
        } catch (IllegalArgumentException e) {
            return true; // a host name from an old listing: nothing to compare
        }
        return observed.address().equals(me.tested().getFirst().address())
                && target.candidates().stream().anyMatch(c -> !c.sameEndpoint(observed)
                        && c.type() == Candidate.Type.HOST);
    }

    /** Asks for a dial-back and waits for its link, with the slot's lock held (so requests queue behind it). */
    private PeerLink awaitDialBack(Slot slot, PeerInfo target, IOException dialFailed) throws IOException {
        Long missed = dialBackMissedAt.get(target.username());
        if (missed != null && clock.millis() - missed < DIAL_BACK_HOLD.toMillis()) {
            throw new IOException(dialFailed.getMessage() + "; " + target.username()
                    + " did not dial back when last asked either", dialFailed);
        }
        CompletableFuture<PeerLink> arrived = new CompletableFuture<>();
        slot.dialBack = arrived;
        try {
            try {
                dialBacks.ask(target.username());
            } catch (IOException refused) {
                IOException e = new IOException(dialFailed.getMessage() + "; no dial-back either: "
                        + refused.getMessage(), dialFailed);
                e.addSuppressed(refused);
                throw e;
            }
            LOG.debug("Cannot dial {}; asked the registry to have them dial us", target.username());
            PeerLink link = arrived.get(dialBackWait.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
            if (!Fingerprints.matches(target.fingerprint(), link.target().fingerprint())) {
                // Admission checked it against the registry's listing, which has changed since target was read.
                throw new IOException(target.username() + " dialled back with another certificate than expected");
            }
            dialBackMissedAt.remove(target.username());
            LOG.info("Link to {} open: they dialled back (this peer could not reach {})", target.username(),
                    target.dialOrder());
            return link;
        } catch (java.util.concurrent.TimeoutException e) {
            if (!arrived.completeExceptionally(e)) {
                return arrived.join(); // it came just as the wait ended
            }
            dialBackMissedAt.put(target.username(), clock.millis());
            throw new IOException(dialFailed.getMessage() + "; asked to dial back, " + target.username()
                    + " did not within " + dialBackWait.toSeconds() + " s", dialFailed);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IOException("dial-back failed: " + e.getCause(), dialFailed);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting for " + target.username() + " to dial back");
        } finally {
            slot.dialBack = null;
        }
    }

    /** Asks the registry for a punch to {@code target}, unless one opened no hole lately or this peer cannot. */
    private HolePunch.Plan punchPlan(PeerInfo target, IOException before) throws IOException {
        Long missed = punchMissedAt.get(target.username());
        if (missed != null && clock.millis() - missed < PUNCH_HOLD.toMillis()) {
            throw new IOException(before.getMessage() + "; no hole opened to " + target.username()
                    + " when last punched either", before);
        }
        if (punchFromPort < 0) {
            throw new IOException(before.getMessage() + "; no hole punch either: this peer does not listen", before);
        }
        try {
            return punches.ask(target.username());
        } catch (IOException refused) {
            IOException e = new IOException(before.getMessage() + "; no hole punch either: " + refused.getMessage(),
                    before);
            e.addSuppressed(refused);
            throw e;
        }
    }

    /**
     * The hole-punch rung: dials {@code plan}'s address from this peer's listening port at the moment the registry
     * named, counted from {@code startNanos}, while {@code target} dials this peer; on the connection that forms this
     * side runs the link's mutual TLS as client, with {@code target}'s certificate pinned as for any link. Called
     * with the slot's lock held; {@code before} says why the other rungs failed.
     */
    private PeerLink punched(SSLContext context, PeerInfo target, HolePunch.Plan plan, long startNanos,
                             IOException before) throws IOException {
        SSLSocket tls;
        try {
            java.net.Socket plain = HolePunch.connect(punchFromHost, punchFromPort, plan, startNanos);
            try {
                tls = (SSLSocket) context.getSocketFactory().createSocket(plain, plan.host(), plan.port(), true);
                Tls.restrict(tls);
                tls.setUseClientMode(true);
                Tls.handshake(tls, connectTimeout);
            } catch (IOException | RuntimeException e) {
                plain.close();
                throw e;
            }
        } catch (IOException failed) {
            punchMissedAt.put(target.username(), clock.millis());
            LOG.info("No hole punched to {} at {}: {}", target.username(), plan.address(), failed.getMessage());
            IOException e = new IOException(before.getMessage() + "; nor by a hole punch to " + plan.address() + ": "
                    + failed.getMessage(), before);
            e.addSuppressed(failed);
            throw e;
        }
        punchMissedAt.remove(target.username());
        FrameChannel channel = FrameChannel.handshaken(tls, ChannelSettings.of(connectTimeout),
                "link-to-" + target.username() + "-punched");
        PeerLink link = PeerLink.started(channel, target, clock, handler, limits);
        LOG.info("Link to {} open by a hole punch to {} (neither could dial the other)", target.username(),
                plan.address());
        if (closed) {
            link.close();
            throw new IOException("this peer is shutting down");
        }
        return link;
    }

    /**
     * The last rung: meets {@code target} at the relay the registry names and runs the link's mutual TLS through it,
     * this side as client with {@code target}'s certificate pinned (so the relay can neither read nor impersonate).
     * Called with the slot's lock held; {@code before} says why the other rungs failed.
     */
    private PeerLink relayed(SSLContext context, PeerInfo target, IOException before) throws IOException {
        RelayTicket ticket;
        try {
            ticket = relays.ask(target.username());
        } catch (IOException refused) {
            IOException e = new IOException(before.getMessage() + "; no relay either: " + refused.getMessage(), before);
            e.addSuppressed(refused);
            throw e;
        }
        String via = RelayJoin.address(ticket);
        SSLSocket inner;
        try {
            inner = RelayJoin.asClient(RelayJoin.join(ticket, connectTimeout), context, target.username(),
                    connectTimeout);
        } catch (IOException failed) {
            IOException e = new IOException(before.getMessage() + "; nor through the relay at " + via + ": "
                    + failed.getMessage(), before);
            e.addSuppressed(failed);
            throw e;
        }
        FrameChannel channel = FrameChannel.handshaken(inner, ChannelSettings.of(connectTimeout),
                "link-to-" + target.username() + "-via-relay");
        PeerLink link = PeerLink.started(channel, target, clock, handler, limits, via);
        LOG.info("Link to {} open through the relay at {} (no direct path either way)", target.username(), via);
        if (closed) {
            link.close();
            throw new IOException("this peer is shutting down");
        }
        return link;
    }

    /**
     * Sends {@code request} on the link to {@code target}, opening one when needed. A link found closed when the
     * request goes out (the other side closed it as idle, or it broke unnoticed) is replaced once.
     */
    public CompletableFuture<PeerReply> send(PeerInfo target, PeerRequest request, String id) throws IOException {
        PeerLink link = linkTo(target);
        try {
            return link.send(request, id);
        } catch (IOException e) {
            if (link.isOpen()) {
                throw e;
            }
            return linkTo(target).send(request, id);
        }
    }

    /** How the open link to {@code username} was opened; empty when none is open. */
    public java.util.Optional<LinkRoute> route(String username) {
        Slot slot = slots.get(username);
        if (slot == null) {
            return java.util.Optional.empty();
        }
        PeerLink link = slot.link;
        LinkRoute route = slot.route;
        return link != null && link.isOpen() && route != null ? java.util.Optional.of(route)
                : java.util.Optional.empty();
    }

    private static String hostPort(String host, int port) {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }

    /** Closes the link to {@code username}, if any; the next send reconnects. */
    public void drop(String username, String reason) {
        Slot slot = slots.get(username);
        if (slot != null) {
            PeerLink link = slot.link;
            if (link != null) {
                // A reset, not a close: a request given up on must not reach them later, after newer ones
                // (the kernel would go on retransmitting what a closed socket still held).
                link.abort(reason);
            }
        }
    }

    /**
     * Closes the links that carried nothing for {@code idle} and wait for no answer; returns how many. Closing
     * them here, sooner than the other side's server would, keeps that server from closing a link just as a
     * request goes out on it.
     */
    public int closeIdle(Duration idle) {
        long idleSince = clock.millis() - idle.toMillis();
        int closedNow = 0;
        for (Slot slot : slots.values()) {
            PeerLink link = slot.link;
            if (link != null && link.closeIfIdle(idleSince, "idle for " + idle.toSeconds() + " s")) {
                closedNow++;
            }
        }
        return closedNow;
    }

    /** Closes every link (tests use it to simulate a network break). */
    public void dropAll(String reason) {
        for (String username : List.copyOf(slots.keySet())) {
            drop(username, reason);
        }
    }

    @Override
    public void close() {
        closed = true;
        dropAll("this peer is shutting down");
    }

    /** Where to dial {@code target}: every candidate, the observed address first (a host name only as it is). */
    private static List<Dialer.Address> addresses(PeerInfo target) {
        List<Dialer.Address> addresses = target.dialOrder().stream().map(Dialer.Address::of).toList();
        return addresses.isEmpty() ? List.of(new Dialer.Address(target.ip(), target.port())) : addresses;
    }

    /**
     * Whether {@code address} is one {@code target} announced as forwarded by its router: then it was reached by
     * that mapping, even when the mapping's address is the one the registry observed (the router's).
     */
    private static boolean isMapped(PeerInfo target, Dialer.Address address) {
        return target.dialOrder().stream().anyMatch(c -> c.type() == dev.p2pchat.protocol.Candidate.Type.MAPPED
                && c.address().equals(address.host()) && c.port() == address.port());
    }

    /**
     * An inbound link serves whoever holds the certificate the registry lists (its address is the other side's
     * outgoing one, not its listening one); an outgoing link serves the address and certificate it was opened to.
     */
    private static boolean usableFor(PeerLink link, PeerInfo target) {
        return link.isInbound() ? Fingerprints.matches(target.fingerprint(), link.target().fingerprint())
                : sameEndpoint(link.target(), target);
    }

    private static boolean sameEndpoint(PeerInfo a, PeerInfo b) {
        return a.ip().equals(b.ip()) && a.port() == b.port() && a.fingerprint().equals(b.fingerprint());
    }
}
