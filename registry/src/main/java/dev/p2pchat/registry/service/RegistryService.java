package dev.p2pchat.registry.service;

import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Names;
import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.Reasons;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryReply.Auth;
import dev.p2pchat.protocol.RegistryReply.Creation;
import dev.p2pchat.protocol.RegistryReply.Join;
import dev.p2pchat.protocol.RegistryReply.PeerList;
import dev.p2pchat.protocol.RegistryReply.RegisterResult;
import dev.p2pchat.protocol.RegistryReply.RoomExitResponse;
import dev.p2pchat.protocol.RegistryReply.RoomsList;
import dev.p2pchat.protocol.RegistryReply.SearchUserResponse;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.RegistryRequest.CreateChatRoom;
import dev.p2pchat.protocol.RegistryRequest.DiscoverPeers;
import dev.p2pchat.protocol.RegistryRequest.JoinChatRoom;
import dev.p2pchat.protocol.RegistryRequest.KeepAlive;
import dev.p2pchat.protocol.RegistryRequest.ListType;
import dev.p2pchat.protocol.RegistryRequest.Login;
import dev.p2pchat.protocol.RegistryRequest.Register;
import dev.p2pchat.protocol.RegistryRequest.Resume;
import dev.p2pchat.protocol.RegistryRequest.RoomExit;
import dev.p2pchat.protocol.RegistryRequest.SearchUser;
import dev.p2pchat.protocol.RegistryRequest.ShowRoomsList;
import dev.p2pchat.protocol.RoomSummary;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.registry.cluster.RemoteUser;
import dev.p2pchat.registry.limit.Backoff;
import dev.p2pchat.registry.limit.KnownAddresses;
import dev.p2pchat.registry.limit.SlidingWindowLimiter;
import dev.p2pchat.registry.session.AuthOutcome;
import dev.p2pchat.registry.session.Change;
import dev.p2pchat.registry.session.Endpoint;
import dev.p2pchat.registry.session.LeaveOutcome;
import dev.p2pchat.registry.session.RoomRef;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.Account;
import dev.p2pchat.registry.store.RegistryStore;
import dev.p2pchat.registry.store.Room;
import dev.p2pchat.security.PasswordHasher;
import dev.p2pchat.security.TokenSigner;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the registry does for each request: the rules of accounts, logins, rooms and discovery. It knows nothing
 * of sockets: a {@link Caller} stands for the connection. Replies are returned, never written; a change of
 * {@link SessionRegistry}'s state returns its pushes and kicks, which are delivered here once its lock is released.
 * Nothing here logs a password digest, a hash or a token.
 */
public final class RegistryService {
    private static final Logger LOG = LoggerFactory.getLogger(RegistryService.class);
    static final String BAD_CREDENTIALS = "wrong username or password";
    static final String BUSY = "registry busy, retry";

    private final Settings settings;
    private final RegistryStore store;
    private final SessionRegistry sessions;
    private final PasswordWork passwords;
    private final RoomDirectory rooms;
    /** The last ROOMS_LIST answer per list type, reused until a room is created or a member count changes. */
    private final AtomicReferenceArray<CachedRoomsList> roomsListCache =
            new AtomicReferenceArray<>(ListType.values().length);
    private final TokenSigner tokens;
    private final Clock clock;
    /** Failed logins per user name from addresses that never logged in as it: never blocks a known address. */
    private final SlidingWindowLimiter failuresByUser;
    /** Failures per address; each (name, address) pair adds only its first few, see {@link #recordFailure}. */
    private final SlidingWindowLimiter failuresByIp;
    /** Failed logins per (user, address) and wrong passwords per (room, address), with a growing back-off. */
    private final Backoff failuresByPair;
    private final KnownAddresses knownAddresses;
    private final SlidingWindowLimiter registrationsByIp;
    private final SlidingWindowLimiter roomCreationsByIp;
    private final Mailbox mailbox;
    private final DialBacks dialBacks;
    private final Punches punches;
    private final SelfTests selfTests;
    /** Null until {@link #relays} is told of them: RELAY_TOKEN is then answered FULL 503. */
    private volatile Relays relays;
    /** The other nodes serving the same community; {@link Cluster#NONE} for a registry of its own. */
    private final Cluster cluster;
    private volatile int udpPort;
    private volatile java.util.function.ObjLongConsumer<String> requestTimes = (type, nanos) -> { };

    /** The parts of the registry's configuration this class acts on. */
    public record Settings(Duration keepAliveTimeout, Duration keepAliveInterval, Duration tokenLifetime,
                           int maxFailuresPerUser, int maxFailuresPerIp, Duration failureWindow,
                           int maxRegistrationsPerIp, Duration registrationWindow, int argon2Concurrency,
                           int argon2MaxQueued, int freeFailuresPerAddress, Duration failureBackoff,
                           Duration maxFailureBackoff, int knownAddresses, int maxRoomsPerUser,
                           int maxRoomCreationsPerIp, Duration roomCreationWindow, MailboxSettings mailbox,
                           int maxQueuedBytes, int maxSelfTests) {
    }

