package dev.p2pchat.app;

import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's {@code miniupnpd} (its nftables build, {@code miniupnpd-nftables}) answering NAT-PMP and PCP on a home
 * router's LAN side, inside the router's namespace, with its configuration, lease file and log in a temp dir of its
 * own. It forwards ports by adding rules to an nftables table of its own ({@value #TABLE}), which is made here
 * before it starts (Debian's {@code nft_init.sh} would make a table that drops all forwarded traffic). Never an
 * UPnP-IGD server (no SSDP on the test network), and never a mapping for another host than the one asking
 * ({@code secure_mode}).
 */
final class MiniUpnpd implements AutoCloseable {
    static final String TABLE = "p2pchat_upnp";
    /** Where miniupnpd puts its port forwards (DNAT rules). */
    static final String NAT_CHAIN = "prerouting_miniupnpd";
    private static final Duration STOP_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path dir;
    private final List<String> inNamespace;
    private final String nft;

    private MiniUpnpd(Process process, Path dir, List<String> inNamespace, String nft) {
        this.process = process;
        this.dir = dir;
        this.inNamespace = inNamespace;
        this.nft = nft;
    }

    /**
     * Starts it for the router whose namespace {@code inNamespace} enters ({@code ip netns exec NS}), external
     * interface {@code eth0}, LAN bridge {@code lan0} on {@code lanNet}.0/24, and waits until it listens.
     */
    static MiniUpnpd start(List<String> inNamespace, String miniupnpd, String nft, String lanNet) throws IOException {
        Path dir = Files.createTempDirectory("p2pchat-miniupnpd");
        try {
            Files.writeString(dir.resolve("tables.nft"), """
                    table inet %1$s {
                        chain forward { type filter hook forward priority 0; policy accept; jump forward_miniupnpd; }
                        chain forward_miniupnpd { }
                        chain prerouting { type nat hook prerouting priority -100; policy accept; jump %2$s; }
                        chain %2$s { }
                        chain postrouting { type nat hook postrouting priority 100; policy accept; jump postrouting_miniupnpd; }
                        chain postrouting_miniupnpd { }
                    }
                    """.formatted(TABLE, NAT_CHAIN));
            command(with(inNamespace, nft, "-f", dir.resolve("tables.nft").toString()));
            // enable_natpmp turns on PCP as well (one daemon, one port: 5351).
            Files.writeString(dir.resolve("miniupnpd.conf"), """
                    ext_ifname=eth0
                    listening_ip=lan0
                    enable_natpmp=yes
                    enable_upnp=no
                    secure_mode=yes
                    system_uptime=yes
                    lease_file=%1$s
                    upnp_table_name=%2$s
                    upnp_nat_table_name=%2$s
                    upnp_forward_chain=forward_miniupnpd
                    upnp_nat_chain=%3$s
                    upnp_nat_postrouting_chain=postrouting_miniupnpd
                    allow 1024-65535 %4$s.0/24 1024-65535
                    deny 0-65535 0.0.0.0/0 0-65535
                    """.formatted(dir.resolve("leases"), TABLE, NAT_CHAIN, lanNet));
            Path log = dir.resolve("miniupnpd.log");
            // -d: in the foreground (the process is this one, not a forked daemon), logging to stderr.
            Process process = new ProcessBuilder(with(inNamespace, miniupnpd, "-d", "-f",
                    dir.resolve("miniupnpd.conf").toString(), "-P", dir.resolve("miniupnpd.pid").toString()))
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            MiniUpnpd daemon = new MiniUpnpd(process, dir, inNamespace, nft);
            try {
                await("miniupnpd listening").atMost(RunningProcess.STEP).until(() -> {
                    if (!process.isAlive()) {
                        throw new IllegalStateException("miniupnpd exited: " + Files.readString(log));
                    }
                    return Files.readString(log).contains("Listening for NAT-PMP/PCP traffic on port 5351");
                });
            } catch (RuntimeException e) {
                daemon.close();
                throw e;
            }
            return daemon;
        } catch (IOException | RuntimeException e) {
            deleteTree(dir);
            throw e;
        }
    }

    /** The port forwards in force, one nft rule each ({@code … tcp dport 40001 dnat ip to 10.0.0.2:40001}). */
    List<String> redirects() throws IOException {
        return command(with(inNamespace, nft, "list", "chain", "inet", TABLE, NAT_CHAIN)).lines()
                .map(String::strip).filter(line -> line.contains("dnat")).toList();
    }

    /**
     * Its lease file, one line per forward ({@code TCP:EXTPORT:LANADDR:PORT:EXPIRES:DESCRIPTION}), rewritten with a
     * new expiry whenever a mapping is asked for again (renewed); empty when none is held.
     */
    List<String> leases() throws IOException {
        Path leases = dir.resolve("leases");
        return Files.exists(leases) ? Files.readAllLines(leases).stream().filter(l -> !l.isBlank()).toList()
                : List.of();
    }

    /** What it logged so far (for a failing test's message). */
    String log() {
        try {
            return Files.readString(dir.resolve("miniupnpd.log"));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    /** Stops it (SIGTERM: it removes its forwards as it goes) and deletes its temp dir. */
    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        deleteTree(dir);
    }

    private static List<String> with(List<String> prefix, String... command) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(command));
        return all;
    }

    private static String command(List<String> command) throws IOException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", command) + " did not finish");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed (" + p.exitValue() + "): " + out.strip());
        }
        return out;
    }

    private static void deleteTree(Path dir) {
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // already gone
        }
    }
}
