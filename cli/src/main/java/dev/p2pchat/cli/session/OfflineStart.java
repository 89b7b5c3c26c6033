package dev.p2pchat.cli.session;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.p2pchat.peer.ConnectionState;
import dev.p2pchat.peer.Peer;
import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.peer.contacts.Contact;
import dev.p2pchat.peer.contacts.Verification;
import dev.p2pchat.peer.history.HistoryLine;
import dev.p2pchat.peer.PeerListener;
import dev.p2pchat.peer.registry.Backoff;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RoomSummary;

/**
 * The interactive client when the registry did not answer at start: the chat opens offline (the prompt
 * says so) and the peer is started in the background, again and again with a growing pause, until the
 * registry answers; from then on every call goes to the real peer. Until then, anything that needs the
 * network fails with one clear sentence, and nothing else is pretended.
 */
public final class OfflineStart implements ChatPeer, AutoCloseable {

    /** Starts the real peer (connecting to the registry) reporting to {@code listener}; {@link Peer#start} in the app. */
    @FunctionalInterface
    public interface Starter {
        Peer start(PeerListener listener) throws PeerException;
    }

    /** Waits between attempts; a real sleep in the app, instant in tests. */
    @FunctionalInterface
    public interface Pause {
        void pause(Duration duration) throws InterruptedException;
    }

    static final Duration FIRST_PAUSE = Duration.ofSeconds(1);
    static final Duration LONGEST_PAUSE = Duration.ofSeconds(30);

    private static final Logger log = LoggerFactory.getLogger(OfflineStart.class);

    private final Starter starter;
    private final Pause pause;
    private final PeerListener events;
    private final String registry;
    private final CompletableFuture<ChatPeer> started = new CompletableFuture<>();
    private volatile Peer peer;
    private volatile ChatPeer delegate;
    private volatile boolean closed;
    private Thread retries;

    /**
     * @param events   where the first failure is reported (as {@link ConnectionState#OFFLINE}); the real
     *                 peer reports its own connection once started
     * @param registry "host:port", for the messages
     */
    public OfflineStart(Starter starter, Pause pause, PeerListener events, String registry) {
        this.starter = Objects.requireNonNull(starter, "starter");
        this.pause = Objects.requireNonNull(pause, "pause");
        this.events = Objects.requireNonNull(events, "events");
        this.registry = Objects.requireNonNull(registry, "registry");
    }

    /** Reports {@code firstFailure} and starts retrying in the background. */
    public OfflineStart retryAfter(PeerException firstFailure) {
        events.onEvent(new PeerEvent.ConnectionChanged(ConnectionState.OFFLINE, "the registry at " + registry
                + " does not answer (" + firstFailure.getMessage() + "); trying again in the background"));
        retries = Thread.ofPlatform().name("offline-start").daemon(true).start(this::retry);
        return this;
    }

    /** Completes with the real peer once it has started. */
    public CompletableFuture<ChatPeer> started() {
        return started;
    }

    private void retry() {
        Backoff backoff = new Backoff(FIRST_PAUSE, LONGEST_PAUSE, () -> 0.0);
        for (int attempt = 0; !closed; attempt++) {
            try {
                pause.pause(backoff.nominal(attempt));
            } catch (InterruptedException e) {
                return;
            }
            if (closed) {
                return;
            }
            try {
                Peer ready = starter.start(this::fromAttempt);
                synchronized (this) {
                    if (closed) {
                        ready.close();
                        return;
                    }
                    peer = ready;
                    delegate = new PeerAdapter(ready);
                }
                started.complete(delegate);
                return;
            } catch (PeerException | RuntimeException e) {
                log.info("registry at {} still does not answer: {}", registry, e.getMessage());
            }
        }
    }