    /** What the registry's periodic stats report of this service. */
    public record Stats(long argon2Computed, long argon2WaitNanos, long argon2ComputeNanos, long argon2RefusedBusy,
                        long argon2SkippedGone, int argon2QueuedNow) {
    }

    private record CachedRoomsList(long roomsVersion, long membershipVersion, Frame frame) {
    }

    public RegistryService(Settings settings, RegistryStore store, SessionRegistry sessions, PasswordHasher hasher,
            TokenSigner tokens, Clock clock) {
        this(settings, store, sessions, hasher, tokens, clock, Cluster.NONE);
    }

    /** A node of {@code cluster}: logins are decided across the nodes, and lookups see the users of all of them. */
    public RegistryService(Settings settings, RegistryStore store, SessionRegistry sessions, PasswordHasher hasher,
            TokenSigner tokens, Clock clock, Cluster cluster) {
        this.cluster = cluster;
        this.settings = settings;
        this.store = store;
        this.sessions = sessions;
        this.passwords = new PasswordWork(hasher, settings.argon2Concurrency(), settings.argon2MaxQueued());
        this.rooms = new RoomDirectory(store);
        cluster.onRoomCreated(rooms::learn);
        // A quarter of what may wait for one connection: the mailbox never crowds out its other answers.
        this.mailbox = new Mailbox(settings.mailbox(), store, sessions, clock,
                Math.min(Mailbox.PUSH_BUDGET_BYTES, settings.maxQueuedBytes() / 4), cluster);
        this.dialBacks = new DialBacks(sessions, store, clock, cluster);
        this.punches = new Punches(sessions, store, clock, cluster);
        this.selfTests = new SelfTests(sessions, settings.maxSelfTests(), SelfTests.CONNECT_TIMEOUT);
        this.tokens = tokens;
        this.clock = clock;
        this.failuresByUser = new SlidingWindowLimiter(settings.maxFailuresPerUser(), settings.failureWindow(), clock);
        this.failuresByIp = new SlidingWindowLimiter(settings.maxFailuresPerIp(), settings.failureWindow(), clock);
        this.failuresByPair = new Backoff(settings.freeFailuresPerAddress(), settings.failureBackoff(),
                settings.maxFailureBackoff(), settings.failureWindow(), clock);
        this.knownAddresses = new KnownAddresses(settings.knownAddresses());
        this.registrationsByIp = new SlidingWindowLimiter(settings.maxRegistrationsPerIp(),
                settings.registrationWindow(), clock);
        this.roomCreationsByIp = new SlidingWindowLimiter(settings.maxRoomCreationsPerIp(),
                settings.roomCreationWindow(), clock);
    }

    /** Told once the UDP socket is bound; HELLO_BACK and AUTH hand it out. */
    public void udpPort(int port) {
        this.udpPort = port;
    }

    /**
     * Told once the registry's relays are known (its own, once bound, and those on other hosts). {@code ownHost}:
     * the address of this registry (and so of its own relay) that peers of other nodes of a cluster can use; null
     * when it listens on every address and so cannot name one.
     */
    public void relays(List<Relays.Endpoint> endpoints, dev.p2pchat.relay.RendezvousTokens rendezvous, String ownHost) {
        this.relays = new Relays(endpoints, rendezvous, sessions, store, clock, cluster, ownHost);
    }

    /** Answers one request. Throws only on a bug or a store failure; the caller answers those with 500. */
    public Frame handle(Caller caller, RegistryRequest request) {
        Session session = caller.session();
        if (session != null && session.isEnded()) {
            caller.loggedOut(); // expired or replaced while this connection was quiet
            session = null;
        }
        if (session != null) {
            sessions.touch(session);
        }
        long started = System.nanoTime();
        try {
            return dispatch(caller, session, request);
        } catch (PasswordWork.Busy e) {
            LOG.debug("Refused {} from {}: the Argon2 queue is full", request.toFrame().verb(), caller.ip());
            return error(Status.FULL, BUSY);
        } catch (PasswordWork.CallerGone e) {
            LOG.debug("Skipped {} from {}: the connection closed while it waited for Argon2",
                    request.toFrame().verb(), caller.ip());
            return error(Status.FULL, BUSY); // nobody reads it
        } finally {
            requestTimes.accept(request.getClass().getSimpleName(), System.nanoTime() - started);
        }
    }

    /** Reachability self-tests started since start, for the metrics. */
    public long selfTestsRun() {
        return selfTests.run();
    }

    /** Logins not self-tested because as many tests were running as may, for the metrics. */
    public long selfTestsSkipped() {
        return selfTests.skipped();
    }

    /** Mailbox items stored since start, for the metrics. */
    public long mailboxItemsStored() {
        return mailbox.storedCount();
    }

    /** Told the type and duration of every request answered (the metrics); by default nobody is. */
    public void observeRequests(java.util.function.ObjLongConsumer<String> observer) {
        requestTimes = observer;
    }

