package dev.p2pchat.protocol;

import java.util.Objects;

/**
 * A peer's answer to one of a file transfer's requests ({@link PeerRequest.FileRequest}); failures are
 * {@link ErrorReply}s. Each echoes the transfer id.
 */
public sealed interface FileReply extends PeerReply {

    String transferId();

    /** {@code FILE_OFFER_RESPONSE SUCCESS 200}: the offer is shown to the recipient, who will get or decline it. */
    record OfferResponse(Status status, String transferId) implements FileReply {
        public static final String VERB = "FILE_OFFER_RESPONSE";

        public OfferResponse {
            Objects.requireNonNull(status, "status");
            Check.id("transfer_id", transferId);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId).build());
        }
    }

    /** {@code FILE_GET_RESPONSE SUCCESS 200}: FILE_CHUNKs from the asked offset follow. */
    record GetResponse(Status status, String transferId) implements FileReply {
        public static final String VERB = "FILE_GET_RESPONSE";

        public GetResponse {
            Objects.requireNonNull(status, "status");
            Check.id("transfer_id", transferId);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId).build());
        }
    }

    /**
     * {@code FILE_CHUNK_RESPONSE SUCCESS 200}: the chunk is on the receiver's disk, which now holds {@code received}
     * bytes; each answer lets the sender have one more chunk unanswered (the window's credit). When
     * {@code received} is the file's size, the SHA-256 matched and the file is in place.
     */
    record ChunkResponse(Status status, String transferId, long received) implements FileReply {
        public static final String VERB = "FILE_CHUNK_RESPONSE";

        public ChunkResponse {
            Objects.requireNonNull(status, "status");
            Check.id("transfer_id", transferId);
            if (received < 0) {
                throw new IllegalArgumentException("received must not be negative");
            }
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId)
                    .put(HeaderNames.RECEIVED, Long.toString(received)).build());
        }
    }

    /** {@code FILE_DECLINE_RESPONSE SUCCESS 200}: the sender forgot the offer. */
    record DeclineResponse(Status status, String transferId) implements FileReply {
        public static final String VERB = "FILE_DECLINE_RESPONSE";

        public DeclineResponse {
            Objects.requireNonNull(status, "status");
            Check.id("transfer_id", transferId);
        }

        @Override
        public Frame toFrame() {
            return Frame.response(VERB, status, Headers.builder().put(HeaderNames.TRANSFER_ID, transferId).build());
        }
    }

    static FileReply from(Frame f) throws ProtocolException {
        return Fields.build(f, () -> switch (f.verb()) {
            case OfferResponse.VERB -> new OfferResponse(f.status(), Fields.required(f, HeaderNames.TRANSFER_ID));
            case GetResponse.VERB -> new GetResponse(f.status(), Fields.required(f, HeaderNames.TRANSFER_ID));
            case ChunkResponse.VERB -> new ChunkResponse(f.status(), Fields.required(f, HeaderNames.TRANSFER_ID),
                    Fields.nonNegativeLong(f, HeaderNames.RECEIVED));
            case DeclineResponse.VERB -> new DeclineResponse(f.status(), Fields.required(f, HeaderNames.TRANSFER_ID));
            default -> throw new IllegalArgumentException("not a file reply: " + f.verb());
        });
    }
}
