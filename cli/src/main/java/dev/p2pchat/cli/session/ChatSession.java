package dev.p2pchat.cli.session;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SequencedSet;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import dev.p2pchat.cli.command.Command;
import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.cli.command.HelpText;
import dev.p2pchat.peer.files.FileNotice;
import dev.p2pchat.peer.ConnectionState;
import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.peer.PeerListener;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RoomSummary;

/**
 * The chat client's logic, shared by the terminal UI and line mode: turns each {@link Command} into
 * calls on a {@link ChatPeer} and each {@link PeerEvent} into output on a {@link ChatView}, and keeps
 * track of the current conversation, the chat requests this user made, and the messages still
 * waiting for a receipt.
 *
 * <p>Commands run on the caller's thread (blocking on the network), events arrive on the peer's
 * dispatcher thread; state and output are serialised by one lock that is never held across a network
 * call. It never lets an exception escape to the UI: every failure becomes one error line.
 */
public final class ChatSession implements PeerListener {

    /** What the UI should do after a command. */
    public enum Next { CONTINUE, QUIT }

    private static final Logger log = LoggerFactory.getLogger(ChatSession.class);
    private static final int MAX_EARLY_RECEIPTS = 1_000;
    private static final int MAX_REMEMBERED_ROOM_SENDS = 10_000;
    private static final Duration NAMES_STALE_AFTER = Duration.ofSeconds(5);
    /** A sender's own timestamp is shown only this close to the receive time. */
    static final Duration CLAIM_TRUSTED_WITHIN = Duration.ofMinutes(1);
    /** An unanswered chat request lapses after this: one received is declined, one made may be made again. */
    static final Duration REQUEST_EXPIRY = Duration.ofMinutes(5);

    private final ChatPeer peer;
    private final ChatView view;
    private final PasswordSource passwords;
    private final Clock clock;
    private final Object lock = new Object();
    private final AtomicInteger failedCommands = new AtomicInteger();
    /** Settings /set changes at once; the others take effect at the next start. */
    private static final Set<String> LIVE_SETTINGS = Set.of("notify", "timestamps");
    private volatile SettingsStore settings = SettingsStore.none();