    private Frame dispatch(Caller caller, Session session, RegistryRequest request) {
        return switch (request) {
            case RegistryRequest.HelloP2p hello -> new RegistryReply.HelloBack(Status.SUCCESS, udpPort).toFrame();
            case Register register -> register(caller, register);
            case Login login -> session != null ? alreadyLoggedIn(session) : login(caller, login);
            case Resume resume -> session != null ? alreadyLoggedIn(session) : resume(caller, resume);
            case KeepAlive keepAlive -> error(Status.BAD_REQUEST, "KEEP_ALIVE goes to the registry's UDP port "
                    + udpPort);
            default -> session == null
                    ? error(Status.NOT_LOGGED_IN, request.toFrame().verb() + " needs LOGIN first")
                    : loggedIn(caller, session, request);
        };
    }

    private Frame loggedIn(Caller caller, Session session, RegistryRequest request) {
        return switch (request) {
            case CreateChatRoom create -> createRoom(caller, session, create);
            case JoinChatRoom join -> joinRoom(caller, session, join);
            case RoomExit exit -> exitRoom(session, exit);
            case ShowRoomsList list -> roomsList(list);
            case SearchUser search -> searchUser(session, search).toFrame();
            case DiscoverPeers discover -> discoverPeers(session, discover);
            case RegistryRequest.Logout logout -> logout(caller, session);
            case RegistryRequest.MailboxPut put -> mailbox.put(caller, session, put);
            case RegistryRequest.MailboxAck ack -> mailbox.ack(caller, session, ack);
            case RegistryRequest.ConnectBack connect -> dialBacks.ask(session, connect);
            case RegistryRequest.Punch punch -> punches.ask(session, punch);
            case RegistryRequest.RelayToken relay -> relays != null ? relays.ask(session, relay) : Relays.none(relay);
            default -> throw new IllegalStateException(
                    "not a logged-in request: " + request.getClass().getSimpleName());
        };
    }

    /** A UDP keep-alive; the answer goes back to where it came from. */
    public RegistryReply.KeepAliveResponse keepAlive(KeepAlive keepAlive, InetSocketAddress from) {
        if (sessions.keepAlive(keepAlive.username(), keepAlive.token(), from)) {
            return new RegistryReply.KeepAliveResponse(Status.SUCCESS, null);
        }
        LOG.debug("Refused keep-alive for {} from {}", keepAlive.username(), from);
        return new RegistryReply.KeepAliveResponse(Status.FAILURE, "no live session for this user and token");
    }

    /**
     * Ends every session silent for longer than the keep-alive timeout and closes their connections; returns them
     * so that the caller can tell each peer over UDP. For the periodic tick, like {@link #prune()}.
     */
    public List<Session> expireIdle() {
        return delivered(sessions.expireIdle(settings.keepAliveTimeout()));
    }

    public Stats stats() {
        PasswordWork.Stats p = passwords.stats();
        return new Stats(p.computed(), p.waitNanos(), p.computeNanos(), p.refusedBusy(), p.skippedGone(),
                p.queuedNow());
    }

    /** Housekeeping for the periodic tick: forgets failure and registration counts that left their window. */
    public void prune() {
        failuresByUser.prune();
        failuresByIp.prune();
        failuresByPair.prune();
        registrationsByIp.prune();
        roomCreationsByIp.prune();
        mailbox.prune();
        dialBacks.prune();
        punches.prune();
        Relays known = relays;
        if (known != null) {
            known.prune();
        }
    }

    /** For the periodic tick: deletes mailbox items past their time to live and tells their senders. */
    public void sweepMailboxes() {
        mailbox.sweep();
    }

    private Frame register(Caller caller, Register register) {
        Duration wait = registrationsByIp.blockedFor(caller.ip());
        if (!wait.isZero()) {
            LOG.info("Refused a registration from {}: {} accounts within {} s", caller.ip(),
                    settings.maxRegistrationsPerIp(), settings.registrationWindow().toSeconds());
            return error(Status.RATE_LIMITED, "too many new accounts from your address; try again in "
                    + seconds(wait) + " s");
        }
        RegisterResult result = registerAccount(caller, register);
        if (result.status().isSuccess()) {
            registrationsByIp.record(caller.ip());
        }
        return result.toFrame();
    }

    private RegisterResult registerAccount(Caller caller, Register register) {
        String problem = Names.problemWithName("username", register.username());
        if (problem != null) {
            return new RegisterResult(Status.FAILURE, problem);
        }
        if (store.findAccount(register.username()).isPresent()) {
            return new RegisterResult(Status.EXIST, "username " + Reasons.quote(register.username()) + " is taken");
        }
        Account account = new Account(register.username(), passwords.hash(register.password(), caller::isOpen), now());
        if (!store.createAccount(account)) {
            return new RegisterResult(Status.EXIST, "username " + Reasons.quote(register.username()) + " is taken");
        }
        LOG.info("Registered account {} from {}", register.username(), caller.ip());
        return new RegisterResult(Status.SUCCESS, null);
    }

