package dev.p2pchat.peer.files;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Turns the name a remote peer offers into one that is safe to create in the download directory: the last
 * path element only (so {@code ../../etc/passwd} is {@code passwd}), no control or bidi characters, no leading
 * dots (no hidden files, no {@code ..}), at most {@value #MAX_BYTES} UTF-8 bytes, never empty. Never trusts
 * the name to be anything.
 */
public final class FileNames {
    /** Room for " (999)" and the ".part" of the partial file within the common 255-byte limit. */
    static final int MAX_BYTES = 200;
    static final String FALLBACK = "file";

    private FileNames() {
    }

    public static String sanitise(String offered) {
        String name = offered == null ? "" : offered;
        // Both separators: a Windows sender's path is a path too.
        int cut = Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\'));
        name = name.substring(cut + 1);
        StringBuilder clean = new StringBuilder(name.length());
        name.codePoints().filter(FileNames::allowed).forEach(clean::appendCodePoint);
        int start = 0;
        while (start < clean.length() && (clean.charAt(start) == '.' || clean.charAt(start) == ' ')) {
            start++;
        }
        String result = clean.substring(start).strip();
        result = truncate(result);
        return result.isEmpty() ? FALLBACK : result;
    }

    private static boolean allowed(int cp) {
        return !Character.isISOControl(cp) && cp != ':' && Character.getType(cp) != Character.FORMAT
                && Character.getType(cp) != Character.SURROGATE && Character.getType(cp) != Character.UNASSIGNED
                && Character.getType(cp) != Character.LINE_SEPARATOR
                && Character.getType(cp) != Character.PARAGRAPH_SEPARATOR;
    }

    /** Cuts at a code point boundary, keeping the extension when it is short. */
    private static String truncate(String name) {
        if (name.getBytes(StandardCharsets.UTF_8).length <= MAX_BYTES) {
            return name;
        }
        int dot = name.lastIndexOf('.');
        String ext = dot > 0 && name.length() - dot <= 16 ? name.substring(dot) : "";
        String stem = ext.isEmpty() ? name : name.substring(0, dot);
        int budget = MAX_BYTES - ext.getBytes(StandardCharsets.UTF_8).length;
        StringBuilder out = new StringBuilder();
        int used = 0;
        for (int i = 0; i < stem.length(); ) {
            int cp = stem.codePointAt(i);
            int bytes = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8).length;
            if (used + bytes > budget) {
                break;
            }
            out.appendCodePoint(cp);
            used += bytes;
            i += Character.charCount(cp);
        }
        return out.toString().strip() + ext;
    }

    /** {@code name}, or {@code name (1).ext}, {@code name (2).ext}, … : the first that does not exist in {@code dir}. */
    public static Path unclashing(Path dir, String name) {
        Path candidate = dir.resolve(name);
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        for (int n = 1; Files.exists(candidate, java.nio.file.LinkOption.NOFOLLOW_LINKS); n++) {
            candidate = dir.resolve(stem + " (" + n + ")" + ext);
        }
        return candidate;
    }
}