    // Everything below is guarded by lock.
    private Conversation current;
    private final Set<String> requestedChats = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> chatRequestsReceived = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Users whose message requests wait unread in the mailbox: they never expire here (the mailbox's TTL ends them). */
    private final Set<String> messageRequestsReceived = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** When each chat request was made here or arrived: unanswered, it expires after {@link #REQUEST_EXPIRY}. */
    private final Map<String, Instant> requestedAt = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    private final Map<String, Instant> receivedAt = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    /** Chats this user is closing with /close: their ChatClosed event is worded as this user's doing. */
    private final Set<String> closingHere = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Sent message id → where it went, until its receipt arrives. */
    private final Map<String, Conversation> awaitingReceipt = new HashMap<>();
    /** Ids of room messages: their per-member receipts are covered by the room report. */
    private final SequencedSet<String> roomSends = new LinkedHashSet<>();
    /** Receipts that arrived while a send was still returning its id. */
    private final Deque<Pending> earlyReceipts = new ArrayDeque<>();
    private int sendsInFlight;
    private final Set<String> knownUsers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private final Set<String> knownRooms = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    /** Users whose messages are dropped here and whose chat requests are refused. */
    private final Set<String> ignored = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
    private Instant namesRefreshed = Instant.EPOCH;
    /** The user the prompt names, as last shown. */
    private String shownUser;
    private boolean ended;
    /** The view was last told the registry is unreachable (so coming back is news, even logged out). */
    private boolean shownOffline;

    private record Pending(String id, Receipt receipt) {}

    public ChatSession(ChatPeer peer, ChatView view, PasswordSource passwords, Clock clock) {
        this.peer = Objects.requireNonNull(peer, "peer");
        this.view = Objects.requireNonNull(view, "view");
        this.passwords = Objects.requireNonNull(passwords, "passwords");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Where /set and /save keep the settings. */
    public ChatSession settings(SettingsStore store) {
        this.settings = Objects.requireNonNull(store, "store");
        return this;
    }

    /** Runs one command; never throws. */
    public Next handle(Command command) {
        return handle(command, passwords);
    }

    /**
     * Runs one command, asking {@code passwords} for a password it needs (the terminal UI asks on its input
     * thread before handing the command over, since commands run on another thread); never throws.
     */
    public Next handle(Command command, PasswordSource passwords) {
        Objects.requireNonNull(passwords, "passwords");
        try {
            // On the commands thread a network call may wait: the lapsed requests are declined before the
            // command runs, so an /accept of one fails plainly instead of racing the decline.
            for (String from : expireRequests()) {
                declineQuietly(from);
            }
            return run(command, passwords);
        } catch (PeerException e) {
            failedCommands.incrementAndGet();
            error(e.getMessage() == null || e.getMessage().isBlank() ? "the request failed" : e.getMessage());
        } catch (UserError e) {
            failedCommands.incrementAndGet();
            error(e.getMessage());
        } catch (RuntimeException e) {
            failedCommands.incrementAndGet();
            log.error("command {} failed", command.getClass().getSimpleName(), e);
            error("unexpected failure (" + e.getClass().getSimpleName() + "); details are in the log");
        }
        return Next.CONTINUE;
    }

    /** How many commands failed so far (refused, unknown, or answered with an error); line mode exits non-zero if any. */
    public int failedCommands() {
        return failedCommands.get();
    }

    private Next run(Command command, PasswordSource passwords) throws PeerException, UserError {
        switch (command) {
            case Command.Empty ignored -> { }
            case Command.Invalid invalid -> {
                failedCommands.incrementAndGet();
                error(invalid.message());
            }
            case Command.Say say -> send(requireCurrent(), say.text());
            case Command.Msg msg -> send(new Conversation.Direct(msg.name()), msg.text());
            case Command.Register register -> register(register.name(), password(register.name(), register.password(), true, passwords));
            case Command.Login login -> login(login.name(), password(login.name(), login.password(), false, passwords));
            case Command.Logout ignored -> logout();
            case Command.Users ignored -> users();
            case Command.Search search -> search(search.name());
            case Command.Chat chat -> chat(chat.name());
            case Command.Accept accept -> accept(accept.name());
            case Command.Reject reject -> reject(reject.name());
            case Command.Close close -> close(close.name());
            case Command.Chats ignored -> chats();
            case Command.Rooms rooms -> rooms(rooms.detailed());
            case Command.Create create -> create(create);
            case Command.Join join -> join(join.name(), join.password());
            case Command.Leave leave -> leave(leave.room());
            case Command.Me me -> send(requireCurrent(), me.text());
            case Command.Ignore ignore -> ignore(ignore.name());
            case Command.Unignore unignore -> unignore(unignore.name());
            case Command.Who ignored -> who();
            case Command.Verify verify -> show(ContactLines.verify(peer, verify.name(), verify.confirm()));
            case Command.Trust trust -> show(ContactLines.trust(peer, trust.name()));
            case Command.Contacts ignored -> show(ContactLines.contacts(peer));
            case Command.History h -> show(HistoryLines.history(peer, requireCurrent(),
                    h.lines().orElse(HistoryLines.DEFAULT_LINES)));
            case Command.Find f -> show(HistoryLines.find(peer, f.words()));
            case Command.Forget f -> show(HistoryLines.forget(peer, f.target().isPresent() ? f.target().get()
                    : requireCurrent()));
            case Command.Path path -> path(path.name());
            case Command.SendFile f -> {
                requireLoggedIn();
                peer.sendFile(f.name(), java.nio.file.Path.of(f.file()));
            }
            case Command.GetFile f -> {
                requireLoggedIn();
                peer.getFile(f.name(), f.dir().map(java.nio.file.Path::of).orElse(null));
            }
            case Command.DeclineFile f -> {
                requireLoggedIn();
                peer.declineFile(f.name());
            }
            case Command.Switch target -> switchTo(target.target());
            case Command.SwitchBuffer ignored -> throw new UserError("buffer numbers are for the interactive chat — /switch NAME or #ROOM");
            case Command.Help help -> help(help.command());
            case Command.Set set -> {
                String value = settings.set(set.key(), set.value());
                synchronized (lock) {
                    view.settingChanged(set.key(), value);
                    notice(set.key() + " = " + value + (LIVE_SETTINGS.contains(set.key()) ? "" : " (from the next start)")
                            + " — /save keeps it");
                }
            }
            case Command.Save ignored -> notice("saved the settings to " + settings.save(ignoredNames()));
            case Command.Quit ignored -> {
                return Next.QUIT;
            }
        }
        return Next.CONTINUE;
    }

    // ---- accounts

    private void register(String name, char[] password) throws PeerException, UserError {
        try {
            peer.register(name, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        notice("registered " + name + " — now /login " + name);
    }

    private void login(String name, char[] password) throws PeerException, UserError {
        try {
            peer.login(name, password);
        } finally {
            Arrays.fill(password, '\0');
        }
        synchronized (lock) {
            current = null;
            notice("logged in as " + peer.username());
            stateChanged();
        }
    }

    private static char[] password(String name, Optional<String> typed, boolean newAccount, PasswordSource passwords)
            throws UserError {
        return typed.isPresent() ? typed.get().toCharArray() : passwords.password(name, newAccount);
    }

    private void logout() throws PeerException, UserError {
        requireLoggedIn();
        peer.logout();
        synchronized (lock) {
            forgetSession();
            notice("logged out");
            stateChanged();
        }
    }

    // ---- people

    private void users() throws PeerException, UserError {
        requireLoggedIn();
        // The registry lists everyone else; this user is left out even if a peer ever included them.
        String me = peer.username();
        List<String> names = peer.onlineUsers().stream().map(PeerInfo::username)
                .filter(name -> !name.equalsIgnoreCase(me)).toList();
        synchronized (lock) {
            knownUsers.addAll(names);
            notice(names.isEmpty() ? "nobody else is online"
                    : "online besides you: " + String.join(", ", names));
        }
    }

    private void search(String name) throws PeerException, UserError {
        requireLoggedIn();
        PeerInfo info = peer.search(name);
        if (info == null) {
            notice(name + " is not online");
            return;
        }
        synchronized (lock) {
            knownUsers.add(info.username());
            notice(info.username() + " is online" + (info.room() == null ? "" : " in room " + info.room())
                    + ", at " + info.ip() + ":" + info.port());
        }
    }

    private void chat(String name) throws PeerException, UserError {
        requireLoggedIn();
        if (name.equalsIgnoreCase(peer.username())) {
            throw new UserError("you cannot chat with yourself");
        }
        Optional<String> open = openChat(name);
        if (open.isPresent()) {
            switchTo(new Conversation.Direct(open.get()));
            return;
        }
        Optional<String> asking = peer.pendingChatRequests().stream().filter(name::equalsIgnoreCase).findFirst();
        if (asking.isPresent()) {
            // They asked first: asking back is answering yes, the chat simply opens.
            accept(asking.get());
            return;
        }
        synchronized (lock) {
            if (requestedChats.contains(name)) {
                notice("already asked " + name + " for a private chat; still waiting for an answer");
                return;
            }
            // Before asking: the answer may come back (on the event thread) before requestChat returns.
            requestedChats.add(name);
            requestedAt.put(name, now());
            knownUsers.add(name);
        }
        try {
            peer.requestChat(name);
        } catch (PeerException | RuntimeException e) {
            synchronized (lock) {
                requestedChats.remove(name);
                requestedAt.remove(name);
            }
            throw e;
        }
        synchronized (lock) {
            if (requestedChats.contains(name)) { // not answered yet
                notice("asked " + name + " for a private chat; waiting for an answer");
            }
        }
    }

    private void accept(String name) throws PeerException, UserError {
        requireLoggedIn();
        peer.acceptChat(name);
        synchronized (lock) {
            chatRequestsReceived.remove(name);
            messageRequestsReceived.remove(name);
            openedChat(name, "chat with " + name + " is open");
        }
    }

    /**
     * A chat just opened: it becomes the current conversation only if there was none, so a line being
     * typed for a room never lands in the private chat; otherwise the user switches when ready.
     */
    private void openedChat(String name, String what) {
        showOpenedChat(name, what);
        // Once per chat, when it opens: which rung of the ladder reached them.
        peer.linkPath(name).ifPresent(path -> notice("link to " + name + " — " + path));
    }

    private void path(String name) throws UserError {
        requireLoggedIn();
        String path = peer.linkPath(name).orElse("no link open now (one opens when you next write to " + name + ")");
        synchronized (lock) {
            notice("link to " + name + " — " + path);
        }
    }

    private void showOpenedChat(String name, String what) {
        if (current == null) {
            current = new Conversation.Direct(name);
            notice(what + " — what you type now goes to " + name);
            stateChanged();
        } else {
            notice(what + " — /switch " + name + " to talk to " + name + " (you are still in "
                    + (current instanceof Conversation.Room ? "#" : "") + current.name() + ")");
        }
    }

    private void reject(String name) throws PeerException, UserError {
        requireLoggedIn();
        peer.rejectChat(name);
        synchronized (lock) {
            boolean chatRequest = chatRequestsReceived.remove(name);
            if (messageRequestsReceived.remove(name)) {
                notice("deleted " + name + "'s message request unread" + (chatRequest ? " and declined their chat request" : ""));
                return;
            }
            notice("declined " + name + "'s chat request");
        }
    }

    private void close(Optional<String> typed) throws PeerException, UserError {
        requireLoggedIn();
        String name = typed.or(this::currentChatPartner)
                .orElseThrow(() -> new UserError("which chat? /close NAME — /chats lists the open ones"));
        String open = openChat(name).orElseThrow(() -> new UserError("no open chat with " + name + " — /chats lists the open ones"));
        synchronized (lock) {
            closingHere.add(open);
        }
        try {
            peer.closeChat(open);
        } catch (PeerException | RuntimeException e) {
            synchronized (lock) {
                closingHere.remove(open);
            }
            throw e;
        }
    }

    /** Open chats, then requests waiting for this user's answer, then this user's own unanswered requests. */
    private void chats() throws UserError {
        requireLoggedIn();
        Set<String> open = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        open.addAll(peer.openChats());
        Set<String> asking = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        asking.addAll(peer.pendingChatRequests());
        synchronized (lock) {
            Set<String> asked = new TreeSet<>(requestedChats);
            asked.removeAll(open);
            List<String> lines = new ArrayList<>();
            if (!open.isEmpty()) {
                lines.add("private chats: " + String.join(", ", open.stream().map(name ->
                        current instanceof Conversation.Direct direct && direct.name().equalsIgnoreCase(name)
                                ? name + " (current)" : name).toList()));
            }
            if (!asking.isEmpty()) {
                String one = asking.size() == 1 ? asking.iterator().next() : "NAME";
                lines.add("waiting for your answer: " + String.join(", ", asking) + " — /accept " + one + " or /reject " + one);
            }
            if (!asked.isEmpty()) {
                lines.add("waiting for their answer: " + String.join(", ", asked));
            }
            if (lines.isEmpty()) {
                notice("no private chats — /chat NAME to ask someone for one");
            } else {
                view.block(now(), lines);
            }
        }
    }

    // ---- rooms

    private void rooms(boolean detailed) throws PeerException, UserError {
        requireLoggedIn();
        List<RoomSummary> rooms = peer.rooms(detailed);
        synchronized (lock) {
            rooms.forEach(room -> knownRooms.add(room.name()));
            view.block(now(), RoomTable.lines(rooms, detailed, peer.joinedRooms()));
        }
    }

    private void create(Command.Create create) throws PeerException, UserError {
        requireLoggedIn();
        char[] password = create.password().map(String::toCharArray).orElse(null);
        try {
            peer.createRoom(create.name(), password, create.capacity().orElse(Command.Create.DEFAULT_CAPACITY),
                    create.description().orElse(null));
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        synchronized (lock) {
            knownRooms.add(create.name());
            notice("created room " + create.name() + " — /join " + create.name() + " to enter it");
        }
    }

    private void join(String name, Optional<String> typed) throws PeerException, UserError {
        requireLoggedIn();
        Optional<String> already = joinedRoom(name);
        if (already.isPresent()) {
            // In it already (one of several): what the user wants is its buffer.
            switchTo(new Conversation.Room(already.get()));
            return;
        }
        char[] password = typed.map(String::toCharArray).orElse(null);
        try {
            peer.joinRoom(name, password);
        } finally {
            if (password != null) {
                Arrays.fill(password, '\0');
            }
        }
        String room = joinedRoom(name).orElse(name);
        List<String> members = List.of();
        try {
            members = peer.roomMembers(room).stream().map(PeerInfo::username).toList();
        } catch (PeerException e) {
            log.debug("member list after join failed: {}", e.getMessage());
        }
        synchronized (lock) {
            knownRooms.add(room);
            knownUsers.addAll(members);
            current = new Conversation.Room(room);
            // The switch first, so the notice lands in the room's own buffer.
            stateChanged();
            view.roomNotice(now(), room, "joined " + room + (members.isEmpty() ? "" : " — members: " + String.join(", ", members)));
        }
    }

    /** The room of {@code name} (ignoring case) among those the user is in, in the spelling it was joined with. */
    private Optional<String> joinedRoom(String name) {
        return peer.joinedRooms().stream().filter(r -> r.equalsIgnoreCase(name)).findFirst();
    }

    /**
     * The room a command without a room name means: the room buffer the user is in, else the one room joined;
     * with several rooms and another buffer shown, the user must say which.
     */
    private String impliedRoom(String command) throws UserError {
        Conversation now;
        synchronized (lock) {
            now = current;
        }
        if (now instanceof Conversation.Room room) {
            Optional<String> joined = joinedRoom(room.name());
            if (joined.isPresent()) {
                return joined.get();
            }
        }
        List<String> rooms = peer.joinedRooms();
        if (rooms.isEmpty()) {
            throw new UserError("you are not in a room — /join one first");
        }
        if (rooms.size() > 1) {
            throw new UserError("you are in " + String.join(", ", rooms) + " — " + command + " #ROOM, or switch to"
                    + " its buffer");
        }
        return rooms.getFirst();
    }

    private void leave(Optional<String> named) throws PeerException, UserError {
        requireLoggedIn();
        String room = named.isPresent()
                ? joinedRoom(named.get()).orElseThrow(() -> new UserError("you are not in " + named.get()
                        + (peer.joinedRooms().isEmpty() ? "" : " (you are in " + String.join(", ", peer.joinedRooms()) + ")")))
                : impliedRoom("/leave");
        peer.leaveRoom(room);
        synchronized (lock) {
            if (current instanceof Conversation.Room now && now.name().equalsIgnoreCase(room)) {
                current = null;
            }
            notice("left " + room);
            stateChanged();
        }
    }

    private void who() throws PeerException, UserError {
        requireLoggedIn();
        String room = impliedRoom("/who");
        List<String> members = peer.roomMembers(room).stream().map(PeerInfo::username).toList();
        synchronized (lock) {
            knownUsers.addAll(members);
            notice("in " + room + ": " + String.join(", ", members));
        }
    }

    // ---- ignoring

    /** Ignores {@code names} from the start (the config file's ignore list). */
    public void ignoreAll(java.util.Collection<String> names) {
        synchronized (lock) {
            ignored.addAll(names);
        }
    }

    private void ignore(Optional<String> name) {
        synchronized (lock) {
            if (name.isEmpty()) {
                notice(ignored.isEmpty() ? "nobody is ignored" : "ignored: " + String.join(", ", ignored));
                return;
            }
            if (!ignored.add(name.get())) {
                notice(name.get() + " is already ignored");
                return;
            }
            chatRequestsReceived.remove(name.get());
            notice("ignoring " + name.get() + " — their messages are dropped and their chat requests refused (/unignore "
                    + name.get() + " to stop)");
        }
    }

    private void unignore(String name) throws UserError {
        synchronized (lock) {
            if (!ignored.remove(name)) {
                throw new UserError(name + " is not ignored");
            }
            notice("no longer ignoring " + name);
        }
    }

    /** Users on the /ignore list. */
    public Set<String> ignoredNames() {
        synchronized (lock) {
            return new TreeSet<>(ignored);
        }
    }

    // ---- conversations and messages

    private void switchTo(Conversation target) throws UserError {
        Conversation resolved = switch (target) {
            case Conversation.Room room -> new Conversation.Room(joinedRoom(room.name())
                    .orElseThrow(() -> new UserError("you are not in room " + room.name() + " — /join " + room.name() + " first")));
            case Conversation.Direct direct -> new Conversation.Direct(openChat(direct.name())
                    .orElseThrow(() -> new UserError("no open chat with " + direct.name() + " — /chat " + direct.name() + " first")));
        };
        synchronized (lock) {
            current = resolved;
            // The switch first, so the notice lands in the buffer switched to.
            stateChanged();
            notice("now talking " + (resolved instanceof Conversation.Room ? "in " : "to ") + resolved.name());
        }
    }

    /**
     * Makes {@code conversation} the current one without checking it is still open (the UI shows a buffer the
     * user picked with a key; sending there says if the room was left or the chat closed). Empty: none, the
     * status buffer. Runs on the commands thread, in order with what the user types.
     */
    public void focus(Optional<Conversation> conversation) {
        Objects.requireNonNull(conversation, "conversation");
        synchronized (lock) {
            if (peer.username() == null || Objects.equals(Optional.ofNullable(current), conversation)) {
                return;
            }
            current = conversation.orElse(null);
            stateChanged();
        }
    }

    private void send(Conversation to, String text) throws PeerException, UserError {
        requireLoggedIn();
        if (to instanceof Conversation.Direct direct && openChat(direct.name()).isEmpty()) {
            sendMessageRequest(direct.name(), text);
            return;
        }
        Conversation target = switch (to) {
            case Conversation.Room room -> {
                String joined = joinedRoom(room.name()).orElseThrow(() -> new UserError("you are no longer in "
                        + room.name() + " — /join it or /switch elsewhere"));
                yield new Conversation.Room(joined);
            }
            case Conversation.Direct direct -> new Conversation.Direct(openChat(direct.name())
                    .orElseThrow(() -> new UserError("no open chat with " + direct.name() + " — /chat " + direct.name() + " first")));
        };
        synchronized (lock) {
            sendsInFlight++;
        }
        String id = null;
        try {
            id = target instanceof Conversation.Room ? peer.sendToRoom(target.name(), text)
                    : peer.sendDirect(target.name(), text);
        } finally {
            synchronized (lock) {
                sendsInFlight--;
                if (id != null) {
                    awaitingReceipt.put(id, target);
                    if (target instanceof Conversation.Room) {
                        rememberRoomSend(id);
                    }
                    view.sent(now(), target, peer.username(), text, id);
                }
                replayEarlyReceipts(id);
            }
        }
    }

    /**
     * No open chat with {@code name}: when they are offline the message goes as a message request, which they read
     * only if they accept it; when they are online the user asks for a chat first, as before.
     */
    private void sendMessageRequest(String name, String text) throws PeerException, UserError {
        synchronized (lock) {
            sendsInFlight++;
        }
        Optional<String> id = Optional.empty();
        try {
            id = peer.sendMessageRequest(name, text);
        } finally {
            synchronized (lock) {
                sendsInFlight--;
                Conversation to = new Conversation.Direct(name);
                id.ifPresent(sent -> {
                    awaitingReceipt.put(sent, to);
                    knownUsers.add(name);
                    view.sent(now(), to, peer.username(), text, sent);
                    notice(name + " is offline and has no chat with you: sent as a message request — " + name
                            + " reads it only after accepting it");
                });
                replayEarlyReceipts(id.orElse(null));
            }
        }
        if (id.isEmpty()) {
            throw new UserError("no open chat with " + name + " — /chat " + name + " first");
        }
    }

    private void rememberRoomSend(String id) {
        roomSends.add(id);
        if (roomSends.size() > MAX_REMEMBERED_ROOM_SENDS) {
            roomSends.removeFirst();
        }
    }

    /** Shows receipts that overtook their send: those for {@code id} now, the rest once no send is pending. */
    private void replayEarlyReceipts(String id) {
        List<Pending> ready = new ArrayList<>();
        for (Iterator<Pending> it = earlyReceipts.iterator(); it.hasNext(); ) {
            Pending pending = it.next();
            if (pending.id().equals(id) || sendsInFlight == 0) {
                ready.add(pending);
                it.remove();
            }
        }
        ready.forEach(pending -> showReceipt(pending.id(), pending.receipt()));
    }

    // ---- events

    @Override
    public void onEvent(PeerEvent event) {
        try {
            synchronized (lock) {
                if (ended) {
                    log.debug("after the end: {}", event.getClass().getSimpleName());
                    return;
                }
                expireRequests().forEach(this::refuseLater);
                Optional<String> from = sender(event).filter(ignored::contains);
                if (from.isPresent()) {
                    log.debug("dropped {} from ignored {}", event.getClass().getSimpleName(), from.get());
                    if (event instanceof PeerEvent.ChatRequested || event instanceof PeerEvent.MessageRequested) {
                        refuseLater(from.get());
                    }
                    return;
                }
                handleEvent(event);
                if (shownUser != null && peer.username() == null) {
                    // The registry ended the login (the peer says why in a Notice): the prompt must not go on
                    // naming a user who is no longer logged in.
                    forgetSession();
                    stateChanged();
                }
            }
        } catch (RuntimeException e) {
            log.error("could not show event {}", event.getClass().getSimpleName(), e);
        }
    }

    /**
     * Forgets the requests older than {@link #REQUEST_EXPIRY} and says so; returns those received, for the
     * caller to decline outside the lock.
     */
    private List<String> expireRequests() {
        List<String> lapsed = new ArrayList<>();
        synchronized (lock) {
            Instant cutoff = now().minus(REQUEST_EXPIRY);
            for (Iterator<Map.Entry<String, Instant>> it = receivedAt.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Instant> entry = it.next();
                if (!chatRequestsReceived.contains(entry.getKey())) {
                    it.remove();
                } else if (entry.getValue().isBefore(cutoff)) {
                    it.remove();
                    chatRequestsReceived.remove(entry.getKey());
                    lapsed.add(entry.getKey());
                    notice(entry.getKey() + "'s chat request expired after " + REQUEST_EXPIRY.toMinutes()
                            + " min unanswered — declined");
                }
            }
            for (Iterator<Map.Entry<String, Instant>> it = requestedAt.entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Instant> entry = it.next();
                if (!requestedChats.contains(entry.getKey())) {
                    it.remove();
                } else if (entry.getValue().isBefore(cutoff)) {
                    it.remove();
                    requestedChats.remove(entry.getKey());
                    notice(entry.getKey() + " did not answer your chat request within " + REQUEST_EXPIRY.toMinutes()
                            + " min — /chat " + entry.getKey() + " to ask again");
                }
            }
        }
        return lapsed;
    }

    private void declineQuietly(String from) {
        try {
            peer.rejectChat(from);
        } catch (PeerException | RuntimeException e) {
            log.debug("declining {}'s lapsed chat request failed: {}", from, e.getMessage());
        }
    }

    /** Who sent a message or a chat request; empty for every other event. */
    private static Optional<String> sender(PeerEvent event) {
        return switch (event) {
            case PeerEvent.DirectMessageReceived m -> Optional.of(m.from());
            case PeerEvent.RoomMessageReceived m -> Optional.of(m.from());
            case PeerEvent.ChatRequested r -> Optional.of(r.from());
            case PeerEvent.MessageRequested r -> Optional.of(r.from());
            default -> Optional.empty();
        };
    }

    /**
     * Refuses an ignored user's chat request, off the event thread and outside the lock: it is a network call,
     * and no event may wait for it. They are told "declined", as for any /reject.
     */
    private void refuseLater(String from) {
        Thread.ofVirtual().name("refuse-ignored").start(() -> {
            try {
                peer.rejectChat(from);
            } catch (PeerException | RuntimeException e) {
                log.debug("refusing {}'s chat request failed: {}", from, e.getMessage());
            }
        });
    }

    private void handleEvent(PeerEvent event) {
        switch (event) {
            case PeerEvent.DirectMessageReceived m -> {
                knownUsers.add(m.from());
                view.message(shownTime(m.sentAt()), new Conversation.Direct(m.from()), m.from(),
                        m.whileAway() ? "(while you were away) " + m.text() : m.text());
            }
            case PeerEvent.RoomMessageReceived m when m.backlog() -> {
                // Said before this user joined; its time is the author's own, under the author's signature.
                knownUsers.add(m.from());
                view.message(m.sentAt() != null ? m.sentAt() : now(), new Conversation.Room(m.room()), m.from(),
                        "(backlog) " + m.text());
            }
            case PeerEvent.RoomMessageReceived m -> {
                knownUsers.add(m.from());
                view.message(shownTime(m.sentAt()), new Conversation.Room(m.room()), m.from(), m.text());
            }
            case PeerEvent.RoomBacklogReceived b -> {
                if (b.shown() > 0) {
                    view.roomNotice(now(), b.room(), b.shown() + " earlier message" + (b.shown() == 1 ? "" : "s")
                            + " of " + b.room() + " from the backlog (relayed by " + b.from() + ", signatures checked)"
                            + (b.omitted() > 0 ? "; " + b.omitted() + " older ones did not fit" : ""));
                }
                if (b.dropped() > 0) {
                    view.error(now(), b.dropped() + " backlog item" + (b.dropped() == 1 ? "" : "s") + " of " + b.room()
                            + " relayed by " + b.from() + (b.dropped() == 1 ? " could not be verified and was dropped"
                            : " could not be verified and were dropped"));
                }
            }
            case PeerEvent.Delivered d -> receipt(d.id(), new Receipt.Delivered(d.to()));
            case PeerEvent.DeliveryFailed f -> receipt(f.id(), new Receipt.Failed(f.to(), f.reason()));
            case PeerEvent.StoredForLater s -> receipt(s.id(), new Receipt.Stored(s.to()));
            case PeerEvent.RoomDeliveryReport r -> receipt(r.id(), new Receipt.Room(r.delivered(), r.members(), r.missing()));
            case PeerEvent.ChatRequested r -> {
                chatRequestsReceived.add(r.from());
                receivedAt.put(r.from(), now());
                knownUsers.add(r.from());
                view.chatRequest(now(), r.from(), r.from() + " asks for a private chat — /accept " + r.from() + " or /reject "
                        + r.from() + " (expires in " + REQUEST_EXPIRY.toMinutes() + " min)");
            }
            case PeerEvent.MessageRequested r -> {
                messageRequestsReceived.add(r.from());
                knownUsers.add(r.from());
                view.chatRequest(now(), r.from(), r.from() + " sent you a message request while you were away ("
                        + r.waiting() + " unread) — /accept " + r.from() + " to read it or /reject " + r.from()
                        + " to delete it unread");
            }
            case PeerEvent.ChatAccepted a -> {
                boolean askedHere = requestedChats.remove(a.by());
                if (askedHere) {
                    openedChat(a.by(), a.by() + " accepted your chat request");
                } else {
                    notice(a.by() + " accepted your chat request");
                }
            }
            case PeerEvent.ChatRejected r -> {
                requestedChats.remove(r.by());
                notice(r.by() + " declined your chat request");
            }
            case PeerEvent.ChatRequestFailed f -> {
                requestedChats.remove(f.to());
                error("chat request to " + f.to() + " failed" + reason(f.reason()));
            }
            case PeerEvent.ChatClosed c -> {
                chatRequestsReceived.remove(c.with());
                notice(closingHere.remove(c.with())
                        ? "closed the chat with " + c.with() + " — /chat " + c.with() + " to open a new one"
                        : "chat with " + c.with() + " closed" + reason(c.reason()));
                if (current instanceof Conversation.Direct direct && direct.name().equalsIgnoreCase(c.with())) {
                    current = peer.currentRoom().<Conversation>map(Conversation.Room::new).orElse(null);
                    stateChanged();
                }
            }
            case PeerEvent.MemberJoined j -> {
                knownUsers.add(j.user());
                if (!j.user().equalsIgnoreCase(peer.username())) {
                    view.roomNotice(now(), j.room(), j.user() + " joined " + j.room());
                }
            }
            case PeerEvent.MemberLeft l -> view.roomNotice(now(), l.room(), switch (l.reason() == null ? "" : l.reason()) {
                case "left" -> l.user() + " left " + l.room();
                case "logout" -> l.user() + " logged out (left " + l.room() + ")";
                case "timeout" -> l.user() + " timed out (left " + l.room() + ")";
                default -> l.user() + " left " + l.room() + reason(l.reason());
            });
            case PeerEvent.ConnectionChanged c when peer.username() == null && c.state() != ConnectionState.OFFLINE
                    && !shownOffline ->
                    // Before login the registry may drop an idle connection and the peer quietly reconnects;
                    // that is not worth interrupting someone who has not even logged in.
                    log.debug("registry connection {} while logged out: {}", c.state(), c.detail());
            case PeerEvent.ConnectionChanged c -> connection(switch (c.state()) {
                case CONNECTED -> new ChatView.Connection(true, "connected to the registry");
                case RECONNECTING -> new ChatView.Connection(false, "lost the registry" + reason(c.detail()) + " — reconnecting…");
                case RECONNECTED -> new ChatView.Connection(true, "reconnected to the registry");
                case OFFLINE -> new ChatView.Connection(false, "offline" + reason(c.detail()));
            });
            case PeerEvent.Notice n -> notice(n.text());
            case PeerEvent.KeyChanged k -> error(ContactLines.warning(k));
            case PeerEvent.HistoryShown h -> view.history(now(), HistoryLines.conversation(h.conversation()),
                    HistoryLines.shownAtLogin(h));
            case PeerEvent.FileTransfer f -> {
                FileNotice notice = f.notice();
                String key = FileLines.transfer(notice);
                if (notice instanceof FileNotice.Moved) {
                    view.transferProgress(now(), notice.peer(), key, FileLines.line(notice));
                } else {
                    if (key != null) {
                        view.transferEnded(key);
                    }
                    view.chatNotice(now(), notice.peer(), FileLines.line(notice));
                }
            }
        }
    }

    /** Shows a connection change; remembers whether the prompt now says offline. */
    private void connection(ChatView.Connection change) {
        shownOffline = !change.up();
        view.connection(now(), change);
    }

    private void receipt(String id, Receipt receipt) {
        if (!awaitingReceipt.containsKey(id) && !roomSends.contains(id) && sendsInFlight > 0) {
            earlyReceipts.addLast(new Pending(id, receipt));
            if (earlyReceipts.size() > MAX_EARLY_RECEIPTS) {
                Pending oldest = earlyReceipts.removeFirst();
                showReceipt(oldest.id(), oldest.receipt());
            }
            return;
        }
        showReceipt(id, receipt);
    }

    private void showReceipt(String id, Receipt receipt) {
        if (roomSends.contains(id) && !(receipt instanceof Receipt.Room)) {
            return; // one member's receipt for a room message: the room report sums them up
        }
        awaitingReceipt.remove(id);
        view.receipt(now(), id, receipt);
        lock.notifyAll();
    }

    // ---- shutdown

    /**
     * Waits until every sent message has a receipt, at most {@code timeout}; true if none is left.
     * Line mode calls this at the end of its input, so a script's last message is not cut off.
     */
    public boolean awaitReceipts(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lock) {
            while (!awaitingReceipt.isEmpty()) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                lock.wait(Math.max(1, left / 1_000_000));
            }
            return true;
        }
    }

    /** Number of sent messages without a receipt yet. */
    public int awaitingReceipts() {
        synchronized (lock) {
            return awaitingReceipt.size();
        }
    }

    /**
     * Ends the session: logs out if logged in (failures are only logged, since the user is leaving anyway),
     * and shows no further events — the peer's own shutdown is not news to someone who quit.
     */
    public void end() {
        logoutQuietly();
        synchronized (lock) {
            ended = true;
        }
    }

    private void logoutQuietly() {
        if (peer.username() == null) {
            return;
        }
        try {
            peer.logout();
            synchronized (lock) {
                forgetSession();
                notice("logged out");
                stateChanged();
            }
        } catch (PeerException | RuntimeException e) {
            log.info("logout on exit failed: {}", e.getMessage());
        }
    }

    // ---- completion support

    /** User names worth offering: online users and room members seen so far, open chats, requests. */
    public Set<String> userNames() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        synchronized (lock) {
            names.addAll(knownUsers);
            names.addAll(chatRequestsReceived);
        }
        names.addAll(peer.openChats());
        String me = peer.username();
        if (me != null) {
            names.remove(me);
        }
        return names;
    }

    /** Users with an open private chat, for /close and /switch. */
    public Set<String> openChatNames() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(peer.openChats());
        return names;
    }

    /** Users waiting for this user's /accept or /reject. */
    public Set<String> chatRequestNames() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        names.addAll(peer.pendingChatRequests());
        return names;
    }

    public Optional<String> currentRoom() {
        return peer.currentRoom();
    }

    /** Every room the user is in, in the order joined. */
    public List<String> joinedRooms() {
        return peer.joinedRooms();
    }

    public Set<String> roomNames() {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        synchronized (lock) {
            names.addAll(knownRooms);
        }
        names.addAll(peer.joinedRooms());
        return names;
    }

    /** Asks the registry for online users and rooms unless that was done a few seconds ago; quiet on failure. */
    public void refreshNamesIfStale() {
        synchronized (lock) {
            if (peer.username() == null || namesRefreshed.plus(NAMES_STALE_AFTER).isAfter(now())) {
                return;
            }
            namesRefreshed = now();
        }
        try {
            List<String> users = peer.onlineUsers().stream().map(PeerInfo::username).toList();
            List<String> rooms = peer.rooms(false).stream().map(RoomSummary::name).toList();
            synchronized (lock) {
                knownUsers.addAll(users);
                knownRooms.addAll(rooms);
            }
        } catch (PeerException | RuntimeException e) {
            log.debug("refreshing names for completion failed: {}", e.getMessage());
        }
    }

    // ---- state

    public Optional<Conversation> current() {
        synchronized (lock) {
            return Optional.ofNullable(current);
        }
    }

    public String username() {
        return peer.username();
    }

    private Optional<String> currentChatPartner() {
        synchronized (lock) {
            return current instanceof Conversation.Direct direct ? Optional.of(direct.name()) : Optional.empty();
        }
    }

    private Conversation requireCurrent() throws UserError {
        synchronized (lock) {
            if (current == null) {
                throw new UserError("no conversation to send to — /join a room or /chat with someone first");
            }
            return current;
        }
    }

    private void requireLoggedIn() throws UserError {
        if (peer.username() == null) {
            throw new UserError("you are not logged in — /login NAME (or /register NAME first)");
        }
    }

    private Optional<String> openChat(String name) {
        return peer.openChats().stream().filter(open -> open.equalsIgnoreCase(name)).findFirst();
    }

    private void forgetSession() {
        current = null;
        requestedChats.clear();
        chatRequestsReceived.clear();
        messageRequestsReceived.clear();
        requestedAt.clear();
        receivedAt.clear();
        closingHere.clear();
    }

    private void stateChanged() {
        shownUser = peer.username();
        view.stateChanged(shownUser, Optional.ofNullable(current));
    }

    private void show(List<String> lines) {
        synchronized (lock) {
            view.block(now(), lines);
        }
    }

    private void help(Optional<String> command) {
        List<String> lines = command.flatMap(HelpText::entry).map(HelpText::detail)
                .orElseGet(() -> java.util.stream.Stream.concat(HelpText.lines().stream(), HelpText.typing().stream()).toList());
        synchronized (lock) {
            view.block(now(), lines);
        }
    }

    private void notice(String text) {
        synchronized (lock) {
            view.notice(now(), text);
        }
    }

    private void error(String text) {
        synchronized (lock) {
            view.error(now(), text);
        }
    }

    private static String reason(String reason) {
        return reason == null || reason.isBlank() ? "" : ": " + reason;
    }

    /**
     * The time shown for a received message: the sender's claim only when it is within
     * {@link #CLAIM_TRUSTED_WITHIN} of the receive time, otherwise the receive time (a peer controls its
     * claim and could date a message at midnight or in the future).
     */
    private Instant shownTime(Instant sentAt) {
        Instant received = now();
        if (sentAt == null || Duration.between(sentAt, received).abs().compareTo(CLAIM_TRUSTED_WITHIN) > 0) {
            return received;
        }
        return sentAt;
    }

    private Instant now() {
        return clock.instant();
    }
}