    private Frame login(Caller caller, Login login) {
        String userKey = SessionRegistry.fold(login.username());
        String pair = userPair(userKey, caller.ip());
        Frame limited = rateLimited(pair, userKey, caller.ip());
        if (limited != null) {
            return limited;
        }
        Optional<Account> account = store.findAccount(login.username());
        String storedHash = account.map(Account::passwordHash).orElse(null);
        if (!passwords.verify(login.password(), storedHash, caller::isOpen)) {
            recordFailure(pair, userKey, caller.ip());
            LOG.info("Failed login for {} from {}", login.username(), caller.ip());
            return Auth.failure(Status.FAILURE, BAD_CREDENTIALS).toFrame();
        }
        failuresByPair.reset(pair);
        knownAddresses.remember(userKey, caller.ip());
        String username = account.orElseThrow().username();
        rehashIfWeak(caller, username, login.password(), storedHash);
        Instant expires = now().plus(settings.tokenLifetime()).truncatedTo(ChronoUnit.SECONDS);
        String token = tokens.issue(userKey, expires);
        Endpoint endpoint = Endpoint.announced(caller.ip(), login.port(), login.fingerprint(), login.candidates(),
                login.certificate(), account.get().certificate());
        if (cluster.claim(username, token, endpoint) != Cluster.Claim.CLAIMED) {
            LOG.info("Refused login of {} from {}: already online on another registry node", username, caller.ip());
            return Auth.failure(Status.ONLINE, username + " is already logged in on another connection").toFrame();
        }
        return switch (delivered(sessions.login(username, token, expires, endpoint, caller.outbox()))) {
            case AuthOutcome.Authenticated ok -> {
                caller.loggedIn(ok.session());
                LOG.info("{} logged in from {} (peer port {})", username, caller.ip(), login.port());
                yield authSuccess(caller, ok.session(), List.of(), login.certificate());
            }
            case AuthOutcome.AlreadyOnline online -> {
                LOG.info("Refused login of {} from {}: already online", username, caller.ip());
                yield Auth.failure(Status.ONLINE, username + " is already logged in on another connection")
                        .toFrame();
            }
            case AuthOutcome.TokenRevoked revoked -> throw new IllegalStateException("a fresh token is revoked");
        };
    }

    private Frame resume(Caller caller, Resume resume) {
        String userKey = SessionRegistry.fold(resume.username());
        // A valid token is checked first and never refused for failures: it proves this is the user's own device,
        // whatever others tried with its name (OWASP's device cookie). Checking it costs an HMAC, not Argon2.
        Optional<Instant> expires = tokens.verify(resume.token(), userKey, now());
        Optional<Account> account = expires.isPresent() ? store.findAccount(resume.username()) : Optional.empty();
        if (account.isEmpty()) {
            String pair = userPair(userKey, caller.ip());
            Frame limited = rateLimited(pair, null, caller.ip());
            if (limited != null) {
                return limited;
            }
            // Not counted against the user name: a forged token costs the sender nothing to make, so counting it
            // would let anyone lock the name out of new addresses for free.
            recordFailure(pair, null, caller.ip());
            LOG.info("Refused resume for {} from {}: invalid or expired token", resume.username(), caller.ip());
            return Auth.failure(Status.FAILURE, "invalid or expired session token; log in again").toFrame();
        }
        String username = account.get().username();
        knownAddresses.remember(userKey, caller.ip());
        Endpoint endpoint = Endpoint.announced(caller.ip(), resume.port(), resume.fingerprint(),
                resume.candidates(), resume.certificate(), account.get().certificate());
        List<RoomRef> restore = roomsToRestore(resume.roomsToRestore());
        switch (cluster.claim(username, resume.token(), endpoint)) {
            case ONLINE_ELSEWHERE -> {
                return Auth.failure(Status.ONLINE, username + " is already logged in on another connection")
                        .toFrame();
            }
            case TOKEN_REVOKED -> {
                LOG.info("Refused resume for {} from {}: that session ended on another node", username, caller.ip());
                return Auth.failure(Status.FAILURE, "that session has ended; log in again").toFrame();
            }
            case CLAIMED -> {
            }
        }
        return switch (delivered(sessions.resume(username, resume.token(), expires.get(), endpoint, caller.outbox(),
                restore))) {
            case AuthOutcome.Authenticated ok -> {
                caller.loggedIn(ok.session());
                LOG.info("{} resumed a session from {}{}", username, caller.ip(),
                        ok.restoredRooms().isEmpty() ? "" : " in rooms " + String.join(", ", ok.restoredRooms()));
                yield authSuccess(caller, ok.session(), ok.restoredRooms(), resume.certificate());
            }
            case AuthOutcome.AlreadyOnline online ->
                    Auth.failure(Status.ONLINE, username + " is already logged in on another connection").toFrame();
            case AuthOutcome.TokenRevoked revoked -> {
                LOG.info("Refused resume for {} from {}: that session ended", username, caller.ip());
                yield Auth.failure(Status.FAILURE, "that session has ended; log in again").toFrame();
            }
        };
    }

    /**
     * After a registry restart only the client knows its rooms. A room with a password is not rejoined on the
     * client's word alone: the client must JOIN it again with the password. Rooms that do not exist are skipped.
     */
    private List<RoomRef> roomsToRestore(List<String> roomNames) {
        List<RoomRef> refs = new ArrayList<>(roomNames.size());
        for (String roomName : roomNames) {
            rooms.find(roomName)
                    .filter(room -> !room.hasPassword())
                    .ifPresent(room -> refs.add(new RoomRef(room.name(), room.capacity())));
        }
        return refs;
    }

