package dev.p2pchat.peer.contacts;

/** What {@link ContactBook#observe} made of a key seen for a user. */
public sealed interface Seen {

    /** Whether the key may be used (sealed to, accepted from, linked with). */
    boolean accepted();

    /** The pinned key: fine. */
    record Pinned(Contact contact) implements Seen {
        @Override
        public boolean accepted() {
            return true;
        }
    }

    /** The first key seen for this user: pinned now (trust on first use). */
    record FirstContact(Contact contact) implements Seen {
        @Override
        public boolean accepted() {
            return true;
        }
    }

    /**
     * Another key than the pinned one: refused until the user trusts it. {@code fresh} the first time this run
     * that this key was seen for this user, so that the warning is loud once, not at every retry.
     */
    record Changed(Contact contact, String offered, boolean fresh) implements Seen {
        @Override
        public boolean accepted() {
            return false;
        }
    }
}
