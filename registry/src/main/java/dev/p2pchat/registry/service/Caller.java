package dev.p2pchat.registry.service;

import dev.p2pchat.registry.session.Outbox;
import dev.p2pchat.registry.session.Session;

/** The connection a request came in on, as {@link RegistryService} sees it. Used from that connection's thread. */
public interface Caller {

    /** The remote address of the TLS connection: the only IP the registry ever records for a peer. */
    String ip();

    Outbox outbox();

    /** The session this connection is logged in as, or null. */
    Session session();

    void loggedIn(Session session);

    void loggedOut();

    /** False once the connection is closing: work queued for it (Argon2) is then skipped. */
    boolean isOpen();

    /**
     * Runs {@code effect} once the answer to the request being handled is queued, on this connection's thread: how
     * pushes that must follow an answer (the mailbox after {@code AUTH SUCCESS}) are ordered after it.
     */
    void afterReply(Runnable effect);

    /** How far this connection has pushed its user's mailbox; a fresh one after every login. */
    MailboxCursor mailboxCursor();
}