    /**
     * Keeps the certificate the peer logged in with (others seal mailbox items to it), and pushes the user's
     * mailbox once the answer is queued: never before AUTH SUCCESS. The reachability self-test starts then too, so
     * that its REACHABILITY follows the answer.
     */
    private Frame authSuccess(Caller caller, Session session, List<String> restoredRooms, String certificate) {
        if (certificate != null) {
            store.updateCertificate(session.username(), certificate);
        }
        caller.afterReply(() -> mailbox.pushWaiting(caller, session));
        caller.afterReply(() -> selfTests.start(session));
        return new Auth(Status.SUCCESS, session.token(), session.tokenExpires(), session.keepAliveToken(), udpPort,
                settings.keepAliveTimeout(), settings.keepAliveInterval(),
                restoredRooms.isEmpty() ? null : restoredRooms.getFirst(), null,
                restoredRooms.size() > 1 ? restoredRooms : List.of()).toFrame();
    }

    private Frame createRoom(Caller caller, Session session, CreateChatRoom create) {
        String problem = firstProblem(Names.problemWithName("room name", create.roomName()),
                Names.problemWithDescription(create.description()), Names.problemWithCapacity(create.capacity()));
        if (problem != null) {
            return new Creation(Status.FAILURE, create.roomName(), problem).toFrame();
        }
        if (rooms.find(create.roomName()).isPresent()) {
            return new Creation(Status.EXIST, create.roomName(),
                    "room " + Reasons.quote(create.roomName()) + " already exists").toFrame();
        }
        if (rooms.createdBy(session.username()) >= settings.maxRoomsPerUser()) {
            return quotaReached(create).toFrame();
        }
        Duration wait = roomCreationsByIp.blockedFor(caller.ip());
        if (!wait.isZero()) {
            LOG.info("Refused a room creation from {}: {} rooms within {} s", caller.ip(),
                    settings.maxRoomCreationsPerIp(), settings.roomCreationWindow().toSeconds());
            return error(Status.RATE_LIMITED, "too many new rooms from your address; try again in "
                    + seconds(wait) + " s");
        }
        String passwordHash = create.roomPassword() == null ? null
                : passwords.hash(create.roomPassword(), caller::isOpen);
        Room room = new Room(create.roomName(), passwordHash, create.capacity(), create.description(),
                session.username(), now().truncatedTo(ChronoUnit.MILLIS));
        switch (rooms.create(room, settings.maxRoomsPerUser())) {
            case EXISTS -> {
                return new Creation(Status.EXIST, create.roomName(),
                        "room " + Reasons.quote(create.roomName()) + " already exists").toFrame();
            }
            case QUOTA -> {
                return quotaReached(create).toFrame();
            }
            case CREATED -> {
                roomCreationsByIp.record(caller.ip());
                cluster.roomCreated(room.name());
            }
        }
        LOG.info("{} created room {} (capacity {}{})", session.username(), room.name(), room.capacity(),
                room.hasPassword() ? ", password" : "");
        return new Creation(Status.SUCCESS, room.name(), null).toFrame();
    }

    private Creation quotaReached(CreateChatRoom create) {
        return new Creation(Status.FAILURE, create.roomName(), "you have created " + settings.maxRoomsPerUser()
                + " rooms, the most one account may");
    }

    private Frame joinRoom(Caller caller, Session session, JoinChatRoom join) {
        // Both checked again under the registry's lock; asked here first so that neither costs a password check.
        if (session.isIn(join.roomName())) {
            return alreadyInRoom(session, join.roomName());
        }
        if (session.rooms().size() >= sessions.maxRoomsPerSession()) {
            return tooManyRooms(session, join.roomName());
        }
        Optional<Room> found = rooms.find(join.roomName());
        if (found.isEmpty()) {
            return new Join(Status.FAILURE, join.roomName(), "no room named " + Reasons.quote(join.roomName()))
                    .toFrame();
        }
        Room room = found.get();
        if (room.hasPassword()) {
            String pair = "room\u0000" + SessionRegistry.fold(room.name()) + '\u0000' + caller.ip();
            Frame limited = rateLimited(pair, null, caller.ip());
            if (limited != null) {
                return limited;
            }
            if (join.roomPassword() == null || !passwords.verify(join.roomPassword(), room.passwordHash(), caller::isOpen)) {
                recordFailure(pair, null, caller.ip());
                LOG.info("{} gave a wrong password for room {}", session.username(), room.name());
                return new Join(Status.FAILURE, room.name(), join.roomPassword() == null
                        ? "room " + room.name() + " needs a password" : "wrong password for room " + room.name())
                        .toFrame();
            }
        }
        int elsewhere = cluster.inRoom(room.name()).size();
        if (elsewhere > 0 && elsewhere + sessions.memberCounts().getOrDefault(SessionRegistry.fold(room.name()), 0)
                >= room.capacity()) {
            // Counted from this node's cache of the others: two nodes admitting the last place at once may overfill.
            return new Join(Status.FULL, room.name(),
                    "room " + room.name() + " is full (" + room.capacity() + " members)").toFrame();
        }
        return switch (delivered(sessions.join(session, new RoomRef(room.name(), room.capacity())))) {
            case JOINED -> {
                LOG.info("{} joined room {}", session.username(), room.name());
                yield new Join(Status.SUCCESS, room.name(), null).toFrame();
            }
            case ALREADY_IN_THIS_ROOM -> alreadyInRoom(session, room.name());
            case TOO_MANY_ROOMS -> tooManyRooms(session, room.name());
            case FULL -> new Join(Status.FULL, room.name(),
                    "room " + room.name() + " is full (" + room.capacity() + " members)").toFrame();
            case SESSION_ENDED -> sessionEnded(caller);
        };
    }

