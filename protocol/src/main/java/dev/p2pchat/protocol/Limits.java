package dev.p2pchat.protocol;

/** Every size limit of the wire protocol, in one place; docs/PROTOCOL.md lists the same numbers. */
public final class Limits {
    /** Start line plus all header lines plus the blank line, in bytes. */
    public static final int MAX_HEADER_BLOCK_BYTES = 8 * 1024;
    public static final int MAX_HEADERS = 64;
    public static final int MAX_PAYLOAD_BYTES = 64 * 1024;
    /** One UDP message per datagram; stays under the common 1280-byte IPv6 minimum MTU. */
    public static final int MAX_DATAGRAM_BYTES = 1200;
    public static final int MAX_HEADER_NAME_CHARS = 64;
    public static final int MAX_VERB_CHARS = 64;
    /** Chat message text (DIRECT_MESSAGE / DIRECT_BROADCAST payload). */
    public static final int MAX_MESSAGE_TEXT_BYTES = 4 * 1024;
    /** Free-text single-line fields such as reasons. */
    public static final int MAX_REASON_CHARS = 200;
    /** An identity certificate in base64 ({@code certificate} header): a P-256 self-signed one is about 700. */
    public static final int MAX_CERTIFICATE_CHARS = 4096;
    /**
     * One sealed mailbox item, decoded: a message of {@link #MAX_MESSAGE_TEXT_BYTES} with its headers and the
     * sealing's 81 bytes always fits.
     */
    public static final int MAX_SEALED_ITEM_BYTES = 8 * 1024;
    /** Items one MAILBOX_ACK may acknowledge. */
    public static final int MAX_ACK_ITEMS = 100;
    /** Room names one {@code rooms} header may list (RESUME's rooms to restore, SEARCH_USER's rooms). */
    public static final int MAX_ROOMS_LISTED = 32;
    /** A room message's signature in base64 ({@code signature} header): an ECDSA P-256 one is at most 96. */
    public static final int MAX_SIGNATURE_CHARS = 1024;
    /** Room messages one ROOM_BACKLOG may ask for (and its answer carry). */
    public static final int MAX_BACKLOG_ITEMS = 100;

    /**
     * Bytes of a file one FILE_CHUNK carries at most: in base64 (43,692 characters) well inside
     * {@link #MAX_PAYLOAD_BYTES}.
     */
    public static final int MAX_FILE_CHUNK_BYTES = 32 * 1024;
    /** FILE_CHUNKs a receiver may let a sender have unanswered on one link: 16 x 32 KiB = 512 KiB, half the queue. */
    public static final int MAX_FILE_WINDOW = 16;
    /** A file name as offered, in UTF-8 bytes (the receiver sanitises it further). */
    public static final int MAX_FILE_NAME_BYTES = 255;

    private Limits() {
    }
}
