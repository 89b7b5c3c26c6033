package dev.p2pchat.peer;

import static dev.p2pchat.peer.UserInput.checkName;
import static dev.p2pchat.peer.UserInput.checkPassword;
import static dev.p2pchat.peer.UserInput.checkRoom;
import static dev.p2pchat.peer.UserInput.roomPassword;

import dev.p2pchat.peer.contacts.Contact;
import dev.p2pchat.peer.contacts.ContactBook;
import dev.p2pchat.peer.contacts.SafetyNumber;
import dev.p2pchat.peer.contacts.Verification;
import dev.p2pchat.peer.history.ChatHistory;
import dev.p2pchat.peer.history.HistoryLine;
import dev.p2pchat.peer.mesh.HolePunch;
import dev.p2pchat.peer.mesh.Links;
import dev.p2pchat.peer.mesh.PeerServer;
import dev.p2pchat.peer.outbox.Outbox;
import dev.p2pchat.peer.reach.ListenPolicy;
import dev.p2pchat.peer.reach.LocalCandidates;
import dev.p2pchat.peer.reach.natpmp.PortMapping;
import dev.p2pchat.peer.registry.Backoff;
import dev.p2pchat.peer.registry.RegistrySession;
import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.RelayTicket;
import dev.p2pchat.protocol.RoomSummary;
import dev.p2pchat.security.CertificateText;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PasswordDigest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything one user's process does apart from the user interface: talks to the registry (and reconnects
 * to it by itself), runs this peer's server, keeps one-to-one chats and the room's full mesh of links, and
 * delivers every message or reports why not.
 *
 * <p>Methods block (call them from virtual threads) and fail with a {@link PeerException} whose message is
 * a sentence for the user. What happens without being asked arrives as {@link PeerEvent}s, in order, on one
 * dispatcher thread. Never logs passwords, their digests, or message text above debug level.
 */