    private static Frame alreadyInRoom(Session session, String wanted) {
        String current = session.rooms().stream()
                .filter(r -> SessionRegistry.fold(r).equals(SessionRegistry.fold(wanted))).findFirst().orElse(wanted);
        return new Join(Status.WRONG_STATE, current, "already in room " + Reasons.quote(current)).toFrame();
    }

    private Frame tooManyRooms(Session session, String wanted) {
        return new Join(Status.TOO_MANY_ROOMS, wanted, "already in " + session.rooms().size()
                + " rooms, the most one session may be in; leave one first").toFrame();
    }

    private static String quoteAll(List<String> names) {
        return names.stream().map(Reasons::quote).collect(java.util.stream.Collectors.joining(", "));
    }

    private Frame exitRoom(Session session, RoomExit exit) {
        LeaveOutcome outcome = delivered(sessions.leave(session, exit.roomName()));
        return switch (outcome.kind()) {
            case LEFT -> {
                LOG.info("{} left room {}", session.username(), outcome.room());
                yield new RoomExitResponse(Status.SUCCESS, outcome.room(), null).toFrame();
            }
            case NOT_IN_A_ROOM -> new RoomExitResponse(Status.FAILURE, exit.roomName(), "not in a room").toFrame();
            case NOT_IN_THAT_ROOM -> new RoomExitResponse(Status.FAILURE, exit.roomName(),
                    "not in room " + Reasons.quote(exit.roomName()) + " (in " + quoteAll(outcome.rooms()) + ")")
                    .toFrame();
            case NAME_NEEDED -> new RoomExitResponse(Status.WRONG_STATE, null,
                    "in several rooms (" + quoteAll(outcome.rooms()) + "); name the room to leave").toFrame();
            case SESSION_ENDED -> error(Status.NOT_LOGGED_IN, "the session has ended; log in again");
        };
    }

    /**
     * Served from memory, and the encoded answer is reused until a room is created or a member count changes:
     * the versions are read before the state, so an answer built from newer state is at worst rebuilt once more.
     */
    private Frame roomsList(ShowRoomsList request) {
        long roomsVersion = rooms.version();
        long membershipVersion = sessions.membershipVersion() + cluster.membershipVersion();
        int slot = request.type().ordinal();
        CachedRoomsList cached = roomsListCache.get(slot);
        if (cached != null && cached.roomsVersion() == roomsVersion
                && cached.membershipVersion() == membershipVersion) {
            return cached.frame();
        }
        Frame frame = buildRoomsList(request.type());
        roomsListCache.set(slot, new CachedRoomsList(roomsVersion, membershipVersion, frame));
        return frame;
    }

    private Frame buildRoomsList(ListType type) {
        Collection<Room> all = rooms.all();
        if (all.isEmpty()) {
            return new RoomsList(Status.NOT_FOUND, type, List.of()).toFrame();
        }
        Map<String, Integer> counts = new java.util.HashMap<>(sessions.memberCounts());
        cluster.memberCounts().forEach((room, n) -> counts.merge(room, n, Integer::sum));
        boolean detailed = type == ListType.DETAILED;
        List<RoomSummary> rows = new ArrayList<>(all.size());
        for (Room room : all) {
            rows.add(new RoomSummary(room.name(), detailed ? room.description() : null,
                    counts.getOrDefault(SessionRegistry.fold(room.name()), 0), room.capacity(),
                    detailed && room.hasPassword()));
        }
        return fittedInOneFrame(rows, (fitting, total) -> new RoomsList(Status.FOUND, type, fitting, total).toFrame(),
                r -> detailed ? List.of(r.name(), r.description(), "0000", "0000", "false")
                        : List.of(r.name(), "0000", "0000"));
    }

