package dev.p2pchat.security;

/**
 * Argon2id cost parameters. The upper bounds exist because {@link PasswordHasher#verify} takes
 * the parameters from the stored hash: a corrupted or planted row must not make the registry
 * allocate gigabytes or spin for minutes.
 */
public record Argon2Params(int memoryKiB, int iterations, int parallelism) {

    /** OWASP's recommendation for Argon2id: 19 MiB, 2 passes, 1 lane. */
    public static final Argon2Params DEFAULT = new Argon2Params(19_456, 2, 1);
    /** As cheap as Argon2 allows in practice; tests only. */
    public static final Argon2Params FAST_FOR_TESTS = new Argon2Params(1_024, 1, 1);

    public static final int MAX_MEMORY_KIB = 1 << 20;
    public static final int MAX_ITERATIONS = 64;
    public static final int MAX_PARALLELISM = 64;

    public Argon2Params {
        if (parallelism < 1 || parallelism > MAX_PARALLELISM) {
            throw new IllegalArgumentException("parallelism must be in 1.." + MAX_PARALLELISM + ": " + parallelism);
        }
        if (iterations < 1 || iterations > MAX_ITERATIONS) {
            throw new IllegalArgumentException("iterations must be in 1.." + MAX_ITERATIONS + ": " + iterations);
        }
        // Argon2 needs at least 8 KiB per lane (RFC 9106, section 3.1).
        if (memoryKiB < 8 * parallelism || memoryKiB > MAX_MEMORY_KIB) {
            throw new IllegalArgumentException("memoryKiB must be in " + 8 * parallelism + ".." + MAX_MEMORY_KIB
                    + ": " + memoryKiB);
        }
    }

    /** True when these parameters cost less than {@code other} in memory or time. */
    public boolean weakerThan(Argon2Params other) {
        return memoryKiB < other.memoryKiB || iterations < other.iterations;
    }
}
