package dev.p2pchat.peer;

import dev.p2pchat.peer.outbox.OutboxEntry;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerReply;
import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.CertificateText;
import dev.p2pchat.security.Fingerprints;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.SealedBox;
import dev.p2pchat.security.SealedBoxException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This peer's side of the registry's mailboxes (PROTOCOL.md 13.7). Outgoing: a one-to-one message that cannot
 * reach its recipient directly is sealed to the recipient's identity certificate (HPKE auth mode, with this peer's
 * identity key) and left with {@code MAILBOX_PUT}. Incoming: each {@code MAILBOX_ITEM} is opened with its sender's
 * certificate (from {@code SEARCH_USER}), checked, shown once (duplicates dropped by message id), acknowledged,
 * and answered with a sealed receipt in the sender's mailbox, which the registry pushes to the sender at once when
 * it is online. Items are handled one at a time, in the order pushed, on one worker thread: never on the registry
 * connection's reader thread, since handling one asks the registry.
 *
 * <p>A {@code MESSAGE_REQUEST} item, from someone with no open chat, is held unacknowledged as a request
 * ({@link MessageRequests}) until the user answers: accepted, its messages are shown, acknowledged and receipted and
 * the chat opens; rejected, they are acknowledged (so the registry deletes them) and never shown, and the sender
 * gets no receipt.
 */