    private SearchUserResponse searchUser(Session asker, SearchUser search) {
        Optional<Session> online = sessions.find(search.username());
        PeerInfo found = null;
        List<String> rooms = List.of();
        // Only the certificate of the key the peer presents now, which its session keeps: no store read for an
        // online user, on this node or another.
        String certificate = null;
        if (online.isPresent() && !online.get().isEnded()) {
            found = online.get().peerInfo();
            rooms = online.get().rooms();
            certificate = online.get().endpoint().certificate();
        } else {
            Optional<RemoteUser> elsewhere = cluster.find(search.username());
            if (elsewhere.isPresent()) {
                found = elsewhere.get().peer();
                rooms = elsewhere.get().rooms();
                certificate = elsewhere.get().certificate();
            }
        }
        if (found != null) {
            List<String> visible = visibleRooms(asker, rooms);
            PeerInfo peer = found.inRoom(visible.isEmpty() ? null : visible.getFirst());
            return new SearchUserResponse(Status.SUCCESS, peer, certificate, visible);
        }
        Optional<Account> account = store.findAccount(search.username());
        return account.isEmpty() ? new SearchUserResponse(Status.NOT_FOUND, null)
                : new SearchUserResponse(Status.NOT_ONLINE, null, account.get().certificate());
    }

    private Frame discoverPeers(Session session, DiscoverPeers discover) {
        List<PeerInfo> peers;
        String roomName = null;
        if (discover.roomName() == null) {
            peers = withOthers(sessions.onlinePeers(session), cluster.peers());
            if (rooms.anyHasPassword()) {
                peers = peers.stream().map(p -> seenBy(session, p)).toList();
            }
        } else {
            Optional<Room> room = rooms.find(discover.roomName()).filter(r -> mayListMembers(session, r));
            if (room.isEmpty()) {
                // The same answer as for a room that does not exist: membership of a password room cannot be probed.
                return new PeerList(Status.FAILURE, discover.roomName(), List.of(),
                        "no room named " + Reasons.quote(discover.roomName())).toFrame();
            }
            roomName = room.get().name();
            peers = withOthers(sessions.roomMembers(roomName), cluster.inRoom(roomName));
        }
        String room = roomName;
        return fittedInOneFrame(peers, (rows, total) -> new PeerList(Status.SUCCESS, room, rows, null, total).toFrame(),
                peerCells(peers));
    }

    /** The cells of a peer's row as PEER_LIST writes them at their longest (the port as five digits). */
    private static Function<PeerInfo, List<String>> peerCells(List<PeerInfo> peers) {
        // The dialable column is written only when some peer's is known; then every row has a cell in it.
        boolean withDialable = peers.stream().anyMatch(p -> p.dialable() != dev.p2pchat.protocol.Dialable.UNKNOWN);
        return p -> {
            List<String> cells = new ArrayList<>(List.of(p.username(), p.room() == null ? "" : p.room(), p.ip(),
                    "00000", p.fingerprint(), Objects.requireNonNullElse(Candidate.formatList(p.candidates()), "")));
            if (withDialable) {
                cells.add("yes");
            }
            return cells;
        };
    }

    /**
     * This node's peers and the other nodes' in one list ordered by name; a user in both (its session moving
     * between nodes this instant) once, as this node sees it.
     */
    private static List<PeerInfo> withOthers(List<PeerInfo> here, List<PeerInfo> elsewhere) {
        if (elsewhere.isEmpty()) {
            return here;
        }
        java.util.Set<String> local = new java.util.HashSet<>();
        here.forEach(p -> local.add(SessionRegistry.fold(p.username())));
        List<PeerInfo> all = new ArrayList<>(here.size() + elsewhere.size());
        all.addAll(here);
        elsewhere.stream().filter(p -> !local.contains(SessionRegistry.fold(p.username()))).forEach(all::add);
        all.sort(java.util.Comparator.comparing(p -> SessionRegistry.fold(p.username())));
        return all;
    }

    /**
     * Only the members of a password room may learn who is in it (their addresses and fingerprints included): the
     * password is what keeps strangers out of the conversation, and of knowing who holds it.
     */
    private static boolean mayListMembers(Session asker, Room room) {
        return !room.hasPassword() || asker.isIn(room.name());
    }

    /** The rooms of {@code user} that {@code asker} may know of: password rooms it is not a member of are left out. */
    private List<String> visibleRooms(Session asker, List<String> all) {
        if (all.isEmpty()) {
            return all;
        }
        List<String> visible = new ArrayList<>(all.size());
        for (String name : all) {
            Optional<Room> room = rooms.find(name);
            if (room.isEmpty() || mayListMembers(asker, room.get())) {
                visible.add(name);
            }
        }
        return visible;
    }

    /**
     * {@code peer} as {@code asker} may see it: its room column shows the first of its rooms the asker may know of
     * (a password room it is not a member of is left out).
     */
    private PeerInfo seenBy(Session asker, PeerInfo peer) {
        if (peer.room() == null) {
            return peer;
        }
        Optional<Session> user = sessions.find(peer.username());
        List<String> rooms;
        if (user.isPresent()) {
            rooms = user.get().rooms();
        } else {
            Optional<RemoteUser> elsewhere = cluster.find(peer.username());
            if (elsewhere.isEmpty()) {
                return peer;
            }
            rooms = elsewhere.get().rooms();
        }
        List<String> visible = visibleRooms(asker, rooms);
        String shown = visible.isEmpty() ? null : visible.getFirst();
        return SessionRegistry.fold(peer.room()).equals(shown == null ? "" : SessionRegistry.fold(shown))
                ? peer : peer.inRoom(shown);
    }

