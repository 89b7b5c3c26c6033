package dev.p2pchat.peer.files;

import java.util.Locale;

/** Byte counts as people read them: 512 B, 3.0 KiB, 1.5 MiB, 2.0 GiB. */
public final class Sizes {
    private Sizes() {
    }

    public static String human(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }

    /**
     * A size as a user types it for {@code --max-file-size}: bytes, or with a suffix K, M, G, T (powers of 1024,
     * an optional "iB" or "B" after it), e.g. {@code 2G}, {@code 512MiB}, {@code 1048576}.
     */
    public static long parse(String text) {
        String t = text.strip().toUpperCase(Locale.ROOT);
        if (t.endsWith("IB")) {
            t = t.substring(0, t.length() - 2);
        } else if (t.endsWith("B")) {
            t = t.substring(0, t.length() - 1);
        }
        long factor = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'K' -> factor = 1L << 10;
                case 'M' -> factor = 1L << 20;
                case 'G' -> factor = 1L << 30;
                case 'T' -> factor = 1L << 40;
                default -> { }
            }
        }
        if (factor != 1) {
            t = t.substring(0, t.length() - 1).strip();
        }
        long n;
        try {
            n = Long.parseLong(t);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a size: \"" + text + "\" (for example 2G, 500M or 1048576)");
        }
        if (n < 0 || n > Long.MAX_VALUE / factor) {
            throw new IllegalArgumentException("size out of range: " + text);
        }
        return n * factor;
    }
}
