package dev.p2pchat.peer.reach.natpmp;

import java.io.IOException;

/** A gateway's NAT-PMP answer was malformed, refused the request, or never came. */
public final class NatPmpException extends IOException {
    public NatPmpException(String message) {
        super(message);
    }
}
