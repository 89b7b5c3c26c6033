package dev.p2pchat.cli.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerListener;

/**
 * The listener handed to {@code Peer.start}, before the {@link ChatSession} that shows events can exist
 * (the session needs the started peer). Holds events until {@link #attach}, then forwards them in order.
 */
public final class EventRelay implements PeerListener {

    private final List<PeerEvent> early = new ArrayList<>();
    private PeerListener target;

    @Override
    public void onEvent(PeerEvent event) {
        PeerListener to;
        synchronized (this) {
            if (target == null) {
                early.add(event);
                return;
            }
            to = target;
        }
        to.onEvent(event);
    }

    /** Forwards the held events, then every later one, to {@code listener}. */
    public void attach(PeerListener listener) {
        Objects.requireNonNull(listener, "listener");
        synchronized (this) {
            early.forEach(listener::onEvent);
            early.clear();
            target = listener;
        }
    }
}
