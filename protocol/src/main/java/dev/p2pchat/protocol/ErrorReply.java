package dev.p2pchat.protocol;

/**
 * {@code ERROR PHRASE CODE} with a {@code reason}: the answer to a frame that could not be taken as a
 * valid request (bad syntax, unknown command, wrong state, rate limit, server fault). It echoes the
 * request's {@code id} when the request had one.
 */
public record ErrorReply(Status status, String reason) implements RegistryReply, PeerReply {
    public static final String VERB = "ERROR";

    public ErrorReply {
        java.util.Objects.requireNonNull(status, "status");
        reason = Check.reason(reason);
        if (status.isSuccess()) {
            throw new IllegalArgumentException("an error needs a failure status");
        }
    }

    public static ErrorReply of(ProtocolException e) {
        return new ErrorReply(e.status(), clip(e.reason()));
    }

    /** The answer to a bad frame, carrying the frame's {@code id} when it could be read. */
    public static Frame frameFor(ProtocolException e) {
        return of(e).toFrame().withId(e.id());
    }

    private static String clip(String reason) {
        String oneLine = reason.replaceAll("\\p{Cntrl}", " ");
        if (!Syntax.isWellFormed(oneLine)) {
            oneLine = new String(oneLine.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    java.nio.charset.StandardCharsets.UTF_8);
        }
        if (oneLine.length() <= Limits.MAX_REASON_CHARS) {
            return oneLine;
        }
        int end = Limits.MAX_REASON_CHARS;
        if (Character.isHighSurrogate(oneLine.charAt(end - 1))) {
            end--; // never cut a character in half
        }
        return oneLine.substring(0, end);
    }

    @Override
    public Frame toFrame() {
        return Frame.response(VERB, status, Headers.builder().put(HeaderNames.REASON, reason).build());
    }

    static ErrorReply from(Frame f) throws ProtocolException {
        return Fields.build(f, () -> new ErrorReply(f.status(), Fields.required(f, HeaderNames.REASON)));
    }
}
