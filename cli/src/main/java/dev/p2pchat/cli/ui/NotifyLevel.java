package dev.p2pchat.cli.ui;

/** {@code --notify}: which messages ring the bell and send a desktop notification. */
public enum NotifyLevel {
    /** Every message in a buffer not being looked at, plus mentions, private messages and chat requests. */
    ALWAYS,
    /** Mentions of the user's name, private messages and chat requests (the default). */
    MENTIONS,
    /** Nothing rings; the status line still highlights. */
    NEVER
}