    private Frame logout(Caller caller, Session session) {
        List<String> in = session.rooms();
        if (delivered(sessions.logout(session))) {
            LOG.info("{} logged out{}", session.username(), in.isEmpty() ? "" : " (was in " + String.join(", ", in) + ")");
        }
        caller.loggedOut();
        return new RegistryReply.LogoutResponse(Status.SUCCESS).toFrame();
    }

    /** Every change's pushes and kicks go out here, after the registry's lock was released. */
    private <T> T delivered(Change<T> change) {
        sessions.deliver();
        return change.outcome();
    }

    private Frame sessionEnded(Caller caller) {
        caller.loggedOut();
        return error(Status.NOT_LOGGED_IN, "the session has ended; log in again");
    }

    private static Frame alreadyLoggedIn(Session session) {
        return error(Status.WRONG_STATE, "already logged in as " + session.username() + "; LOGOUT first");
    }

    private void rehashIfWeak(Caller caller, String username, String digest, String storedHash) {
        if (passwords.needsRehash(storedHash)) {
            store.updatePasswordHash(username, passwords.hash(digest, caller::isOpen));
            LOG.info("Rehashed the password of {} with the current Argon2 parameters", username);
        }
    }

    /**
     * A 429 while this (name, address) pair is in back-off, this address failed too often lately, or, for an
     * address that never logged in as {@code userKey} (null: no per-user limit), that user name did; else null.
     * Asking changes no count: a refused attempt neither extends nor refills anything.
     */
    private Frame rateLimited(String pair, String userKey, String ip) {
        Duration wait = longer(failuresByPair.blockedFor(pair), failuresByIp.blockedFor(ip));
        if (userKey != null && !knownAddresses.contains(userKey, ip)) {
            wait = longer(wait, failuresByUser.blockedFor(userKey));
        }
        if (wait.isZero()) {
            return null;
        }
        LOG.debug("Rate-limited an attempt from {} for {} ms", ip, wait.toMillis());
        return error(Status.RATE_LIMITED, "too many failed attempts; try again in " + seconds(wait) + " s");
    }

    private static Duration longer(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }

    private static String userPair(String userKey, String ip) {
        return "user\u0000" + userKey + '\u0000' + ip;
    }

    private static long seconds(Duration wait) {
        return Math.max(1, (wait.toMillis() + 999) / 1000);
    }

    /**
     * One failure of {@code pair}; also one of {@code userKey} (when not null). The address counts only a pair's
     * first few failures: one user mistyping from behind a NAT must not lock out everyone else behind it, while an
     * address trying many names (password spraying) still reaches its limit.
     */
    private void recordFailure(String pair, String userKey, String ip) {
        int failures = failuresByPair.failure(pair);
        if (failures <= settings.freeFailuresPerAddress()) {
            failuresByIp.record(ip);
        }
        if (userKey != null) {
            failuresByUser.record(userKey);
        }
    }

    /**
     * Lists can outgrow one frame's payload (thousands of online peers). The first rows that fit are sent and a
     * {@code total} header tells the client how many there were; {@code cells} renders a row at its widest.
     */
    /**
     * A list answer, {@code encode}d from every row when they fit in one payload (nearly always: a room of 50 is a few
     * KiB), else from the first rows that do, whose size {@code cells} tells, with the {@code total} header. The
     * whole list is encoded first because measuring every row first cost as much as encoding it (JFR, run R).
     */
    private static <T> Frame fittedInOneFrame(List<T> rows, java.util.function.BiFunction<List<T>, Integer, Frame> encode,
                                              Function<T, List<String>> cells) {
        Frame whole = encode.apply(rows, null);
        if (whole.payload() == null || utf8Bytes(whole.payload()) <= Limits.MAX_PAYLOAD_BYTES) {
            return whole;
        }
        List<T> fitting = fitInOneFrame(rows, cells);
        return encode.apply(fitting, totalIfCut(fitting, rows));
    }

    /** UTF-8 length without encoding. */
    private static int utf8Bytes(String text) {
        int bytes = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x80) {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }

    private static <T> List<T> fitInOneFrame(List<T> rows, Function<T, List<String>> cells) {
        int budget = Limits.MAX_PAYLOAD_BYTES;
        int used = 0;
        for (int i = 0; i < rows.size(); i++) {
            int rowBytes = 0;
            for (String cell : cells.apply(rows.get(i))) {
                rowBytes += cell.getBytes(StandardCharsets.UTF_8).length + 1; // tab or newline
            }
            if (used + rowBytes > budget) {
                return rows.subList(0, i);
            }
            used += rowBytes;
        }
        return rows;
    }

    /** The {@code total} header of a list: null when every row is sent. */
    private static Integer totalIfCut(List<?> sent, List<?> all) {
        return sent.size() == all.size() ? null : all.size();
    }

    private static String firstProblem(String... problems) {
        for (String problem : problems) {
            if (problem != null) {
                return problem;
            }
        }
        return null;
    }

    static Frame error(Status status, String reason) {
        return new ErrorReply(status, reason).toFrame();
    }

    private Instant now() {
        return clock.instant();
    }
}
