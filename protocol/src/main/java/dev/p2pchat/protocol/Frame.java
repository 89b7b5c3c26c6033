package dev.p2pchat.protocol;

import java.util.Objects;

/**
 * One unit on the wire: a start line, header lines and an optional UTF-8 payload.
 * A request's start line is its verb alone ({@code REGISTER}); a response's adds a status
 * ({@code REGISTER EXIST 300}), so {@code status} is null exactly for requests and pushes.
 */
public record Frame(String verb, Status status, Headers headers, String payload) {
    public Frame {
        Objects.requireNonNull(verb, "verb");
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(payload, "payload");
        if (!Syntax.isVerb(verb)) {
            throw new IllegalArgumentException("verb must be upper-case letters, digits and '_': " + verb);
        }
    }

    public static Frame request(String verb, Headers headers) {
        return new Frame(verb, null, headers, "");
    }

    public static Frame response(String verb, Status status, Headers headers) {
        return new Frame(verb, status, headers, "");
    }

    public boolean isResponse() {
        return status != null;
    }

    public String header(String name) {
        return headers.valueOrNull(name);
    }

    /** The correlation id, or null. Responses echo the request's id; pushes have none. */
    public String id() {
        return headers.valueOrNull(HeaderNames.ID);
    }

    public Frame withId(String id) {
        return id == null ? this : new Frame(verb, status, headers.with(HeaderNames.ID, id), payload);
    }

    public Frame withPayload(String newPayload) {
        return new Frame(verb, status, headers, newPayload);
    }

    public String startLine() {
        return status == null ? verb : verb + " " + status.phrase() + " " + status.code();
    }
}