    /**
     * Events of a start attempt: a failed attempt closes its half-built peer, which reports "offline:
     * closed"; the user was told once that the registry does not answer, and is not told again each time.
     */
    private void fromAttempt(PeerEvent event) {
        if (delegate == null && event instanceof PeerEvent.ConnectionChanged c && c.state() == ConnectionState.OFFLINE) {
            log.debug("start attempt: {}", c.detail());
            return;
        }
        events.onEvent(event);
    }

    @Override
    public void close() {
        Peer toClose;
        synchronized (this) {
            closed = true;
            toClose = peer;
        }
        if (retries != null) {
            retries.interrupt();
        }
        if (toClose != null) {
            toClose.close();
        }
    }

    private ChatPeer online() throws PeerException {
        ChatPeer now = delegate;
        if (now == null) {
            throw new PeerException("offline: the registry at " + registry + " has not answered yet — still trying");
        }
        return now;
    }

    @Override public void register(String username, char[] password) throws PeerException { online().register(username, password); }
    @Override public void login(String username, char[] password) throws PeerException { online().login(username, password); }
    @Override public void logout() throws PeerException { online().logout(); }
    @Override public List<RoomSummary> rooms(boolean detailed) throws PeerException { return online().rooms(detailed); }

    @Override
    public void createRoom(String name, char[] password, int capacity, String description) throws PeerException {
        online().createRoom(name, password, capacity, description);
    }

    @Override public void joinRoom(String name, char[] password) throws PeerException { online().joinRoom(name, password); }
    @Override public void leaveRoom() throws PeerException { online().leaveRoom(); }
    @Override public Optional<String> currentRoom() { return delegate == null ? Optional.empty() : delegate.currentRoom(); }
    @Override public List<PeerInfo> roomMembers() throws PeerException { return online().roomMembers(); }
    @Override public void leaveRoom(String room) throws PeerException { online().leaveRoom(room); }
    @Override public List<String> joinedRooms() { return delegate == null ? List.of() : delegate.joinedRooms(); }
    @Override public List<PeerInfo> roomMembers(String room) throws PeerException { return online().roomMembers(room); }
    @Override public String sendToRoom(String room, String text) throws PeerException { return online().sendToRoom(room, text); }
    @Override public List<PeerInfo> onlineUsers() throws PeerException { return online().onlineUsers(); }
    @Override public PeerInfo search(String username) throws PeerException { return online().search(username); }
    @Override public void requestChat(String username) throws PeerException { online().requestChat(username); }
    @Override public void acceptChat(String username) throws PeerException { online().acceptChat(username); }
    @Override public void rejectChat(String username) throws PeerException { online().rejectChat(username); }
    @Override public void closeChat(String username) throws PeerException { online().closeChat(username); }
    @Override public Set<String> openChats() { return delegate == null ? Set.of() : delegate.openChats(); }
    @Override public Set<String> pendingChatRequests() { return delegate == null ? Set.of() : delegate.pendingChatRequests(); }
    @Override public String sendDirect(String username, String text) throws PeerException { return online().sendDirect(username, text); }
    @Override public Optional<String> sendMessageRequest(String username, String text) throws PeerException { return online().sendMessageRequest(username, text); }
    @Override public String sendToRoom(String text) throws PeerException { return online().sendToRoom(text); }
    @Override public String username() { return delegate == null ? null : delegate.username(); }
    @Override public ConnectionState state() { return delegate == null ? ConnectionState.OFFLINE : delegate.state(); }
    @Override public List<Contact> contacts() throws PeerException { return online().contacts(); }
    @Override public Verification safetyNumber(String username) throws PeerException { return online().safetyNumber(username); }
    @Override public Contact markVerified(String username) throws PeerException { return online().markVerified(username); }
    @Override public Contact trust(String username) throws PeerException { return online().trust(username); }
    @Override public List<HistoryLine> history(String conversation, int n) throws PeerException { return online().history(conversation, n); }
    @Override public List<HistoryLine> searchHistory(String words, int limit) throws PeerException { return online().searchHistory(words, limit); }
    @Override public int forgetHistory(String conversation) throws PeerException { return online().forgetHistory(conversation); }
}
