package dev.p2pchat.relay;

import java.time.Duration;
import java.util.Objects;

/**
 * What one relay carries at most.
 *
 * @param maxLinks         relayed links at once; beyond, {@code FULL 503}
 * @param maxLinksPerUser  links one user may have relayed at once; beyond, {@code RATE_LIMITED 429}
 * @param bytesPerSecond   per link and direction; beyond, the relay reads more slowly (back-pressure, no loss)
 * @param partnerWait      how long the first side waits for the second; then {@code REQUEST_TIMEOUT 408}
 * @param handshakeTimeout the TLS handshake with the relay, and its {@code RELAY_JOIN} frame, within this
 */
public record RelayLimits(int maxLinks, int maxLinksPerUser, long bytesPerSecond, Duration partnerWait,
                          Duration handshakeTimeout) {
    /** A few hundred chats at text speed, a file or two at a time: 256 KiB/s a link, 1,000 links. */
    public static final RelayLimits DEFAULTS = new RelayLimits(1000, 8, 256 * 1024, Duration.ofSeconds(10),
            Duration.ofSeconds(10));

    public RelayLimits {
        if (maxLinks < 1 || maxLinksPerUser < 1 || bytesPerSecond < 1) {
            throw new IllegalArgumentException("relay limits must be positive");
        }
        Objects.requireNonNull(partnerWait, "partnerWait");
        Objects.requireNonNull(handshakeTimeout, "handshakeTimeout");
    }
}
