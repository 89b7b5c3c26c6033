package dev.p2pchat.peer;

import dev.p2pchat.peer.contacts.Contact;
import dev.p2pchat.peer.contacts.ContactBook;
import dev.p2pchat.peer.contacts.Seen;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place where a key the network offers for a user meets the logged-in user's pins: every certificate the
 * registry hands out (SEARCH_USER), every certificate a peer link presents, and every key a mailbox item is opened
 * with passes here. A changed key is refused and announced loudly, once per key and run, as
 * {@link PeerEvent.KeyChanged}.
 */
final class ContactKeys {
    private static final Logger LOG = LoggerFactory.getLogger(ContactKeys.class);

    private final PeerStatus status;
    private final ContactBook book;
    private final EventDispatcher events;

    ContactKeys(PeerStatus status, ContactBook book, EventDispatcher events) {
        this.status = status;
        this.book = book;
        this.events = events;
    }

    ContactBook book() {
        return book;
    }

    /**
     * True when {@code fingerprint} may be used as {@code user}'s key now. Nobody logged in pins nothing (nothing is
     * sent or accepted then anyway). {@code certificate} is optional (base64 DER), kept for the safety number.
     */
    boolean accepts(String user, String fingerprint, String certificate, String where) {
        String me = status.username();
        if (me == null || fingerprint == null || user.equalsIgnoreCase(me)) {
            return true;
        }
        Seen seen = book.observe(me, user, fingerprint, certificate);
        switch (seen) {
            case Seen.FirstContact first -> LOG.info("Pinned {}'s key {} (first seen {})", user,
                    first.contact().fingerprint(), where);
            case Seen.Changed changed when changed.fresh() -> {
                LOG.warn("{}'s key changed ({}): pinned {}, now offered {}; refused until /trust", user, where,
                        changed.contact().fingerprint(), changed.offered());
                events.emit(new PeerEvent.KeyChanged(changed.contact().user(), changed.contact().fingerprint(),
                        changed.offered(), where));
            }
            default -> {
            }
        }
        return seen.accepted();
    }

    /** True when {@code user}'s pinned key is refused for another one right now. */
    boolean changed(String user) {
        String me = status.username();
        return me != null && book.get(me, user).map(c -> c.state() == Contact.State.CHANGED).orElse(false);
    }
}
