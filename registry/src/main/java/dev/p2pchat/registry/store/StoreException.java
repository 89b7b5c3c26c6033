package dev.p2pchat.registry.store;

/**
 * The store failed for a reason the caller cannot fix by changing its request
 * (I/O error, corrupt database, store closed). Expected outcomes such as a taken
 * name are return values, never this exception.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(String message) {
        super(message);
    }
}
