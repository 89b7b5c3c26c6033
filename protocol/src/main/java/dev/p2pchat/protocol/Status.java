package dev.p2pchat.protocol;

import java.util.Objects;

/**
 * The {@code PHRASE CODE} part of a response's start line, e.g. {@code SUCCESS 200}.
 * The design document's phrases are kept; codes 400-503 are extensions for errors a client must tell apart.
 */
public record Status(String phrase, int code) {
    public static final Status SUCCESS = new Status("SUCCESS", 200);
    public static final Status FOUND = new Status("FOUND", 200);
    public static final Status ACCEPT = new Status("ACCEPT", 200);
    public static final Status EXIST = new Status("EXIST", 300);
    public static final Status ONLINE = new Status("ONLINE", 300);
    public static final Status NOT_ONLINE = new Status("NOT_ONLINE", 300);
    public static final Status FAILURE = new Status("FAILURE", 404);
    public static final Status NOT_FOUND = new Status("NOT_FOUND", 404);
    public static final Status REJECT = new Status("REJECT", 404);
    public static final Status BAD_REQUEST = new Status("BAD_REQUEST", 400);
    public static final Status NOT_LOGGED_IN = new Status("NOT_LOGGED_IN", 401);
    /** A relay cannot verify a rendezvous token, or it has expired. */
    public static final Status FORBIDDEN = new Status("FORBIDDEN", 403);
    public static final Status REQUEST_TIMEOUT = new Status("REQUEST_TIMEOUT", 408);
    public static final Status WRONG_STATE = new Status("WRONG_STATE", 409);
    /**
     * JOIN_CHAT_ROOM refused: the session is in as many rooms as the registry allows. A 409 like WRONG_STATE (a
     * client that knows only the code reads it so); the phrase tells it apart from "already in this room".
     */
    public static final Status TOO_MANY_ROOMS = new Status("TOO_MANY_ROOMS", 409);
    public static final Status RATE_LIMITED = new Status("RATE_LIMITED", 429);
    public static final Status SERVER_ERROR = new Status("SERVER_ERROR", 500);
    public static final Status FULL = new Status("FULL", 503);
    /** A mailbox item is committed to the registry's disk. */
    public static final Status STORED = new Status("STORED", 200);
    /** A mailbox item is larger than {@link Limits#MAX_SEALED_ITEM_BYTES}. */
    public static final Status TOO_LARGE = new Status("TOO_LARGE", 413);
    /** FILE_GET: the offered file changed on the sender's disk since the offer (size or modification time). */
    public static final Status FILE_CHANGED = new Status("FILE_CHANGED", 409);
    /** The last FILE_CHUNK: what arrived does not have the offered SHA-256; the receiver dropped it. */
    public static final Status HASH_MISMATCH = new Status("HASH_MISMATCH", 422);
    /** The recipient's mailbox holds as many items, or bytes, as it may. */
    public static final Status MAILBOX_FULL = new Status("MAILBOX_FULL", 507);

    public Status {
        Objects.requireNonNull(phrase, "phrase");
        if (!Syntax.isPhrase(phrase)) {
            throw new IllegalArgumentException("status phrase must be upper-case letters and '_': " + phrase);
        }
        if (code < 100 || code > 999) {
            throw new IllegalArgumentException("status code must have three digits: " + code);
        }
    }

    public boolean isSuccess() {
        return code >= 200 && code < 300;
    }

    @Override
    public String toString() {
        return phrase + " " + code;
    }
}
