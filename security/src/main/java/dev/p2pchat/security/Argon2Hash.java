package dev.p2pchat.security;

import java.util.Base64;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One stored hash in PHC string format:
 * {@code $argon2id$v=19$m=<KiB>,t=<passes>,p=<lanes>$<salt>$<hash>}, salt and hash in standard
 * base64 without padding.
 */
record Argon2Hash(Argon2Params params, byte[] salt, byte[] hash) {

    static final int VERSION = 0x13;
    static final int MIN_SALT_BYTES = 8;
    static final int MIN_HASH_BYTES = 16;
    static final int MAX_BYTES = 64;

    private static final Pattern PHC = Pattern.compile(
            "\\$argon2id\\$v=19\\$m=(\\d{1,8}),t=(\\d{1,3}),p=(\\d{1,3})\\$([A-Za-z0-9+/]{11,86})\\$([A-Za-z0-9+/]{22,86})");
    private static final Base64.Encoder ENCODER = Base64.getEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getDecoder();

    /** Empty for anything that is not a well-formed Argon2id v19 hash within {@link Argon2Params}' bounds. */
    static Optional<Argon2Hash> parse(String encoded) {
        if (encoded == null) {
            return Optional.empty();
        }
        Matcher m = PHC.matcher(encoded);
        if (!m.matches()) {
            return Optional.empty();
        }
        try {
            Argon2Params params = new Argon2Params(
                    Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
            byte[] salt = DECODER.decode(m.group(4));
            byte[] hash = DECODER.decode(m.group(5));
            if (salt.length < MIN_SALT_BYTES || salt.length > MAX_BYTES
                    || hash.length < MIN_HASH_BYTES || hash.length > MAX_BYTES) {
                return Optional.empty();
            }
            return Optional.of(new Argon2Hash(params, salt, hash));
        } catch (IllegalArgumentException e) {
            // Out-of-bounds parameters, or base64 whose length leaves dangling bits.
            return Optional.empty();
        }
    }

    String encode() {
        return "$argon2id$v=19$m=" + params.memoryKiB() + ",t=" + params.iterations() + ",p=" + params.parallelism()
                + "$" + ENCODER.encodeToString(salt) + "$" + ENCODER.encodeToString(hash);
    }
}
