package dev.p2pchat.peer.registry;

import java.io.IOException;

/** The registry could not be reached within the request timeout (a reconnection may be under way). */
public final class NotConnectedException extends IOException {
    public NotConnectedException(String message) {
        super(message);
    }
}
