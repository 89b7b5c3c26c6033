package dev.p2pchat.peer.contacts;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Locale;

/**
 * The number two users compare out of band to know that each has the other's real key, as Signal's numeric
 * fingerprint: for each user, SHA-512 iterated {@value #ITERATIONS} times over (version, public key, name), the
 * first 30 bytes read as six 5-byte numbers mod 100000; the two 30-digit halves in sorted order, so that both sides
 * print the same 60 digits. Only the JDK's SHA-512: nothing here is secret, and nothing is hand-made crypto.
 */
public final class SafetyNumber {
    static final int ITERATIONS = 5200;
    private static final int VERSION = 0;

    private SafetyNumber() {
    }

    /** Twelve groups of five digits, separated by spaces. */
    public static String of(String localUser, PublicKey localKey, String remoteUser, PublicKey remoteKey) {
        String local = half(localUser, localKey.getEncoded());
        String remote = half(remoteUser, remoteKey.getEncoded());
        String digits = local.compareTo(remote) <= 0 ? local + remote : remote + local;
        StringBuilder grouped = new StringBuilder();
        for (int i = 0; i < digits.length(); i += 5) {
            if (i > 0) {
                grouped.append(' ');
            }
            grouped.append(digits, i, i + 5);
        }
        return grouped.toString();
    }

    /** 30 digits for one user; the name is lowercased since the registry compares names without case. */
    static String half(String user, byte[] key) {
        MessageDigest sha512;
        try {
            sha512 = MessageDigest.getInstance("SHA-512");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-512", e);
        }
        byte[] name = user.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8);
        sha512.update(new byte[] {(byte) (VERSION >> 8), (byte) VERSION});
        sha512.update(key);
        byte[] hash = sha512.digest(name);
        for (int i = 1; i < ITERATIONS; i++) {
            sha512.update(hash);
            hash = sha512.digest(key);
        }
        StringBuilder digits = new StringBuilder(30);
        for (int chunk = 0; chunk < 6; chunk++) {
            long value = 0;
            for (int b = 0; b < 5; b++) {
                value = (value << 8) | (hash[chunk * 5 + b] & 0xff);
            }
            digits.append(String.format(Locale.ROOT, "%05d", value % 100000));
        }
        return digits.toString();
    }
}
