package dev.p2pchat.app;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A simulated internet of Linux network namespaces, for multi-process tests of how peers reach each other. An
 * "internet" namespace holds one bridge; every public host and every home router's WAN side hangs off it by a
 * veth pair, on {@value #PUBLIC_NET}.0/24 (and, for hosts given one, {@value #PUBLIC_NET6}::/64). A home router is a namespace that forwards between its WAN side and a
 * LAN bridge of its own, NATs what leaves (iptables {@code MASQUERADE}) and, as home routers do, drops what
 * arrives from outside unless it belongs to a connection from inside. Hosts behind it get a LAN address and the
 * router as their default route. Nothing is configured in the root namespace (veth pairs pass through it only
 * for the moment between being made and being moved).
 *
 * <p>Names are unique per run ({@code p2pt-PID-RUN-host}), so parallel runs never clash; {@link #create} first
 * removes what runs of this fixture left behind whose process is gone, and {@link #close} removes everything of
 * this run, the processes still running in its namespaces included. Processes run on a host through
 * {@link #on(String)}, the {@code ip netns exec} prefix.
 *
 * <p>A port-mapping router ({@link #portMappingRouter}) runs Debian's {@code miniupnpd} on its LAN side. Its WAN
 * address is on {@value #MAPPING_WAN_NET}.0/24, not {@value #PUBLIC_NET}.0/24: miniupnpd refuses to forward anything
 * while its external address is in a reserved range, and the documentation ranges are reserved too. That subnet
 * shares the internet's bridge; every host on the internet reaches each such router by a route to its address
 * alone, and the router reaches {@value #PUBLIC_NET}.0/24 the same way, so neither needs a gateway.
 *
 * <p>Needs root, {@code ip} and {@code iptables}: {@link #assumeAvailable()} skips the test otherwise, unless the
 * environment variable {@value #REQUIRED_ENV} is set (CI), when it fails instead. A port-mapping router also needs
 * {@code miniupnpd} (the {@code miniupnpd-nftables} package) and {@code nft} ({@link #assumePortMappingAvailable()}).
 */
final class TestNetwork implements AutoCloseable {
    static final String PUBLIC_NET = "198.51.100";
    static final String PUBLIC_NET6 = "2001:db8:100";
    /** The first /24 after RFC 6598's shared address space: not reserved, so miniupnpd maps on it. */
    static final String MAPPING_WAN_NET = "100.128.0";
    /** Set (to anything) where these tests must run, so that a missing tool fails them instead of skipping. */
    static final String REQUIRED_ENV = "P2PCHAT_NETNS_REQUIRED";
    private static final String PREFIX = "p2pt";
    private static final String INTERNET = "inet";
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    private final String run;
    private final String ip;
    private final String iptables;
    private final Map<String, String> namespaces = new LinkedHashMap<>();
    private final Map<String, String> addresses = new LinkedHashMap<>();
    private final Map<String, String> addresses6 = new LinkedHashMap<>();
    /** Namespaces with an {@code eth0} on the internet's bridge. */
    private final List<String> onInternet = new ArrayList<>();
    /** The WAN addresses of the port-mapping routers, each reached from the internet by a route of its own. */
    private final List<String> mappingWans = new ArrayList<>();
    private final Map<String, MiniUpnpd> portMappers = new LinkedHashMap<>();
    private int veths;

    private TestNetwork(String run, String ip, String iptables) {
        this.run = run;
        this.ip = ip;
        this.iptables = iptables;
    }

    /** Skips (or, with {@value #REQUIRED_ENV} set, fails) unless namespaces can be built here. */
    static void assumeAvailable() {
        String missing = !isRoot() ? "root" : tool("ip").isEmpty() ? "the ip command (iproute2)"
                : tool("iptables").isEmpty() ? "the iptables command" : null;
        if (missing != null && System.getenv(REQUIRED_ENV) != null) {
            throw new IllegalStateException("the namespace test network needs " + missing + " (" + REQUIRED_ENV
                    + " is set, so this fails instead of skipping)");
        }
        if (missing != null) {
            System.err.println("*** SKIPPED: the namespace test network needs " + missing + " ***");
        }
        assumeTrue(missing == null, "the namespace test network needs " + missing);
    }

    /** Like {@link #assumeAvailable()}, for a network with a {@link #portMappingRouter}. */
    static void assumePortMappingAvailable() {
        assumeAvailable();
        String missing = tool("miniupnpd").isEmpty() ? "miniupnpd (package miniupnpd-nftables)"
                : tool("nft").isEmpty() ? "the nft command (package nftables)" : null;
        if (missing != null && System.getenv(REQUIRED_ENV) != null) {
            throw new IllegalStateException("the port-mapping router needs " + missing + " (" + REQUIRED_ENV
                    + " is set, so this fails instead of skipping)");
        }
        if (missing != null) {
            System.err.println("*** SKIPPED: the port-mapping router needs " + missing + " ***");
        }
        assumeTrue(missing == null, "the port-mapping router needs " + missing);
    }

    /** The internet namespace and its bridge; add hosts and routers next. */
    static TestNetwork create() throws IOException {
        assumeAvailable();
        String ip = tool("ip").orElseThrow();
        String iptables = tool("iptables").orElseThrow();
        removeLeftovers(ip);
        String run = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt()).substring(0, 5);
        TestNetwork net = new TestNetwork(run, ip, iptables);
        try {
            String inet = net.namespace(INTERNET);
            net.ip("-n", inet, "link", "add", "br0", "type", "bridge");
            net.ip("-n", inet, "link", "set", "br0", "up");
            return net;
        } catch (IOException | RuntimeException e) {
            net.close();
            throw e;
        }
    }

    /** A host on the internet at {@value #PUBLIC_NET}.{@code lastOctet}. */
    TestNetwork publicHost(String name, int lastOctet) throws IOException {
        String ns = namespace(name);
        String address = PUBLIC_NET + "." + lastOctet;
        wire(ns, "eth0", namespaces.get(INTERNET), "br0");
        ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        addresses.put(name, address);
        for (String wan : mappingWans) {
            ip("-n", ns, "route", "add", wan + "/32", "dev", "eth0");
        }
        onInternet.add(ns);
        return this;
    }

    /** Gives a public host an IPv6 address too, in {@value #PUBLIC_NET6}::/64 (dual stack). */
    TestNetwork ipv6(String host, int lastGroup) throws IOException {
        String ns = require(host);
        String address = PUBLIC_NET6 + "::" + Integer.toHexString(lastGroup);
        // nodad: usable at once, not after duplicate address detection.
        ip("-n", ns, "addr", "add", address + "/64", "dev", "eth0", "nodad");
        addresses6.put(host, address);
        return this;
    }

    /** A host on the internet with an IPv6 address only. */
    TestNetwork ipv6OnlyHost(String name, int lastGroup) throws IOException {
        String ns = namespace(name);
        wire(ns, "eth0", namespaces.get(INTERNET), "br0");
        return ipv6(name, lastGroup);
    }

    /** The host's IPv6 address, if it has one. */
    String address6(String host) {
        require(host);
        return addresses6.get(host);
    }

    /**
     * A home router: WAN side on the internet at {@value #PUBLIC_NET}.{@code wanOctet}, LAN {@code lanNet}.0/24
     * with itself at .1; masquerades what goes out and drops unsolicited inbound connections.
     */
    TestNetwork homeRouter(String name, int wanOctet, String lanNet) throws IOException {
        publicHost(name, wanOctet);
        lanSide(namespaces.get(name), lanNet);
        return this;
    }

    /**
     * A home router that forwards ports when asked by NAT-PMP or PCP: as {@link #homeRouter}, but its WAN side is
     * at {@value #MAPPING_WAN_NET}.{@code wanOctet} and miniupnpd answers on its LAN side. Connections its forwards
     * let in pass its firewall (conntrack state {@code DNAT}, as on OpenWrt); nothing else from outside does.
     */
    TestNetwork portMappingRouter(String name, int wanOctet, String lanNet) throws IOException {
        assumePortMappingAvailable();
        String ns = namespace(name);
        String wan = MAPPING_WAN_NET + "." + wanOctet;
        wire(ns, "eth0", namespaces.get(INTERNET), "br0");
        ip("-n", ns, "addr", "add", wan + "/32", "dev", "eth0");
        ip("-n", ns, "route", "add", PUBLIC_NET + ".0/24", "dev", "eth0", "src", wan);
        for (String other : onInternet) {
            ip("-n", other, "route", "add", wan + "/32", "dev", "eth0");
        }
        mappingWans.add(wan);
        onInternet.add(ns);
        addresses.put(name, wan);
        lanSide(ns, lanNet);
        exec(ns, iptables, "-I", "FORWARD", "1", "-i", "eth0", "-m", "conntrack", "--ctstate", "DNAT", "-j", "ACCEPT");
        portMappers.put(name, MiniUpnpd.start(on(name), tool("miniupnpd").orElseThrow(), tool("nft").orElseThrow(),
                lanNet));
        return this;
    }

    /** The ports {@code router}'s miniupnpd forwards now, one rule each. */
    List<String> portForwards(String router) throws IOException {
        MiniUpnpd daemon = portMappers.get(router);
        if (daemon == null) {
            throw new IllegalArgumentException(router + " is no port-mapping router");
        }
        return daemon.redirects();
    }

    /** {@code router}'s miniupnpd's leases, one line per forward with its expiry ({@link MiniUpnpd#leases}). */
    List<String> portMappingLeases(String router) throws IOException {
        MiniUpnpd daemon = portMappers.get(router);
        if (daemon == null) {
            throw new IllegalArgumentException(router + " is no port-mapping router");
        }
        return daemon.leases();
    }

    /** What {@code router}'s miniupnpd logged (for a failing test's message). */
    String portMapperLog(String router) {
        MiniUpnpd daemon = portMappers.get(router);
        return daemon == null ? "(no port mapper on " + router + ")" : daemon.log();
    }

    /** A router's LAN bridge {@code lanNet}.0/24 with itself at .1, NAT to its WAN side, no unsolicited inbound. */
    private void lanSide(String ns, String lanNet) throws IOException {
        ip("-n", ns, "link", "add", "lan0", "type", "bridge");
        ip("-n", ns, "addr", "add", lanNet + ".1/24", "dev", "lan0");
        ip("-n", ns, "link", "set", "lan0", "up");
        exec(ns, "sh", "-c", "echo 1 > /proc/sys/net/ipv4/ip_forward");
        exec(ns, iptables, "-t", "nat", "-A", "POSTROUTING", "-o", "eth0", "-j", "MASQUERADE");
        exec(ns, iptables, "-A", "FORWARD", "-i", "eth0", "-m", "conntrack", "--ctstate", "ESTABLISHED,RELATED",
                "-j", "ACCEPT");
        exec(ns, iptables, "-A", "FORWARD", "-i", "eth0", "-j", "DROP");
    }

    /**
     * A home router whose NAT is symmetric: {@code MASQUERADE --random} gives every outgoing connection a random
     * source port, so the address the registry observes is of no use to anyone else (no hole can be punched).
     */
    TestNetwork symmetricNatRouter(String name, int wanOctet, String lanNet) throws IOException {
        homeRouter(name, wanOctet, lanNet);
        exec(namespaces.get(name), iptables, "-t", "nat", "-R", "POSTROUTING", "1", "-o", "eth0", "-j", "MASQUERADE",
                "--random");
        return this;
    }

    /** A host on {@code router}'s LAN at {@code lanNet}.{@code lastOctet}, routed through the router. */
    TestNetwork hostBehind(String router, String lanNet, String name, int lastOctet) throws IOException {
        String ns = namespace(name);
        String address = lanNet + "." + lastOctet;
        wire(ns, "eth0", namespaces.get(router), "lan0");
        ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        ip("-n", ns, "route", "add", "default", "via", lanNet + ".1");
        addresses.put(name, address);
        return this;
    }

    /**
     * Moves a public host to {@value #PUBLIC_NET}.{@code lastOctet}, as a laptop that changed networks or got a new
     * lease: the new address is added and the old one removed, so connections from the old one are dead.
     */
    TestNetwork changeAddress(String host, int lastOctet) throws IOException {
        String ns = require(host);
        String old = addresses.get(host);
        String address = PUBLIC_NET + "." + lastOctet;
        // Removed first: removing a primary address takes the secondaries of its subnet with it.
        ip("-n", ns, "addr", "del", old + "/24", "dev", "eth0");
        ip("-n", ns, "addr", "add", address + "/24", "dev", "eth0");
        addresses.put(host, address);
        return this;
    }

    /** Cuts {@code host} off: everything in or out but loopback is dropped until {@link #restore}. */
    TestNetwork cut(String host) throws IOException {
        String ns = require(host);
        exec(ns, iptables, "-I", "INPUT", "1", "!", "-i", "lo", "-j", "DROP");
        exec(ns, iptables, "-I", "OUTPUT", "1", "!", "-o", "lo", "-j", "DROP");
        return this;
    }

    /** Undoes {@link #cut}. */
    TestNetwork restore(String host) throws IOException {
        String ns = require(host);
        exec(ns, iptables, "-D", "INPUT", "!", "-i", "lo", "-j", "DROP");
        exec(ns, iptables, "-D", "OUTPUT", "!", "-o", "lo", "-j", "DROP");
        return this;
    }

    /** Drops each UDP datagram {@code host} sends with the given probability (iptables' statistic match). */
    TestNetwork loseOutgoingUdp(String host, double probability) throws IOException {
        exec(require(host), iptables, "-I", "OUTPUT", "1", "-p", "udp", "-m", "statistic", "--mode", "random",
                "--probability", String.valueOf(probability), "-j", "DROP");
        return this;
    }

    /**
     * The local ports of {@code host}'s established TCP connections to {@code remote}:{@code remotePort}.
     */
    List<Integer> establishedPorts(String host, String remote, int remotePort) throws IOException {
        List<Integer> ports = new ArrayList<>();
        // Java's dual-stack sockets show an IPv4 peer IPv4-mapped.
        Set<String> peer = Set.of(remote + ":" + remotePort, "[::ffff:" + remote + "]:" + remotePort);
        for (String line : run(host, "ss", "-Htn", "state", "established").split("\n")) {
            String[] fields = line.trim().split("\s+");
            if (fields.length >= 4 && peer.contains(fields[3])) {
                String local = fields[2];
                ports.add(Integer.parseInt(local.substring(local.lastIndexOf(':') + 1)));
            }
        }
        return ports;
    }

    /**
     * Makes {@code router} forget the TCP connection from {@code lanHost}'s {@code lanPort}, as a home router does
     * with a mapping left idle past its timeout: what the host still sends on it goes nowhere, and what comes for
     * it from outside is answered with a reset. New connections pass as before.
     */
    TestNetwork forgetTcpMapping(String router, String lanHost, int lanPort) throws IOException {
        String ns = require(router);
        String lan = address(lanHost);
        exec(ns, iptables, "-I", "FORWARD", "1", "-p", "tcp", "-s", lan, "--sport", String.valueOf(lanPort),
                "-j", "DROP");
        exec(ns, iptables, "-I", "FORWARD", "1", "-p", "tcp", "-d", lan, "--dport", String.valueOf(lanPort),
                "-j", "REJECT", "--reject-with", "tcp-reset");
        return this;
    }

    /** The command prefix that runs a process on {@code host}. */
    List<String> on(String host) {
        return List.of(ip, "netns", "exec", require(host));
    }

    /** The host's own address (a LAN address for a host behind a router; the WAN one for a router). */
    String address(String host) {
        require(host);
        return addresses.get(host);
    }

    /** Runs a command on {@code host} and returns its output; fails when it fails. */
    String run(String host, String... command) throws IOException {
        return exec(require(host), command);
    }

    @Override
    public void close() {
        portMappers.values().forEach(MiniUpnpd::close); // before their namespaces go, so each cleans up after itself
        portMappers.clear();
        for (String ns : List.copyOf(namespaces.values()).reversed()) {
            removeNamespace(ip, ns);
        }
        namespaces.clear();
    }

    // ------------------------------------------------------------------------------------------------------------

    private String require(String host) {
        String ns = namespaces.get(host);
        if (ns == null) {
            throw new IllegalArgumentException("no host " + host + " in this test network");
        }
        return ns;
    }

    private String namespace(String host) throws IOException {
        String ns = PREFIX + "-" + ProcessHandle.current().pid() + "-" + run + "-" + host;
        ip("netns", "add", ns);
        namespaces.put(host, ns);
        ip("-n", ns, "link", "set", "lo", "up");
        return ns;
    }

    /** A veth pair: {@code inside} in {@code ns}, the other end in {@code otherNs} on {@code bridge}. */
    private void wire(String ns, String inside, String otherNs, String bridge) throws IOException {
        int n = veths++;
        String a = PREFIX + run + "v" + n + "a";
        String b = PREFIX + run + "v" + n + "b";
        ip("link", "add", a, "type", "veth", "peer", "name", b);
        ip("link", "set", a, "netns", ns);
        ip("link", "set", b, "netns", otherNs);
        ip("-n", ns, "link", "set", a, "name", inside);
        ip("-n", ns, "link", "set", inside, "up");
        ip("-n", otherNs, "link", "set", b, "master", bridge);
        ip("-n", otherNs, "link", "set", b, "up");
    }

    private String ip(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(ip));
        command.addAll(List.of(args));
        return command(command);
    }

    private String exec(String ns, String... command) throws IOException {
        List<String> all = new ArrayList<>(List.of(ip, "netns", "exec", ns));
        all.addAll(List.of(command));
        return command(all);
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

    /** Namespaces of runs whose process is gone, and stray veth ends in the root namespace they left. */
    private static void removeLeftovers(String ip) throws IOException {
        Set<String> liveRuns = new java.util.HashSet<>();
        for (String ns : namespaceNames(ip)) {
            String[] parts = ns.split("-", 4);
            if (parts.length < 4) {
                continue;
            }
            boolean alive;
            try {
                alive = ProcessHandle.of(Long.parseLong(parts[1])).map(ProcessHandle::isAlive).orElse(false);
            } catch (NumberFormatException e) {
                continue;
            }
            if (alive) {
                liveRuns.add(parts[2]);
            } else {
                removeNamespace(ip, ns);
            }
        }
        for (String line : command(List.of(ip, "-o", "link", "show")).split("\n")) {
            String[] fields = line.split(":\\s+", 3);
            if (fields.length < 2) {
                continue;
            }
            String name = fields[1].split("@")[0];
            if (name.startsWith(PREFIX) && name.length() > PREFIX.length() + 5
                    && !liveRuns.contains(name.substring(PREFIX.length(), PREFIX.length() + 5))) {
                try {
                    command(List.of(ip, "link", "del", name));
                } catch (IOException e) {
                    // gone already with its peer
                }
            }
        }
    }

    private static List<String> namespaceNames(String ip) throws IOException {
        return Stream.of(command(List.of(ip, "netns", "list")).split("\n"))
                .map(line -> line.split(" ")[0].strip())
                .filter(name -> name.startsWith(PREFIX + "-"))
                .collect(Collectors.toList());
    }

    /** Kills what still runs in {@code ns} (a process keeps a deleted namespace alive), then deletes it. */
    private static void removeNamespace(String ip, String ns) {
        try {
            for (String pid : command(List.of(ip, "netns", "pids", ns)).split("\\s+")) {
                if (!pid.isBlank()) {
                    ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // nothing running, or already gone
        }
        try {
            command(List.of(ip, "netns", "del", ns));
        } catch (IOException e) {
            System.err.println("could not remove network namespace " + ns + ": " + e.getMessage());
        }
    }

    private static boolean isRoot() {
        try {
            return command(List.of("id", "-u")).strip().equals("0");
        } catch (IOException e) {
            return false;
        }
    }

    /** The tool's path: on PATH, or in an sbin directory a non-login PATH may lack. */
    private static Optional<String> tool(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(SBIN);
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, name))
                .filter(Files::isExecutable).map(Path::toString).findFirst();
    }
}
