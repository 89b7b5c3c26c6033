package dev.p2pchat.cli.session;

import java.time.Duration;

import dev.p2pchat.peer.files.FileNotice;
import dev.p2pchat.peer.files.Progress;
import dev.p2pchat.peer.files.Sizes;

/**
 * The line a file transfer's notice shows in its chat: offers with how to answer, a progress bar with percent,
 * rate and time left, and the final {@code file received NAME PATH SHA256} / {@code file sent NAME FILE SHA256}
 * lines a script can match. Names are as received; the view strips what a terminal must not see.
 */
final class FileLines {
    private static final int BAR = 20;

    private FileLines() {
    }

    static String line(FileNotice notice) {
        return switch (notice) {
            case FileNotice.Offered o -> o.peer() + " offers " + o.name() + " (" + Sizes.human(o.size()) + ", sha256 "
                    + o.sha256() + ") — /get " + o.peer() + " [DIR] or /decline " + o.peer() + " (expires in "
                    + o.expiresIn().toMinutes() + " min)";
            case FileNotice.OfferSent o -> "offered " + o.name() + " (" + Sizes.human(o.size()) + ") to " + o.peer()
                    + " — waiting for /get";
            case FileNotice.Declined d when d.incoming() -> "refused " + d.name() + " from " + d.peer() + ": " + d.reason();
            case FileNotice.Declined d -> d.peer() + " refused " + d.name() + ": " + d.reason();
            case FileNotice.Started s when s.offset() > 0 -> (s.incoming() ? "resuming " + s.name() + " from " + s.peer()
                    : "resuming " + s.name() + " for " + s.peer()) + " at offset " + s.offset() + " ("
                    + (s.size() == 0 ? 100 : s.offset() * 100 / s.size()) + "%)";
            case FileNotice.Started s -> s.incoming() ? "receiving " + s.name() + " from " + s.peer()
                    : "sending " + s.name() + " to " + s.peer();
            case FileNotice.Moved m -> (m.incoming() ? m.name() + " from " + m.peer() : m.name() + " to " + m.peer())
                    + " " + bar(m.progress());
            case FileNotice.Received r -> "file received " + r.peer() + " " + r.path() + " " + r.sha256();
            case FileNotice.Sent s -> "file sent " + s.peer() + " " + s.file() + " " + s.sha256();
            case FileNotice.Interrupted i -> (i.incoming() ? i.name() + " from " + i.peer() : i.name() + " to " + i.peer())
                    + " interrupted at " + Sizes.human(i.done()) + " of " + Sizes.human(i.size()) + ": " + i.reason()
                    + (i.incoming() ? " — /get " + i.peer() + " resumes it" : " — it resumes when " + i.peer() + " asks");
            case FileNotice.Failed f -> (f.incoming() ? f.name() + " from " + f.peer() : f.name() + " to " + f.peer())
                    + " failed: " + f.reason();
        };
    }

    /**
     * Which transfer a notice is about ({@code <bob/a.bin} incoming, {@code >bob/a.bin} outgoing), or null for an
     * offer, which moves no bytes yet.
     */
    static String transfer(FileNotice notice) {
        return switch (notice) {
            case FileNotice.Offered o -> null;
            case FileNotice.OfferSent o -> null;
            case FileNotice.Declined d -> key(d.incoming(), d.peer(), d.name());
            case FileNotice.Started s -> key(s.incoming(), s.peer(), s.name());
            case FileNotice.Moved m -> key(m.incoming(), m.peer(), m.name());
            case FileNotice.Received r -> key(true, r.peer(), r.name());
            case FileNotice.Sent s -> key(false, s.peer(), s.name());
            case FileNotice.Interrupted i -> key(i.incoming(), i.peer(), i.name());
            case FileNotice.Failed f -> key(f.incoming(), f.peer(), f.name());
        };
    }

    private static String key(boolean incoming, String peer, String name) {
        return (incoming ? "<" : ">") + peer + "/" + name;
    }

    /** {@code [#########...........]  45% 1.2 MiB/s 3s left}. */
    static String bar(Progress p) {
        int filled = p.percent() * BAR / 100;
        return "[" + "#".repeat(filled) + ".".repeat(BAR - filled) + "] " + String.format("%3d%%", p.percent()) + " "
                + Sizes.human(p.bytesPerSecond()) + "/s " + left(p.left());
    }

    private static String left(Duration d) {
        if (d == null) {
            return "—";
        }
        long s = d.toSeconds();
        return (s >= 3600 ? s / 3600 + "h" + (s % 3600) / 60 + "m" : s >= 60 ? s / 60 + "m" + s % 60 + "s" : s + "s")
                + " left";
    }
}
