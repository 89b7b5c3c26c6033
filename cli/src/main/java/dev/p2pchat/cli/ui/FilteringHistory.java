package dev.p2pchat.cli.ui;

import java.time.Instant;

import org.jline.reader.impl.history.DefaultHistory;

import dev.p2pchat.cli.session.SecretLines;

/** JLine history that never records, and so never saves, a line that may hold a password. */
final class FilteringHistory extends DefaultHistory {

    @Override
    public void add(Instant time, String line) {
        if (!SecretLines.mayHoldSecret(line)) {
            super.add(time, line);
        }
    }
}
