package dev.p2pchat.transport;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits one {@link FrameChannel} lives by.
 *
 * @param handshakeTimeout the whole TLS handshake, from the first byte to the last, however slowly they come
 * @param frameTimeout     one frame, from its first byte to its last; time the owner spends handling a frame
 *                         does not count
 * @param idleTimeout      with no frame in either direction for this long the channel is closed; null: never.
 *                         The owner may change it at any time ({@link FrameChannel#idleTimeout(Duration)})
 * @param maxQueuedBytes   bytes queued for the other side at most; a send beyond it closes the channel as not
 *                         reading. Above half of it the channel stops reading the other side's requests until
 *                         the queue drains, so a client that pipelines faster than it reads is slowed, not cut
 * @param writeTimeout     one write to the socket blocked this long means the other side stopped reading
 * @param closeGrace       how long a graceful close waits for queued frames to be written
 */
public record ChannelSettings(Duration handshakeTimeout, Duration frameTimeout, Duration idleTimeout,
                              int maxQueuedBytes, Duration writeTimeout, Duration closeGrace) {
    /** 1 MiB: many times the largest frame (a 64 KiB payload), and 20 GiB for 20,000 connections at worst. */
    public static final int DEFAULT_MAX_QUEUED_BYTES = 1 << 20;

    public ChannelSettings {
        positive(handshakeTimeout, "handshakeTimeout");
        positive(frameTimeout, "frameTimeout");
        if (idleTimeout != null) {
            positive(idleTimeout, "idleTimeout");
        }
        positive(writeTimeout, "writeTimeout");
        Objects.requireNonNull(closeGrace, "closeGrace");
        if (maxQueuedBytes < 1) {
            throw new IllegalArgumentException("maxQueuedBytes must be positive");
        }
    }

    /** The same limit for the handshake, each frame and a blocked write; no idle limit; 1 MiB queue. */
    public static ChannelSettings of(Duration timeout) {
        return new ChannelSettings(timeout, timeout, null, DEFAULT_MAX_QUEUED_BYTES, timeout, Duration.ofSeconds(1));
    }

    /**
     * The shortest of the limits a channel is held to while open: the handshake, a frame, the idle time, a blocked
     * write. Not a close's grace: a channel already closing may be let go a tick late.
     */
    public Duration shortestDeadline() {
        Duration shortest = handshakeTimeout;
        for (Duration d : new Duration[] {frameTimeout, idleTimeout, writeTimeout}) {
            if (d != null && d.isPositive() && d.compareTo(shortest) < 0) {
                shortest = d;
            }
        }
        return shortest;
    }

    public ChannelSettings withIdleTimeout(Duration idle) {
        return new ChannelSettings(handshakeTimeout, frameTimeout, idle, maxQueuedBytes, writeTimeout, closeGrace);
    }

    public ChannelSettings withMaxQueuedBytes(int bytes) {
        return new ChannelSettings(handshakeTimeout, frameTimeout, idleTimeout, bytes, writeTimeout, closeGrace);
    }

    public ChannelSettings withCloseGrace(Duration grace) {
        return new ChannelSettings(handshakeTimeout, frameTimeout, idleTimeout, maxQueuedBytes, writeTimeout, grace);
    }

    private static void positive(Duration d, String name) {
        Objects.requireNonNull(d, name);
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }
}
