package dev.p2pchat.registry.service;

import dev.p2pchat.protocol.EncodedFrame;
import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Reasons;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.protocol.RegistryReply.MailboxAckResult;
import dev.p2pchat.protocol.RegistryReply.MailboxPutResult;
import dev.p2pchat.protocol.RegistryRequest.MailboxAck;
import dev.p2pchat.protocol.RegistryRequest.MailboxPut;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.registry.cluster.Cluster;
import dev.p2pchat.registry.limit.SlidingWindowLimiter;
import dev.p2pchat.registry.session.Session;
import dev.p2pchat.registry.session.SessionRegistry;
import dev.p2pchat.registry.store.MailboxStore;
import dev.p2pchat.registry.store.MailboxStore.ExpiredItem;
import dev.p2pchat.registry.store.MailboxStore.ItemKey;
import dev.p2pchat.registry.store.MailboxStore.NewItem;
import dev.p2pchat.registry.store.MailboxStore.StoredItem;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's mailboxes: sealed items left for users who could not be reached, kept until they acknowledge them
 * or they expire. The registry cannot open an item; it only stores, counts and forwards bytes. Pushes go out after
 * the answer of the request that caused them ({@link Caller#afterReply}), so a client always reads its
 * {@code AUTH SUCCESS} before its first {@code MAILBOX_ITEM}. Nothing here logs an item's bytes.
 */
final class Mailbox {
    private static final Logger LOG = LoggerFactory.getLogger(Mailbox.class);
    /** Sealed bytes pushed to one connection and not yet acknowledged, at most (a quarter of the default queue). */
    static final int PUSH_BUDGET_BYTES = 256 * 1024;
    private static final int PAGE = 64;

    private final MailboxSettings settings;
    private final MailboxStore store;
    private final SessionRegistry sessions;
    private final SlidingWindowLimiter putsBySender;
    private final Clock clock;
    private final int pushBudget;
    private final Cluster cluster;
    private final java.util.concurrent.atomic.AtomicLong storedItems = new java.util.concurrent.atomic.AtomicLong();

    /** Items stored since start, for the metrics. */
    long storedCount() {
        return storedItems.get();
    }

    Mailbox(MailboxSettings settings, MailboxStore store, SessionRegistry sessions, Clock clock, int pushBudget) {
        this(settings, store, sessions, clock, pushBudget, Cluster.NONE);
    }

    /** In a cluster, an item for a user another node holds is handed to that node to push. */
    Mailbox(MailboxSettings settings, MailboxStore store, SessionRegistry sessions, Clock clock, int pushBudget,
            Cluster cluster) {
        this.pushBudget = pushBudget;
        this.cluster = cluster;
        this.settings = settings;
        this.store = store;
        this.sessions = sessions;
        this.clock = clock;
        this.putsBySender = new SlidingWindowLimiter(settings.putsPerMinute(), MailboxSettings.PUT_WINDOW, clock);
    }

    Frame put(Caller caller, Session sender, MailboxPut put) {
        byte[] sealed = put.sealedBytes();
        if (sealed.length > Limits.MAX_SEALED_ITEM_BYTES) {
            return result(Status.TOO_LARGE, put, null, "the item has " + sealed.length + " bytes, more than "
                    + Limits.MAX_SEALED_ITEM_BYTES);
        }
        String senderKey = SessionRegistry.fold(sender.username());
        Duration wait = putsBySender.blockedFor(senderKey);
        if (!wait.isZero()) {
            LOG.info("Refused a mailbox item from {}: {} within a minute", sender.username(), settings.putsPerMinute());
            return result(Status.RATE_LIMITED, put, null, "too many mailbox items; try again in "
                    + Math.max(1, (wait.toMillis() + 999) / 1000) + " s");
        }
        putsBySender.record(senderKey);
        Duration ttl = put.ttl() == null || put.ttl().compareTo(settings.ttl()) > 0 ? settings.ttl() : put.ttl();
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        MailboxStore.Put stored = store.putItem(new NewItem(put.recipientUsername(), sender.username(), put.itemId(),
                sealed, now, now.plus(ttl)), settings.maxItems(), settings.maxBytes());
        return switch (stored.outcome()) {
            case STORED -> {
                storedItems.incrementAndGet();
                LOG.debug("{} left an item of {} bytes for {}", sender.username(), sealed.length,
                        put.recipientUsername());
                RegistryPush.MailboxItem push = new RegistryPush.MailboxItem(put.itemId(), sender.username(), now,
                        put.sealed());
                // Committed before STORED goes out; a recipient online now gets it at once (and maybe again from
                // its mailbox later: receivers drop duplicates).
                caller.afterReply(() -> {
                    if (!sessions.pushTo(put.recipientUsername(), push)) {
                        cluster.pushElsewhere(put.recipientUsername(), push);
                    }
                });
                yield result(Status.STORED, put, stored.expiresAt(), null);
            }
            case ALREADY_STORED -> result(Status.STORED, put, stored.expiresAt(), null);
            case NO_SUCH_RECIPIENT -> result(Status.NOT_FOUND, put, null,
                    "no user named " + Reasons.quote(put.recipientUsername()));
            case TOO_MANY_ITEMS -> result(Status.MAILBOX_FULL, put, null, Reasons.quote(put.recipientUsername())
                    + "'s mailbox is full (" + settings.maxItems() + " items)");
            case TOO_MANY_BYTES -> result(Status.MAILBOX_FULL, put, null, Reasons.quote(put.recipientUsername())
                    + "'s mailbox is full (" + settings.maxBytes() + " bytes)");
        };
    }

    Frame ack(Caller caller, Session session, MailboxAck ack) {
        List<ItemKey> keys = new ArrayList<>(ack.items().size());
        MailboxCursor cursor = caller.mailboxCursor();
        for (MailboxAck.Item item : ack.items()) {
            ItemKey key = new ItemKey(SessionRegistry.fold(item.senderUsername()), item.itemId());
            keys.add(key);
            cursor.acknowledged(key);
        }
        int deleted = store.deleteItems(session.username(), keys);
        LOG.debug("{} acknowledged {} mailbox items ({} were waiting)", session.username(), keys.size(), deleted);
        caller.afterReply(() -> pushWaiting(caller, session));
        return new MailboxAckResult(Status.SUCCESS, null).toFrame();
    }

    /**
     * After AUTH SUCCESS (and after each MAILBOX_ACK): the waiting items this connection has not pushed yet, oldest
     * first, while what it pushed and nobody acknowledged stays within the push budget; then the notices
     * of the user's own items that expired unread.
     */
    void pushWaiting(Caller caller, Session session) {
        MailboxCursor cursor = caller.mailboxCursor();
        String user = session.username();
        page:
        while (true) {
            List<StoredItem> items = store.waitingItems(user, cursor.lastSeq(), PAGE);
            for (StoredItem item : items) {
                if (cursor.inFlightBytes() > 0 && cursor.inFlightBytes() + item.sealed().length > pushBudget) {
                    break page;
                }
                RegistryPush.MailboxItem push = new RegistryPush.MailboxItem(item.itemId(), item.sender(),
                        item.storedAt(), Base64.getEncoder().encodeToString(item.sealed()));
                caller.outbox().send(EncodedFrame.of(push.toFrame()));
                cursor.pushed(item.seq(), new ItemKey(SessionRegistry.fold(item.sender()), item.itemId()),
                        item.sealed().length);
            }
            if (items.size() < PAGE) {
                break;
            }
        }
        for (ExpiredItem notice : store.noticesFor(user)) {
            caller.outbox().send(EncodedFrame.of(new RegistryPush.MailboxExpired(notice.recipient(),
                    notice.itemId()).toFrame()));
            store.deleteNotice(notice.seq());
        }
    }

    /** For the periodic tick: deletes expired items and tells their senders, now or at their next login. */
    void sweep() {
        for (ExpiredItem expired : store.expireItems(clock.instant())) {
            LOG.info("An item from {} to {} expired unread", expired.sender(), expired.recipient());
            if (sessions.pushTo(expired.sender(),
                    new RegistryPush.MailboxExpired(expired.recipient(), expired.itemId()))) {
                store.deleteNotice(expired.seq());
            }
        }
    }

    void prune() {
        putsBySender.prune();
    }

    private static Frame result(Status status, MailboxPut put, Instant expires, String reason) {
        return new MailboxPutResult(status, put.itemId(), expires, reason).toFrame();
    }
}
