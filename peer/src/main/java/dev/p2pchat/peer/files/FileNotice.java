package dev.p2pchat.peer.files;

import java.nio.file.Path;
import java.time.Duration;

/**
 * What a file transfer tells the user, on either side. Names that came from the network ({@code peer}, the
 * offered {@code name}) are passed through as received: whoever displays them must sanitise them.
 */
public sealed interface FileNotice {

    /** The other user ({@code from} or {@code to}). */
    String peer();

    /** {@code from} offers a file: {@code /get from} or {@code /decline from}; it expires after {@code expiresIn}. */
    record Offered(String peer, String name, long size, String sha256, Duration expiresIn) implements FileNotice {
    }

    /** This user's offer reached {@code peer}, who now gets or declines it. */
    record OfferSent(String peer, String name, long size, String sha256) implements FileNotice {
    }

    /** {@code peer} refused or let expire this user's offer (or a received offer expired here). */
    record Declined(String peer, String name, boolean incoming, String reason) implements FileNotice {
    }

    /** Bytes are moving ({@code incoming}: to this user); {@code offset} is where this run started (0: from the start). */
    record Started(String peer, String name, boolean incoming, long offset, long size) implements FileNotice {
    }

    record Moved(String peer, String name, boolean incoming, Progress progress) implements FileNotice {
    }

    /** The file is in place ({@code path}) and its SHA-256 is the offered one. */
    record Received(String peer, String name, Path path, String sha256) implements FileNotice {
    }

    /** {@code peer} confirmed the whole file with the right SHA-256. */
    record Sent(String peer, String name, Path file, String sha256) implements FileNotice {
    }

    /** The transfer stopped at {@code done} bytes but can resume (the link broke, a side restarted). */
    record Interrupted(String peer, String name, boolean incoming, long done, long size, String reason)
            implements FileNotice {
    }

    /** The transfer is over without the file (refused, changed, corrupted); nothing is kept. */
    record Failed(String peer, String name, boolean incoming, String reason) implements FileNotice {
    }
}
