package dev.p2pchat.security;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * What a client sends instead of its password: the lowercase hex SHA-256 of the password's UTF-8
 * bytes. The registry never sees the password itself and stores only an Argon2id hash of this
 * digest (see {@link PasswordHasher}).
 */
public final class PasswordDigest {

    private PasswordDigest() {
    }

    public static String sha256Hex(char[] password) {
        ByteBuffer encoded = StandardCharsets.UTF_8.encode(CharBuffer.wrap(password));
        byte[] bytes = new byte[encoded.remaining()];
        encoded.get(bytes);
        try {
            return HexFormat.of().formatHex(Fingerprints.sha256(bytes));
        } finally {
            // Both the encoder's buffer and our copy held the password in clear.
            Arrays.fill(bytes, (byte) 0);
            if (encoded.hasArray()) {
                Arrays.fill(encoded.array(), (byte) 0);
            }
        }
    }
}
