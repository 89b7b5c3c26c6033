package dev.p2pchat.protocol;

/**
 * {@code ERROR PHRASE CODE} with a {@code reason}: the answer to a frame that could not be taken as a
 * valid request (bad syntax, unknown command, wrong state, rate limit, server fault). It echoes the
 * request's {@code id} when the request had one.
 */
public record ErrorReply(Status status, String reason) implements RegistryReply, PeerReply {
    public static final String VERB = "ERROR";

    public ErrorReply {
        Check.text("reason", reason);
        if (status.isSuccess()) {
            throw new IllegalArgumentException("an error needs a failure status");
        }
    }

    public static ErrorReply of(ProtocolException e) {
        return new ErrorReply(e.status(), clip(e.reason()));
    }

    private static String clip(String reason) {
        String oneLine = reason.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() > Limits.MAX_REASON_CHARS ? oneLine.substring(0, Limits.MAX_REASON_CHARS) : oneLine;
    }

    @Override
    public Frame toFrame() {
        return Frame.response(VERB, status, Headers.builder().put(HeaderNames.REASON, reason).build());
    }

    static ErrorReply from(Frame f) throws ProtocolException {
        return Fields.build(f, () -> new ErrorReply(f.status(), Fields.required(f, HeaderNames.REASON)));
    }
}
