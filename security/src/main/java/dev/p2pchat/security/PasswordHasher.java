package dev.p2pchat.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
import org.bouncycastle.crypto.generators.Argon2BytesGenerator;
import org.bouncycastle.crypto.params.Argon2Parameters;

/**
 * Argon2id storage of the password digests clients send ({@link PasswordDigest}). A stored hash
 * carries its own parameters, so raising {@link Argon2Params} later keeps old hashes verifiable;
 * {@link #needsRehash} says when to replace one after a successful login. Thread-safe.
 */
public final class PasswordHasher {

    static final int SALT_BYTES = 16;
    static final int HASH_BYTES = 32;

    private final Argon2Params params;
    private final SecureRandom random;

    public PasswordHasher(Argon2Params params, SecureRandom random) {
        this.params = Objects.requireNonNull(params, "params");
        this.random = Objects.requireNonNull(random, "random");
    }

    public Argon2Params params() {
        return params;
    }

    /** A PHC string such as {@code $argon2id$v=19$m=19456,t=2,p=1$<salt>$<hash>}, with a fresh 16-byte salt. */
    public String hash(String secret) {
        Objects.requireNonNull(secret, "secret");
        byte[] salt = new byte[SALT_BYTES];
        random.nextBytes(salt);
        return new Argon2Hash(params, salt, derive(secret, params, salt, HASH_BYTES)).encode();
    }

    /**
     * Whether {@code secret} is what {@code encoded} was made from, using the parameters stored in
     * {@code encoded}. Anything malformed is simply false, never an exception.
     */
    public boolean verify(String secret, String encoded) {
        if (secret == null) {
            return false;
        }
        Optional<Argon2Hash> stored = Argon2Hash.parse(encoded);
        if (stored.isEmpty()) {
            return false;
        }
        Argon2Hash expected = stored.get();
        byte[] actual = derive(secret, expected.params(), expected.salt(), expected.hash().length);
        return MessageDigest.isEqual(actual, expected.hash());
    }

    /** True when {@code encoded} is malformed, or cheaper than this hasher's parameters or hash format. */
    public boolean needsRehash(String encoded) {
        return Argon2Hash.parse(encoded)
                .map(stored -> stored.params().weakerThan(params)
                        || stored.salt().length < SALT_BYTES
                        || stored.hash().length < HASH_BYTES)
                .orElse(true);
    }

    private static byte[] derive(String secret, Argon2Params params, byte[] salt, int length) {
        Argon2Parameters parameters = new Argon2Parameters.Builder(Argon2Parameters.ARGON2_id)
                .withVersion(Argon2Parameters.ARGON2_VERSION_13)
                .withMemoryAsKB(params.memoryKiB())
                .withIterations(params.iterations())
                .withParallelism(params.parallelism())
                .withSalt(salt)
                .build();
        Argon2BytesGenerator generator = new Argon2BytesGenerator();
        generator.init(parameters);
        byte[] password = secret.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[length];
        try {
            generator.generateBytes(password, out);
        } finally {
            Arrays.fill(password, (byte) 0);
            parameters.clear();
        }
        return out;
    }
}
