package dev.p2pchat.registry.store;

import java.time.Instant;
import java.util.List;

/**
 * Durable mailboxes and identity certificates: what offline delivery needs of the registry's disk. The store holds
 * sealed bytes it cannot read; a method that returns has committed its change (a STORED answer may follow it).
 * Names are folded as for accounts.
 */
public interface MailboxStore {

    /** What {@link #putItem} did. */
    enum PutOutcome {
        STORED,
        /** The same sender already left an item with this id for this recipient: nothing changed. */
        ALREADY_STORED,
        NO_SUCH_RECIPIENT,
        TOO_MANY_ITEMS,
        TOO_MANY_BYTES
    }

    /** @return the outcome and, when stored (now or before), the item's expiry */
    record Put(PutOutcome outcome, Instant expiresAt) {
    }

    /**
     * Stores {@code item} unless the recipient's waiting items would then exceed {@code maxItems} or
     * {@code maxBytes}. The check and the insert are one step: concurrent puts cannot overfill a mailbox.
     */
    Put putItem(NewItem item, int maxItems, long maxBytes);

    /** Waiting (not expired) items of {@code recipient} after {@code afterSeq}, oldest first, up to {@code limit}. */
    List<StoredItem> waitingItems(String recipient, long afterSeq, int limit);

    /** Deletes these items of {@code recipient}'s mailbox (by sender and id); returns how many were there. */
    int deleteItems(String recipient, List<ItemKey> items);

    /**
     * Turns every item that expired at {@code now} into a notice for its sender: its sealed bytes are deleted,
     * the row stays until {@link #deleteNotice}. Returns the notices made.
     */
    List<ExpiredItem> expireItems(Instant now);

    /** Notices of {@code sender}'s items that expired unread, oldest first. */
    List<ExpiredItem> noticesFor(String sender);

    void deleteNotice(long seq);

    /**
     * Records {@code username}'s current identity certificate (base64 DER) if it changed; {@link
     * RegistryStore#findAccount} reads it back as {@link Account#certificate()}.
     */
    void updateCertificate(String username, String certificate);

    /** A sender's item as the sender put it; names are the accounts' spellings. */
    record NewItem(String recipient, String sender, String itemId, byte[] sealed, Instant storedAt,
                   Instant expiresAt) {
    }

    /** An item waiting in a mailbox. */
    record StoredItem(long seq, String sender, String itemId, byte[] sealed, Instant storedAt) {
    }

    record ItemKey(String sender, String itemId) {
    }

    /** An item deleted unread: what its sender is told. */
    record ExpiredItem(long seq, String sender, String recipient, String itemId) {
    }
}
