package dev.p2pchat.bench.process;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Where the server under test and the load run, with {@code taskset}: a registry figure is only the registry's own
 * when the clients (which do as much TLS work as it does) are on other cores. The bench pins itself to the client
 * CPUs, so its worker processes inherit them, and starts each server with its own CPU list.
 *
 * @param registry CPU list for the registry (and ngIRCd), e.g. {@code 0}; null: not pinned
 * @param clients  CPU list for the bench and its workers, e.g. {@code 1} or {@code 1-3}; null: not pinned
 */
public record CpuPinning(String registry, String clients) {
    private static final Pattern CPU_LIST = Pattern.compile("\\d+(-\\d+)?(,\\d+(-\\d+)?)*");
    public static final CpuPinning NONE = new CpuPinning(null, null);

    public CpuPinning {
        for (String list : new String[] {registry, clients}) {
            if (list != null && !CPU_LIST.matcher(list).matches()) {
                throw new IllegalArgumentException("not a CPU list (like 0, 1-3 or 0,2): " + list);
            }
        }
    }

    /** Registry on CPU 0, everything else on the rest; not pinned on a single CPU. */
    public static CpuPinning byDefault(int cpus) {
        return cpus < 2 ? NONE : new CpuPinning("0", cpus == 2 ? "1" : "1-" + (cpus - 1));
    }

    /** {@code command} run on the registry's CPUs. */
    public List<String> forRegistry(List<String> command) {
        if (registry == null) {
            return command;
        }
        List<String> pinned = new ArrayList<>(List.of("taskset", "-c", registry));
        pinned.addAll(command);
        return pinned;
    }

    /** Moves every thread of this process to the client CPUs; threads and processes started later inherit it. */
    public void pinThisProcessToClients() throws IOException {
        if (clients == null) {
            return;
        }
        String pid = Long.toString(ProcessHandle.current().pid());
        Process taskset = new ProcessBuilder("taskset", "-a", "-p", "-c", clients, pid).redirectErrorStream(true)
                .start();
        try {
            String out = new String(taskset.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            if (taskset.waitFor() != 0) {
                throw new IOException("taskset -a -p -c " + clients + " " + pid + " failed: " + out.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while pinning the bench to CPUs " + clients, e);
        }
    }

    /** For the report. */
    public String describe() {
        return registry == null && clients == null ? "not pinned"
                : "registry on CPUs " + (registry == null ? "any" : registry) + ", clients on CPUs "
                        + (clients == null ? "any" : clients);
    }
}
