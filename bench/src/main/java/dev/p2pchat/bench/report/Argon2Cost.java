package dev.p2pchat.bench.report;

import dev.p2pchat.security.Argon2Params;
import dev.p2pchat.security.PasswordHasher;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The CPU one Argon2id hash and one verification cost on this machine with given parameters, measured here with
 * the registry's own {@link PasswordHasher} on one thread (thread CPU time, after a warm-up). The registry hashes
 * once per REGISTER and verifies once per LOGIN, so this is what the registry cannot avoid spending per new user.
 */
public final class Argon2Cost {
    private Argon2Cost() {
    }

    public static Map<String, Object> measure(Argon2Params params, int rounds) {
        PasswordHasher hasher = new PasswordHasher(params, new SecureRandom());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String secret = "0".repeat(64);
        String hash = hasher.hash(secret);
        hasher.verify(secret, hash);
        long cpu0 = threads.getCurrentThreadCpuTime();
        long wall0 = System.nanoTime();
        for (int i = 0; i < rounds; i++) {
            hash = hasher.hash(secret);
        }
        long cpu1 = threads.getCurrentThreadCpuTime();
        for (int i = 0; i < rounds; i++) {
            hasher.verify(secret, hash);
        }
        long cpu2 = threads.getCurrentThreadCpuTime();
        long wall2 = System.nanoTime();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("memory_kib", params.memoryKiB());
        m.put("iterations", params.iterations());
        m.put("parallelism", params.parallelism());
        m.put("hash_cpu_ms", (cpu1 - cpu0) / 1e6 / rounds);
        m.put("verify_cpu_ms", (cpu2 - cpu1) / 1e6 / rounds);
        m.put("wall_ms_per_op", (wall2 - wall0) / 1e6 / (2.0 * rounds));
        m.put("rounds", rounds);
        return m;
    }
}