public final class Peer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Peer.class);
    private static final PeerServer.Limits SERVER_LIMITS = PeerServer.Limits.DEFAULT;
    /**
     * Our own links are closed after half the time the other side's server waits, so that it is almost always
     * this side that closes an idle link, never the server just as a request goes out.
     */
    private static final Duration OUTGOING_LINK_IDLE = SERVER_LIMITS.idleTimeout().dividedBy(2);
    private static final Duration IDLE_SWEEP = SERVER_LIMITS.idleTimeout().dividedBy(10);
    /** How long an incoming chat request waits for this user's answer before it expires. */
    static final Duration CHAT_REQUEST_EXPIRY = Duration.ofMinutes(5);
    /** How long closing a chat or logging out waits for the partners to hear of it (best effort). */
    static final Duration CHAT_CLOSED_PATIENCE = Duration.ofSeconds(2);
    /** The chat history in the data dir (not "history": that name was the input-line history's). */
    static final String HISTORY_FILE = "chat-history.db";

    private final PeerConfig config;
    private final Clock clock;
    private final Identity identity;
    private final EventDispatcher events;
    private final ScheduledExecutorService timer;
    private final Outbox outbox;
    private final Links links;
    private final PeerStatus status = new PeerStatus();
    private final RoomState room = new RoomState();
    private final Chats chats = new Chats();
    private final RegistryCalls registry = new RegistryCalls(status);
    private final ContactKeys keys;
    private final PeerDirectory directory;
    private final HistoryKeeper history;
    private final Deliveries deliveries;
    /** Shared by direct links and the mailbox: a message that came both ways is shown once. */
    private final DuplicateFilter duplicates = new DuplicateFilter(IncomingRequests.REMEMBERED_MESSAGE_IDS);
    private final Mailbox mailbox;
    private final MessageSender sender;
    private final SessionWatcher watcher;
    private final Rooms rooms;
    private final Backlog backlog;
    private final UserSearch users;
    private final ChatRequests chatRequests;
    private final Account account;
    /** Serialises the user's session-changing calls (login, logout, join, leave). */
    private final ReentrantLock userLock = new ReentrantLock();

    private final Duration chatRequestExpiry;
    private final IncomingRequests incoming;
    private final FileTransfers files;
    private PeerServer server;
    private ListenPolicy listen;
    /** How long a login waits for the gateway's NAT-PMP answer, asked for since start-up or the last logout. */
    private static final Duration PORT_MAPPING_WAIT = Duration.ofSeconds(1);
    /** The listening port forwarded by the home router; null when not asked for (loopback, advertised port). */
    private volatile PortMapping portMapping;
    /** Set by tests to announce these candidates instead of this machine's addresses. */
    private volatile List<Candidate> announced;

    private Peer(PeerConfig config, PeerListener listener, Clock clock, Duration chatRequestExpiry)
            throws PeerException {
        this.config = config;
        this.chatRequestExpiry = chatRequestExpiry;
        this.clock = clock;
        ContactBook contactBook;
        ChatHistory historyStore;
        try {
            if (!Files.isDirectory(config.dataDir())) {
                // Ours to create, so private whatever the umask (it will hold the key, the outbox and the log).
                Files.createDirectories(config.dataDir());
                if (config.dataDir().getFileSystem().supportedFileAttributeViews().contains("posix")) {
                    Files.setPosixFilePermissions(config.dataDir(), PosixFilePermissions.fromString("rwx------"));
                }
            }
            this.identity = Identity.loadOrCreate(config.dataDir().resolve("identity"), "p2pchat-peer");
            this.outbox = new Outbox(config.dataDir().resolve("outbox"));
            contactBook = ContactBook.open(config.dataDir().resolve("contacts"));
            historyStore = config.history() ? ChatHistory.open(config.dataDir().resolve(HISTORY_FILE)) : null;
        } catch (IOException e) {
            throw new PeerException("Cannot use the data directory " + config.dataDir() + ": " + e.getMessage(), e);
        }
        this.history = new HistoryKeeper(historyStore, status, clock);
        this.events = new EventDispatcher(history.recording(listener));
        this.keys = new ContactKeys(status, contactBook, events);
        this.directory = new PeerDirectory(registry::call, keys);
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("peer-timer").factory());
        this.incoming = new IncomingRequests(status, chats, room, directory, events, timer, chatRequestExpiry,
                duplicates);
        // Either side of a link sends requests on it, so the same handler serves the links this peer opened.
        // A dial-back is one request's worth of waiting: never longer than a request may take.
        this.links = new Links(identity, config.requestTimeout(), clock, incoming, SERVER_LIMITS,
                config.requestTimeout().compareTo(Links.DIAL_BACK_WAIT) < 0 ? config.requestTimeout()
                        : Links.DIAL_BACK_WAIT);
        links.dialBacksVia(this::askDialBack);
        links.relaysVia(this::askRelay);
        if (config.advertisedPort() != 0) {
            links.declineDialBacks();
        }
        this.mailbox = new Mailbox(status, registry, identity, duplicates, events, keys, chats);
        this.deliveries = new Deliveries(outbox,
                new MeshTransport(status, room, chats, directory, links, events, config.requestTimeout(), keys,
                        identity), events,
                clock, Deliveries.Sleeper.REAL, Backoff.withJitter(config.retryBase(), config.retryMax()),
                config.deliveryWindow(), mailbox);
        this.sender = new MessageSender(status, chats, room, deliveries, outbox, events, clock, keys, history,
                directory, identity);
        this.watcher = new SessionWatcher(status, room, chats, links, directory, registry, deliveries, sender, events,
                timer, config.retryMax());
        watcher.mailbox(mailbox);
        this.backlog = new Backlog(status, room, directory, history, links, events, duplicates, keys, registry,
                identity, clock, config.requestTimeout());
        incoming.backlog(backlog);
        watcher.backlog(backlog);
        this.rooms = new Rooms(status, room, registry, directory, sender);
        this.users = new UserSearch(registry, directory);
        this.chatRequests = new ChatRequests(status, chats, users, directory, links, events);
        this.files = new FileTransfers(status, chats, users, links, events, timer, config.requestTimeout(),
                chatRequestExpiry, config.dataDir(), clock);
        incoming.files(files::handle);
        this.account = new Account(status, registry, room, deliveries, sender, watcher, events, chatRequests,
                CHAT_CLOSED_PATIENCE);
    }

    /**
     * Loads or creates this peer's identity, connects to the registry (checking its certificate) and starts
     * this peer's server. Nobody is logged in yet.
     */
    public static Peer start(PeerConfig config, PeerListener listener) throws PeerException {
        return start(config, listener, CHAT_REQUEST_EXPIRY);
    }

    /** As {@link #start(PeerConfig, PeerListener)}, with another chat request expiry (tests). */
    static Peer start(PeerConfig config, PeerListener listener, Duration chatRequestExpiry) throws PeerException {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(listener, "listener");
        Peer peer = new Peer(config, listener, Clock.systemUTC(), chatRequestExpiry);
        try {
            peer.open();
            return peer;
        } catch (PeerException | RuntimeException e) {
            peer.close();
            throw e;
        }
    }

    private void open() throws PeerException {
        registry.open(config, watcher, timer, clock);
        try {
            listen = ListenPolicy.decide(config.listenHost(), config.registryHost());
            server = PeerServer.start(identity, listen.bind().getHostAddress(), config.listenPort(),
                    config.requestTimeout(), SERVER_LIMITS, clock, new LinkAdmission(status, directory, room, keys),
                    incoming, links::adopt);
        } catch (IOException e) {
            String where = config.listenHost() != null ? config.listenHost() : listen != null
                    ? listen.bind().getHostAddress() : "every interface";
            throw new PeerException("Cannot listen on " + where + ":" + config.listenPort() + ": "
                    + e.getMessage(), e);
        }
        if (!listen.loopbackOnly() && config.advertisedPort() == 0) {
            portMapping = PortMapping.forDefaultGateway(server.port(), timer).orElse(null);
            if (portMapping != null) {
                portMapping.open(); // in the background: usually answered before the user logs in
            }
        }
        listen.warning().ifPresent(warning -> {
            LOG.warn("{}", warning);
            events.emit(new PeerEvent.Notice(warning));
        });
        watcher.relayOffers(this::meetAtRelay);
        links.punchesVia(this::askPunch, server.bindAddress(), server.port());
        watcher.punches(this::punchBack);
        timer.scheduleWithFixedDelay(this::closeIdleLinks, IDLE_SWEEP.toMillis(), IDLE_SWEEP.toMillis(),
                TimeUnit.MILLISECONDS);
        events.emit(new PeerEvent.ConnectionChanged(ConnectionState.CONNECTED, "connected to the registry at "
                + config.registryHost() + ":" + config.registryPort()));
    }

    /** CONNECT_BACK: has the registry ask {@code username}, whom this peer cannot dial, to dial this peer. */
    private void askDialBack(String username) throws IOException {
        RegistryReply reply = registry.call(new RegistryRequest.ConnectBack(username));
        if (reply instanceof RegistryReply.ConnectBackResult result && result.status().isSuccess()) {
            return;
        }
        String why = reply instanceof RegistryReply.ConnectBackResult result && result.reason() != null
                ? result.reason() : reply instanceof ErrorReply error ? error.reason() : "the registry said " + reply;
        throw new IOException(why);
    }

    /** RELAY_TOKEN: a ticket to meet {@code username} at a relay (the registry tells them); its host resolved. */
    private RelayTicket askRelay(String username) throws IOException {
        RegistryReply reply = registry.call(new RegistryRequest.RelayToken(username));
        if (reply instanceof RegistryReply.RelayTokenResult result && result.status().isSuccess()) {
            return resolved(result.ticket());
        }
        String why = reply instanceof RegistryReply.RelayTokenResult result && result.reason() != null
                ? result.reason() : reply instanceof ErrorReply error ? error.reason() : "the registry said " + reply;
        throw new IOException(why);
    }

    /** PUNCH: has the registry coordinate a hole punch with {@code username}; where and when to dial them. */
    private HolePunch.Plan askPunch(String username) throws IOException {
        RegistryReply reply = registry.call(new RegistryRequest.Punch(username));
        if (reply instanceof RegistryReply.PunchResult result && result.status().isSuccess()) {
            return new HolePunch.Plan(result.observed().address(), result.observed().port(), result.delay());
        }
        String why = reply instanceof RegistryReply.PunchResult result && result.reason() != null
                ? result.reason() : reply instanceof ErrorReply error ? error.reason() : "the registry said " + reply;
        throw new IOException(why);
    }

    /**
     * PUNCH_NOW: dials the asker from the listening port at the registry's moment, counted from now (the push's
     * arrival), off the registry's reader thread, and serves the link that forms.
     */
    private void punchBack(RegistryPush.PunchNow punch) {
        long arrived = System.nanoTime();
        if (config.advertisedPort() != 0) {
            // As with DIAL_BACK: a forward set up by hand is the way to this peer, and a break in it must show.
            LOG.info("Not punching a hole to {}: this peer is reached through its advertised port only",
                    punch.username());
            return;
        }
        HolePunch.Plan plan = new HolePunch.Plan(punch.observed().address(), punch.observed().port(), punch.delay());
        Thread.ofVirtual().name("punch-to-" + punch.username()).start(() -> {
            try {
                server.acceptPunched(plan, arrived);
                LOG.info("Punched a hole to {} at its request", punch.username());
            } catch (IOException e) {
                LOG.info("No hole punched to {}: {}", punch.username(), e.getMessage());
            }
        });
    }

    /** The registry's own relay is at the host this peer reaches the registry at. */
    private RelayTicket resolved(RelayTicket ticket) {
        return new RelayTicket(ticket.hostOr(config.registryHost()), ticket.port(), ticket.fingerprint(),
                ticket.token());
    }

    /** RELAY_OFFER: off the registry's reader thread, since joining waits for the asker at the relay. */
    private void meetAtRelay(RegistryPush.RelayOffer offer) {
        if (config.advertisedPort() != 0) {
            // As with DIAL_BACK: a forward set up by hand is the way to this peer, and a break in it must show.
            LOG.info("Not meeting {} at a relay: this peer is reached through its advertised port only",
                    offer.username());
            return;
        }
        Thread.ofVirtual().name("relay-for-" + offer.username()).start(() -> {
            try {
                server.acceptViaRelay(resolved(offer.ticket()));
                LOG.info("Met {} at a relay at its request", offer.username());
            } catch (IOException e) {
                LOG.info("Could not meet {} at the relay: {}", offer.username(), e.getMessage());
            }
        });
    }

    /** Links nobody used for a while cost a socket and a thread on both sides: close them; they reopen on demand. */
    private void closeIdleLinks() {
        try {
            int incoming = server.closeIdleLinks();
            int outgoing = links.closeIdle(OUTGOING_LINK_IDLE);
            if (incoming + outgoing > 0) {
                LOG.debug("Closed {} idle incoming and {} idle outgoing peer links", incoming, outgoing);
            }
        } catch (RuntimeException e) {
            LOG.error("Closing idle peer links failed", e);
        }
    }

    // ---------------------------------------------------------------- account

    public void register(String username, char[] password) throws PeerException {
        checkName("username", username);
        checkPassword(password);
        account.register(username, PasswordDigest.sha256Hex(password));
    }

    /** Logs in; undelivered messages this user left in the outbox are retried from now on. */
    public void login(String username, char[] password) throws PeerException {
        checkName("username", username);
        checkPassword(password);
        String digest = PasswordDigest.sha256Hex(password);
        userLock.lock();
        try {
            // With an advertised port a forward or proxy stands in front of this peer on purpose: others are
            // told only that address, never a way around it.
            List<Candidate> candidates = candidatesNow();
            registry.session().announceCandidatesFrom(this::candidatesNow);
            account.login(username, digest, advertisedPort(), identity.fingerprint(),
                    CertificateText.encode(identity.certificate()), candidates);
            history.recent(username).forEach(events::emit);
            mailbox.loggedIn();
            files.loggedIn();
        } finally {
            userLock.unlock();
        }
    }

    /** What to announce at login and again at each reconnect (the machine may have moved meanwhile). */
    private List<Candidate> candidatesNow() {
        return announced != null ? announced
                : config.advertisedPort() != 0 ? List.of() : withMapped(LocalCandidates.of(listen, server.port()));
    }

    /** The local candidates, and first the address the home router forwards to this peer, if it does. */
    private List<Candidate> withMapped(List<Candidate> local) {
        PortMapping mapping = portMapping;
        if (mapping == null) {
            return local;
        }
        mapping.open();
        Optional<Candidate> mapped = mapping.candidate(PORT_MAPPING_WAIT);
        if (mapped.isEmpty() || local.stream().anyMatch(mapped.get()::sameEndpoint)) {
            return local;
        }
        List<Candidate> all = new java.util.ArrayList<>(local.size() + 1);
        all.add(mapped.get());
        all.addAll(local);
        return List.copyOf(all.subList(0, Math.min(all.size(), Candidate.MAX_CANDIDATES)));
    }

    /** Logs out. Undelivered messages stay in the outbox and are retried at the next login. */
    public void logout() throws PeerException {
        userLock.lock();
        try {
            account.logout();
            mailbox.loggedOut();
            PortMapping mapping = portMapping;
            if (mapping != null) {
                mapping.close(); // deleted at logout; asked for again at the next login
            }
        } finally {
            userLock.unlock();
        }
    }

    /** The logged-in user, or null. */
    public String username() {
        return status.username();
    }

    public ConnectionState state() {
        return status.connection();
    }

    /** The port this peer's server listens on. */
    public int port() {
        return server.port();
    }

    /** Where this peer's server listens, and why. */
    public ListenPolicy listenPolicy() {
        return listen;
    }

    /** The SHA-256 fingerprint of this peer's certificate, as the registry lists it for others. */
    public String fingerprint() {
        return identity.fingerprint();
    }

    // ---------------------------------------------------------------- rooms and users

    public List<RoomSummary> rooms(boolean detailed) throws PeerException {
        return rooms.list(detailed);
    }

    public void createRoom(String name, char[] password, int capacity, String description) throws PeerException {
        checkName("room name", name);
        checkRoom(capacity, description);
        rooms.create(name, roomPassword(password), capacity, description);
    }

    /** Joins a room and fetches its members; room messages can be sent and received from now on. */
    public void joinRoom(String name, char[] password) throws PeerException {
        checkName("room name", name);
        String digest = roomPassword(password);
        userLock.lock();
        try {
            backlog.fetchLater(rooms.join(name, digest));
        } finally {
            userLock.unlock();
        }
    }

    /** Leaves the one room the user is in; refused when in several (say which with {@link #leaveRoom(String)}). */
    public void leaveRoom() throws PeerException {
        leaveRoom(null);
    }

    /** Leaves {@code name} and stays in the other rooms; null: as {@link #leaveRoom()}. */
    public void leaveRoom(String name) throws PeerException {
        userLock.lock();
        try {
            rooms.leave(name);
        } finally {
            userLock.unlock();
        }
    }

    /** The first room joined of those the user is in (what a one-room client shows). */
    public Optional<String> currentRoom() {
        return room.room();
    }

    /** Every room the user is in, in the order joined. */
    public List<String> joinedRooms() {
        return room.rooms();
    }

    /** Everyone in the current room, this user included, as last reported by the registry. */
    public List<PeerInfo> roomMembers() {
        return room.room().map(room::members).orElse(List.of());
    }

    /** Everyone in {@code name}, this user included; empty when the user is not in it. */
    public List<PeerInfo> roomMembers(String name) {
        return room.members(name);
    }

    public List<PeerInfo> onlineUsers() throws PeerException {
        return users.online();
    }

    public PeerInfo search(String username) throws PeerException {
        return users.find(username);
    }

    // ---------------------------------------------------------------- one-to-one chats

    /**
     * Finds the user, connects to their peer server and asks them to chat. Returns once the request is sent;
     * the answer arrives as {@link PeerEvent.ChatAccepted}, {@link PeerEvent.ChatRejected} or
     * {@link PeerEvent.ChatRequestFailed}.
     */
    public void requestChat(String username) throws PeerException {
        chatRequests.request(username);
    }

    /** Accepts {@code username}'s chat request, or their message requests (which are shown then), or both. */
    public void acceptChat(String username) throws PeerException {
        if (!mailbox.answerRequests(username, true) || chats.hasRequestFrom(username)) {
            chatRequests.answer(username, true);
        }
    }

    /** Declines {@code username}'s chat request, or deletes their message requests unread, or both. */
    public void rejectChat(String username) throws PeerException {
        if (!mailbox.answerRequests(username, false) || chats.hasRequestFrom(username)) {
            chatRequests.answer(username, false);
        }
    }

    /**
     * Sends {@code text} to {@code username}, with whom there is no open chat and who is offline, as a message
     * request: it waits sealed in their mailbox until they accept it (then it is shown and receipted) or reject it.
     * Empty, and nothing sent, when they are online: ask with {@link #requestChat} then.
     */
    public Optional<String> sendMessageRequest(String username, String text) throws PeerException {
        return sender.sendMessageRequest(username, text);
    }

    /**
     * How the link to {@code username} was opened (direct, LAN, mapped, reversed, relayed), while one is open; empty otherwise.
     */
    public Optional<dev.p2pchat.peer.mesh.LinkRoute> linkRoute(String username) {
        return links.route(username);
    }

    /** Chats with these users are open: messages may be sent to them and are accepted from them. */
    public Set<String> openChats() {
        return chats.openChats();
    }

    /** Users whose chat requests await this user's answer. */
    public Set<String> pendingChatRequests() {
        Set<String> all = new java.util.TreeSet<>(chats.pendingRequesters());
        all.addAll(mailbox.requesters());
        return Set.copyOf(all);
    }

    /** Closes the chat on this side; further messages from that user are refused. */
    public void closeChat(String username) throws PeerException {
        if (!chats.close(username)) {
            throw new PeerException("You have no open chat with " + username + ".");
        }
        events.emit(new PeerEvent.ChatClosed(username, "you closed the chat"));
        // Tell them off this thread: the user need not wait for a partner that may be gone.
        Thread.ofVirtual().name("chat-closed").start(() -> chatRequests.tellClosed(Set.of(username),
                PeerRequest.ChatClosed.Cause.CLOSED, CHAT_CLOSED_PATIENCE));
    }

    /**
     * Sends a message in an open chat and returns its id. It is kept in the outbox until {@code username}
     * confirms it ({@link PeerEvent.Delivered}) or the delivery window ends ({@link PeerEvent.DeliveryFailed}).
     */
    public String sendDirect(String username, String text) throws PeerException {
        return sender.sendDirect(username, text);
    }

    /**
     * Sends a message to every other member of the one room the user is in, in parallel over the mesh, and returns
     * its id; refused when in several (say which with {@link #sendToRoom(String, String)}). Each member's outcome
     * arrives as Delivered or DeliveryFailed, then one RoomDeliveryReport.
     */
    public String sendToRoom(String text) throws PeerException {
        return sender.sendToRoom(null, text);
    }

    /** Sends a message to every other member of {@code room} (one of the user's rooms), as {@link #sendToRoom(String)}. */
    public String sendToRoom(String room, String text) throws PeerException {
        return sender.sendToRoom(room, text);
    }

    // ---------------------------------------------------------------- files

    /**
     * Offers {@code file} to {@code username} in their open chat (name, size, SHA-256); returns once they were shown
     * the offer. What follows arrives as {@link PeerEvent.FileTransfer} events. Refused before anything is sent
     * when the file is larger than the size cap.
     */
    public void sendFile(String username, java.nio.file.Path file) throws PeerException {
        files.offer(username, file);
    }

    /**
     * Accepts {@code username}'s oldest file offer into {@code dir} (null: {@link #downloadDir()}), or resumes
     * their interrupted transfer where it stopped; returns once the bytes are on their way.
     */
    public void getFile(String username, java.nio.file.Path dir) throws PeerException {
        files.get(username, dir);
    }

    /** Declines {@code username}'s oldest file offer (or gives up their interrupted transfer); they are told. */
    public void declineFile(String username) throws PeerException {
        files.decline(username);
    }

    /** Where accepted files go by default: {@code <data-dir>/downloads}. */
    public java.nio.file.Path downloadDir() {
        return files.downloads();
    }

    /** The size cap for files either way ({@code --max-file-size}). */
    public void maxFileSize(long bytes) {
        FileTransfers.Settings s = files.settings();
        files.settings(new FileTransfers.Settings(bytes, s.bytesPerSecond(), s.offerName()));
    }

    /** Tests only: this peer sends files at most this fast, and offers them under {@code offerName} (null: own). */
    /**
     * Tests only: asks the home router again for the port mapping, for {@code lifetime} (renewed at half of it) from
     * now on, so that a test sees the renewals on a real router. Nothing happens without a mapping router.
     */
    public void portMappingLifetimeForTests(Duration lifetime) {
        PortMapping mapping = portMapping;
        if (mapping != null) {
            mapping.lifetime(lifetime);
        }
    }

    public void fileTestSettings(long bytesPerSecond, String offerName) {
        FileTransfers.Settings s = files.settings();
        files.settings(new FileTransfers.Settings(s.maxFileSize(), bytesPerSecond, offerName));
    }

    // ---------------------------------------------------------------- contacts

    /** The logged-in user's pinned contacts, by name. */
    public List<Contact> contacts() throws PeerException {
        return keys.book().list(status.requireLogin());
    }

    /**
     * The safety number of this user's key and {@code username}'s: of the new key when it changed (to compare
     * before {@link #trust}), else of the pinned one. Asks the registry for the certificate when only a link's
     * fingerprint was pinned, and then only takes it if it is the pinned key.
     */
    public Verification safetyNumber(String username) throws PeerException {
        String me = status.requireLogin();
        checkName("username", username);
        Contact contact = keys.book().get(me, username).orElse(null);
        if (contact == null || (contact.offered() == null ? contact.certificate() : contact.offeredCertificate()) == null) {
            try {
                directory.lookup(username); // pins (or records as offered) what the registry hands out
            } catch (IOException e) {
                throw Failures.unreachable(e);
            }
            contact = keys.book().get(me, username).orElseThrow(() -> new PeerException(
                    "You have no key for " + username + " yet."));
        }
        boolean offered = contact.offered() != null;
        String text = offered ? contact.offeredCertificate() : contact.certificate();
        if (text == null) {
            throw new PeerException("The registry has not handed out " + username + "'s certificate yet; try again "
                    + "once " + username + " has logged in with this version.");
        }
        java.security.cert.X509Certificate theirs;
        try {
            theirs = CertificateText.decode(text);
        } catch (IllegalArgumentException e) {
            throw new PeerException(username + "'s certificate cannot be read: " + e.getMessage(), e);
        }
        String number = SafetyNumber.of(me, identity.certificate().getPublicKey(), contact.user(),
                theirs.getPublicKey());
        return new Verification(contact, number, offered ? contact.offered() : contact.fingerprint(), offered);
    }

    /** The user compared the safety number with {@code username}'s: the pinned key is marked verified. */
    public Contact markVerified(String username) throws PeerException {
        String me = status.requireLogin();
        Contact contact = keys.book().markVerified(me, username).orElseThrow(() -> new PeerException(
                "You have no key for " + username + " yet; /verify " + username + " first."));
        if (contact.offered() != null) {
            throw new PeerException(username + "'s key changed: /trust " + username + " first, then /verify "
                    + username + " confirm.");
        }
        return contact;
    }

    /**
     * Accepts {@code username}'s new key: it is pinned (unverified), the messages waiting for it go, and the
     * items from it that waited in the mailbox are opened.
     */
    public Contact trust(String username) throws PeerException {
        String me = status.requireLogin();
        Contact before = keys.book().get(me, username).orElseThrow(() -> new PeerException(
                "You have no key for " + username + " yet: nothing to trust."));
        if (before.offered() == null) {
            throw new PeerException(username + "'s key has not changed: nothing to trust.");
        }
        Contact trusted = keys.book().trustOffered(me, username).orElseThrow();
        LOG.info("{} trusted {}'s new key {}", me, username, trusted.fingerprint());
        directory.forget(username);
        deliveries.retryNow();
        mailbox.trusted(username);
        return trusted;
    }

    // ---------------------------------------------------------------- history

    /** Whether conversations are kept ({@code --no-history} turns it off). */
    public boolean keepsHistory() {
        return history.enabled();
    }

    /**
     * The last {@code n} messages of a conversation, oldest first.
     *
     * @param conversation {@code @user} or {@code #room} ({@link HistoryLine#direct}, {@link HistoryLine#room})
     */
    public List<HistoryLine> history(String conversation, int n) throws PeerException {
        String me = status.requireLogin();
        try {
            return history.store().last(me, conversation, Math.max(1, Math.min(n, 1000)));
        } catch (IOException e) {
            throw new PeerException("Cannot read the chat history: " + e.getMessage(), e);
        }
    }

    /** Messages of every conversation with all these words (or words starting so), newest first. */
    public List<HistoryLine> searchHistory(String words, int limit) throws PeerException {
        String me = status.requireLogin();
        try {
            return history.store().search(me, words, Math.max(1, Math.min(limit, 1000)));
        } catch (IOException e) {
            throw new PeerException("Cannot search the chat history: " + e.getMessage(), e);
        }
    }

    /** Deletes a conversation's history; how many messages were deleted. */
    public int forgetHistory(String conversation) throws PeerException {
        String me = status.requireLogin();
        try {
            return history.store().forget(me, conversation);
        } catch (IOException e) {
            throw new PeerException("Cannot delete from the chat history: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- lifecycle

    /** Logs out (if the registry is reachable), stops the server and every link. Pending messages stay queued. */
    @Override
    public void close() {
        if (status.isClosed()) {
            return;
        }
        RegistrySession session = registry.session();
        if (status.username() != null) {
            chatRequests.tellOpenChatsClosed(PeerRequest.ChatClosed.Cause.LOGOUT, CHAT_CLOSED_PATIENCE);
        }
        status.markClosed();
        deliveries.close();
        mailbox.close();
        files.close();
        if (status.username() != null && session != null && session.isConnected()) {
            try {
                session.logout();
            } catch (IOException e) {
                LOG.debug("Logout while closing failed: {}", e.toString());
            }
        }
        status.loggedOut();
        if (server != null) {
            server.close();
        }
        links.close();
        PortMapping mapping = portMapping;
        if (mapping != null) {
            mapping.close();
        }
        if (session != null) {
            session.close();
        }
        timer.shutdownNow();
        status.connection(ConnectionState.OFFLINE);
        events.emit(new PeerEvent.ConnectionChanged(ConnectionState.OFFLINE, "closed"));
        events.close();
        history.close();
    }

    // ---------------------------------------------------------------- test hooks (package-private)

    /** Breaks every peer-to-peer link, both directions, as a network failure would. */
    void dropPeerLinks() {
        links.dropAll("simulated network failure");
        server.dropConnections();
    }

    /**
     * Never asks for a dial-back, a hole punch nor a relay (tests whose proxy cuts only the way to the other peer: a dial-back or
     * a relay would go around the simulated outage).
     */
    void askForNoDialBacks() {
        links.dialBacksVia(Links.DialBackRequest.NONE);
        links.relaysVia(Links.RelayTickets.NONE);
        links.punchesVia(Links.Punches.NONE, server.bindAddress(), server.port());
    }

    /** Announces {@code candidates} at the next login instead of this machine's addresses. */
    void announceCandidates(List<Candidate> candidates) {
        announced = List.copyOf(candidates);
    }

    /**
     * Stops taking links (the open ones stay), as if this peer sat behind a NAT: nobody can dial it, and links to it
     * open by dial-back or relay. Public for {@code bench path}, which measures those rungs on loopback.
     */
    public void stopListening() {
        server.stopAccepting();
    }

    /** Breaks the registry connection, as a network failure would. */
    void dropRegistryConnection() {
        registry.session().dropConnection("simulated network failure");
    }

    /** Stops everything without telling anyone (no LOGOUT, no CHAT_CLOSED), as a crash or a power cut would. */
    void crash() {
        status.markClosed();
        files.close();
        deliveries.close();
        mailbox.close();
        server.close();
        links.close();
        RegistrySession session = registry.session();
        if (session != null) {
            session.close();
        }
        timer.shutdownNow();
        events.close();
        history.close();
    }

    /** Stops the keep-alives, so that the registry times this session out. */
    void silenceKeepAlive() {
        registry.session().silenceKeepAlive();
    }

    int pendingDeliveries() {
        return deliveries.pending();
    }

    // ---------------------------------------------------------------- helpers

    private int advertisedPort() {
        return config.advertisedPort() != 0 ? config.advertisedPort() : server.port();
    }
}