final class Mailbox implements Deliveries.Fallback, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);
    /** The item id of the receipt for message {@code id}: its own id in the original sender's mailbox. */
    static final String RECEIPT_PREFIX = "r-";

    private final PeerStatus status;
    private final RegistryCalls registry;
    private final Identity identity;
    private final DuplicateFilter duplicates;
    private final EventDispatcher events;
    private final ContactKeys keys;
    private final Chats chats;
    private final MessageRequests requests = new MessageRequests();
    private final ConcurrentLinkedQueue<RegistryPush> waiting = new ConcurrentLinkedQueue<>();
    /**
     * Items from senders whose key changed: neither shown nor acknowledged (the registry keeps them), taken again
     * when the user trusts the new key ({@link #trusted}) or at the next login.
     */
    private final ConcurrentLinkedQueue<RegistryPush.MailboxItem> held = new ConcurrentLinkedQueue<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("mailbox").factory());

    Mailbox(PeerStatus status, RegistryCalls registry, Identity identity, DuplicateFilter duplicates,
            EventDispatcher events, ContactKeys keys, Chats chats) {
        this.keys = keys;
        this.chats = chats;
        this.status = status;
        this.registry = registry;
        this.identity = identity;
        this.duplicates = duplicates;
        this.events = events;
    }

    static String receiptItemId(String messageId) {
        String id = RECEIPT_PREFIX + messageId;
        return id.length() <= 64 ? id : id.substring(0, 64);
    }

    // ---------------------------------------------------------------- outgoing

    @Override
    public Deliveries.Deposit deposit(OutboxEntry entry) {
        PeerRequest message = entry.kind() == OutboxEntry.Kind.REQUEST
                ? new PeerRequest.MessageRequest(entry.id(), entry.sender(), entry.recipient(), entry.sentAt(),
                        entry.text())
                : new PeerRequest.DirectMessage(entry.id(), entry.sender(), entry.recipient(), entry.sentAt(),
                        entry.text());
        return put(entry.sender(), entry.recipient(), entry.id(), message.toFrame());
    }

    /** Seals {@code content} from {@code me} to {@code recipient} as item {@code itemId}; stored, or why not. */
    private Deliveries.Deposit put(String me, String recipient, String itemId, Frame content) {
        if (!me.equals(status.username())) {
            return new Deliveries.Deposit(false, me + " is not logged in");
        }
        try {
            Key key = keyOf(recipient);
            if (key instanceof Key.Changed) {
                // Never sealed to a key the user has not trusted: a registry handing out its own key reads nothing.
                return new Deliveries.Deposit(false, recipient + "'s key is not the one you pinned");
            }
            X509Certificate to = key instanceof Key.Pinned pinned ? pinned.certificate() : null;
            if (to == null) {
                return new Deliveries.Deposit(false, recipient + " has no key at the registry yet");
            }
            byte[] box = SealedBox.seal(identity, to, SealedBox.aad(me, recipient, itemId),
                    FrameWriter.encode(content));
            RegistryReply reply = registry.call(new RegistryRequest.MailboxPut(recipient, itemId, null,
                    Base64.getEncoder().encodeToString(box)));
            if (reply instanceof RegistryReply.MailboxPutResult result && result.status().isSuccess()) {
                return new Deliveries.Deposit(true, null);
            }
            return new Deliveries.Deposit(false, describe(reply));
        } catch (IOException e) {
            return new Deliveries.Deposit(false, "the registry cannot be reached: " + e.getMessage());
        } catch (IllegalArgumentException e) {
            return new Deliveries.Deposit(false, recipient + "'s key cannot be used: " + e.getMessage());
        }
    }

    // ---------------------------------------------------------------- incoming

    /** A push for the mailbox (called on the registry reader thread: only queues it). */
    void onPush(RegistryPush push) {
        waiting.add(push);
        drainLater();
    }

    /** The user is logged in now: items pushed right after its AUTH SUCCESS can be opened. */
    void loggedIn() {
        drainLater();
    }

    /**
     * The user logged out: what was pushed for it and not taken yet is forgotten here (the registry keeps it
     * until acknowledged), so that the next login, maybe as someone else, never takes it.
     */
    void loggedOut() {
        waiting.clear();
        held.clear();
        requests.clear();
    }

    /** Users whose message requests wait for this user's answer. */
    Set<String> requesters() {
        return requests.senders();
    }

    /**
     * Answers {@code user}'s message requests; false when there were none. Accepted: the chat opens, each message
     * is shown (as received while away), acknowledged and receipted, in order. Rejected: each is acknowledged, so
     * the registry deletes it, unread; no receipt goes back. Runs on the caller's thread (it asks the registry).
     */
    boolean answerRequests(String user, boolean accept) throws PeerException {
        String me = status.requireLogin();
        List<MessageRequests.Held> taken = requests.take(user);
        if (taken.isEmpty()) {
            return false;
        }
        if (accept) {
            chats.open(taken.getFirst().item().senderUsername());
        }
        try {
            for (MessageRequests.Held held : taken) {
                String from = held.item().senderUsername();
                PeerRequest.MessageRequest message = held.message();
                if (accept && duplicates.firstTime(from, message.id())) {
                    events.emit(new PeerEvent.DirectMessageReceived(message.id(), from, message.timestamp(),
                            message.text(), true));
                }
                acknowledge(held.item());
                if (accept) {
                    sendReceipt(me, from, message.id());
                }
            }
        } catch (IOException e) {
            // Those not acknowledged come again at the next login: as requests again, or shown if the chat is open.
            throw new PeerException("The registry could not be told: " + e.getMessage(), e);
        }
        LOG.info("{} {} message request(s) from {}", accept ? "Accepted" : "Rejected", taken.size(), user);
        return true;
    }

    /** The user trusted {@code user}'s new key: the items held for it are opened now. */
    void trusted(String user) {
        held.removeIf(item -> {
            if (same(item.senderUsername(), user)) {
                waiting.add(item);
                return true;
            }
            return false;
        });
        drainLater();
    }

    private void drainLater() {
        try {
            worker.execute(this::drain);
        } catch (RejectedExecutionException e) {
            LOG.debug("Mailbox closed; {} pushes left for the next login", waiting.size());
        }
    }

    private void drain() {
        String me = status.username();
        if (me == null) {
            return; // what was pushed comes again after the next AUTH SUCCESS; until then it waits here
        }
        RegistryPush push;
        while ((push = waiting.poll()) != null) {
            try {
                switch (push) {
                    case RegistryPush.MailboxItem item -> take(me, item);
                    case RegistryPush.MailboxExpired expired -> expired(expired);
                    default -> LOG.debug("Not a mailbox push: {}", push.getClass().getSimpleName());
                }
            } catch (IOException e) {
                // Not acknowledged: the registry pushes it again after the next login or reconnection.
                LOG.info("Could not take a mailbox item now: {}", e.toString());
            } catch (RuntimeException e) {
                LOG.error("Handling a mailbox push failed", e);
            }
        }
    }

    private void take(String me, RegistryPush.MailboxItem item) throws IOException {
        String from = item.senderUsername();
        Key key = keyOf(from);
        if (key instanceof Key.Changed) {
            LOG.info("Held a mailbox item from {}: its key is not the pinned one", from);
            held.add(item);
            return;
        }
        Message content = open(me, item, key instanceof Key.Pinned pinned ? pinned.certificate() : null);
        switch (content) {
            case PeerRequest.DirectMessage message when message.id().equals(item.itemId())
                    && same(message.senderUsername(), from) && same(message.recipientUsername(), me) -> {
                if (duplicates.firstTime(from, message.id())) {
                    events.emit(new PeerEvent.DirectMessageReceived(message.id(), from, message.timestamp(),
                            message.text(), true));
                } else {
                    LOG.debug("Duplicate message {} from {} in the mailbox", message.id(), from);
                }
                acknowledge(item);
                sendReceipt(me, from, message.id());
            }
            case PeerRequest.MessageRequest message when message.id().equals(item.itemId())
                    && same(message.senderUsername(), from) && same(message.recipientUsername(), me) -> {
                if (chats.isOpen(from)) {
                    // A chat opened since it was sent: it is a message like any other now.
                    if (duplicates.firstTime(from, message.id())) {
                        events.emit(new PeerEvent.DirectMessageReceived(message.id(), from, message.timestamp(),
                                message.text(), true));
                    }
                    acknowledge(item);
                    sendReceipt(me, from, message.id());
                    return;
                }
                switch (requests.hold(from, new MessageRequests.Held(item, message))) {
                    case FIRST_FROM_SENDER, MORE_FROM_SENDER -> events.emitSheddable(
                            new PeerEvent.MessageRequested(from, requests.count(from)));
                    case ALREADY_HELD -> LOG.debug("Message request {} from {} is already held", message.id(), from);
                    case FULL -> LOG.info("Too many message requests held; one from {} waits at the registry", from);
                }
            }
            case PeerReply.DirectUnicastNotification receipt when receipt.status().isSuccess()
                    && item.itemId().equals(receiptItemId(receipt.id())) && same(receipt.recipientUsername(), from) -> {
                if (duplicates.firstTime(RECEIPT_PREFIX + from, receipt.id())) {
                    events.emit(new PeerEvent.Delivered(receipt.id(), from));
                }
                if (chats.acceptImplicitly(from)) {
                    // The receipt for our message request: they accepted it, so the chat is open on this side too.
                    events.emit(new PeerEvent.ChatAccepted(from));
                }
                acknowledge(item);
            }
            case null -> {
                LOG.info("Dropped a mailbox item from {} that does not open with {}'s key", from, from);
                events.emit(new PeerEvent.Notice("A message from " + from + " that waited for you could not be "
                        + "verified as theirs and was dropped."));
                acknowledge(item);
            }
            default -> {
                LOG.info("Dropped a mailbox item from {}: not a message or receipt for {}", from, me);
                acknowledge(item);
            }
        }
    }

    /** The item's content, or null when it does not open as {@code from}'s to {@code me} or is no frame. */
    private Message open(String me, RegistryPush.MailboxItem item, X509Certificate sender) throws IOException {
        try {
            if (sender == null) {
                return null;
            }
            byte[] plain = SealedBox.open(identity, sender, SealedBox.aad(item.senderUsername(), me, item.itemId()),
                    item.sealedBytes());
            Frame frame = new FrameReader(new ByteArrayInputStream(plain)).read();
            return frame == null ? null : Messages.decode(frame);
        } catch (SealedBoxException | ProtocolException | IllegalArgumentException e) {
            LOG.debug("Mailbox item {} from {} does not open: {}", item.itemId(), item.senderUsername(), e.toString());
            return null;
        }
    }

    private void acknowledge(RegistryPush.MailboxItem item) throws IOException {
        RegistryReply reply = registry.call(new RegistryRequest.MailboxAck(List.of(
                new RegistryRequest.MailboxAck.Item(item.senderUsername(), item.itemId()))));
        if (!(reply instanceof RegistryReply.MailboxAckResult ack) || !ack.status().isSuccess()) {
            LOG.info("The registry did not take the acknowledgement of a mailbox item: {}", describe(reply));
        }
    }

    /**
     * The receipt goes to the sender's mailbox, sealed like a message: the registry pushes it to the sender at once
     * when it is online, and keeps it for its next login when not.
     */
    private void sendReceipt(String me, String to, String messageId) {
        PeerReply.DirectUnicastNotification receipt = new PeerReply.DirectUnicastNotification(Status.SUCCESS,
                messageId, me, null);
        Deliveries.Deposit deposit = put(me, to, receiptItemId(messageId), receipt.toFrame());
        if (!deposit.stored()) {
            LOG.info("Could not send {} the receipt for a message that waited: {}", to, deposit.problem());
        }
    }

    private void expired(RegistryPush.MailboxExpired expired) {
        if (expired.itemId().startsWith(RECEIPT_PREFIX)) {
            LOG.info("A receipt for {} expired unread", expired.recipientUsername());
            return;
        }
        events.emit(new PeerEvent.DeliveryFailed(expired.itemId(), expired.recipientUsername(),
                expired.recipientUsername() + " did not come online to read it before it expired"));
    }

    /** What the registry says {@code user}'s key is, checked against the pins. */
    private sealed interface Key {
        /** The pinned (or just pinned) key; null when it cannot seal or open items. */
        record Pinned(X509Certificate certificate) implements Key {
        }

        record Changed() implements Key {
        }

        record None() implements Key {
        }
    }

    /** {@code user}'s identity certificate as the registry has it, checked against the pins. */
    private Key keyOf(String user) throws IOException {
        RegistryReply reply = registry.call(new RegistryRequest.SearchUser(user));
        if (reply instanceof RegistryReply.SearchUserResponse found && found.certificate() != null) {
            X509Certificate certificate;
            try {
                certificate = CertificateText.decode(found.certificate());
            } catch (IllegalArgumentException e) {
                return new Key.Pinned(null); // unreadable: counts as unverifiable, nothing is pinned
            }
            if (keys != null && !keys.accepts(user, Fingerprints.sha256Hex(certificate), found.certificate(),
                    "from the registry")) {
                return new Key.Changed();
            }
            return new Key.Pinned(SealedBox.canSealTo(certificate) ? certificate : null);
        }
        if (reply instanceof ErrorReply error) {
            throw new IOException("the registry refused SEARCH_USER: " + error.reason());
        }
        return new Key.None();
    }

    private static boolean same(String a, String b) {
        return a.toLowerCase(Locale.ROOT).equals(b.toLowerCase(Locale.ROOT));
    }

    private static String describe(RegistryReply reply) {
        return switch (reply) {
            case RegistryReply.MailboxPutResult r when r.reason() != null -> r.reason();
            case ErrorReply e -> e.reason();
            case null -> "no answer";
            default -> reply.status().toString();
        };
    }

    @Override
    public void close() {
        worker.shutdownNow();
    }
}
