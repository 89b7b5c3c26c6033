package dev.p2pchat.registry.service;

import java.time.Duration;
import java.util.Objects;

/**
 * The limits of the registry's mailboxes (offline delivery).
 *
 * @param ttl           the longest an item waits unread; a sender may ask for less
 * @param maxItems      items waiting for one recipient at most
 * @param maxBytes      sealed bytes waiting for one recipient at most
 * @param putsPerMinute MAILBOX_PUTs one sender may make within a minute
 * @param sweepInterval how often expired items are looked for
 */
public record MailboxSettings(Duration ttl, int maxItems, long maxBytes, int putsPerMinute, Duration sweepInterval) {
    public static final Duration DEFAULT_TTL = Duration.ofDays(7);
    public static final int DEFAULT_MAX_ITEMS = 1000;
    public static final long DEFAULT_MAX_BYTES = 4L << 20;
    public static final int DEFAULT_PUTS_PER_MINUTE = 60;
    public static final Duration DEFAULT_SWEEP_INTERVAL = Duration.ofMinutes(1);
    public static final Duration PUT_WINDOW = Duration.ofMinutes(1);

    public static final MailboxSettings DEFAULTS = new MailboxSettings(DEFAULT_TTL, DEFAULT_MAX_ITEMS,
            DEFAULT_MAX_BYTES, DEFAULT_PUTS_PER_MINUTE, DEFAULT_SWEEP_INTERVAL);

    public MailboxSettings {
        Objects.requireNonNull(ttl, "ttl");
        Objects.requireNonNull(sweepInterval, "sweepInterval");
        if (ttl.isNegative() || ttl.isZero() || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new IllegalArgumentException("mailbox ttl and sweep interval must be positive");
        }
        if (maxItems < 1 || maxBytes < 1 || putsPerMinute < 1) {
            throw new IllegalArgumentException("mailbox limits must be at least 1");
        }
    }

    public MailboxSettings withTtl(Duration v) {
        return new MailboxSettings(v, maxItems, maxBytes, putsPerMinute, sweepInterval);
    }

    public MailboxSettings withQuota(int items, long bytes) {
        return new MailboxSettings(ttl, items, bytes, putsPerMinute, sweepInterval);
    }

    public MailboxSettings withPutsPerMinute(int v) {
        return new MailboxSettings(ttl, maxItems, maxBytes, v, sweepInterval);
    }

    public MailboxSettings withSweepInterval(Duration v) {
        return new MailboxSettings(ttl, maxItems, maxBytes, putsPerMinute, v);
    }
}
