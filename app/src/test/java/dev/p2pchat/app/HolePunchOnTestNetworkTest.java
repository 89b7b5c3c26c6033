package dev.p2pchat.app;

import static dev.p2pchat.app.TestNetworkChat.deliver;
import static dev.p2pchat.app.TestNetworkChat.openChat;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The hole-punch rung on a simulated internet ({@link TestNetwork}): two home routers with a plain MASQUERADE NAT,
 * a host behind each, and a router with a symmetric NAT ({@code MASQUERADE --random}) with one. Every peer is a
 * real {@code p2pchat peer} process in line mode with the default listen policy; the registry runs its own relay.
 *
 * <p>These home routers drop what arrives unasked at their WAN side, as most home routers do ("stealth"), instead
 * of answering it with a reset as {@link ReachOnTestNetworkTest}'s do. That is what lets a hole be punched at
 * all: the first side's SYN dies quietly at the other's router, and the other's SYN, a moment later, matches the
 * mapping the first one left in its own router. Against a router that resets, both SYNs must cross in flight,
 * which on this network of microsecond links they never do (those routers' pairs stay relayed).
 *
 * <pre>
 *   registry .1                                   (198.51.100.0/24, "the internet")
 *   nat1 .41 (NAT)          nat2 .42 (NAT)          symm .43 (symmetric NAT, resets)
 *   p1 192.168.41.11        p2 192.168.42.11        s1 192.168.43.11
 * </pre>
 */
class HolePunchOnTestNetworkTest {
    private static final List<String> SBIN = List.of("/usr/sbin", "/sbin", "/usr/local/sbin");

    static TestNetwork net;
    static RegistryProcess registry;
    static Path tmp;
    static TestNetworkChat chat;

    @BeforeAll
    static void buildTheNetwork() throws Exception {
        TestNetwork.assumeAvailable();
        tmp = Files.createTempDirectory("p2pchat-punch");
        net = TestNetwork.create()
                .publicHost("registry", 1)
                .homeRouter("nat1", 41, "192.168.41")
                .hostBehind("nat1", "192.168.41", "p1", 11)
                .homeRouter("nat2", 42, "192.168.42")
                .hostBehind("nat2", "192.168.42", "p2", 11)
                .symmetricNatRouter("symm", 43, "192.168.43")
                .hostBehind("symm", "192.168.43", "s1", 11);
        for (String router : List.of("nat1", "nat2")) {
            // Stealth: a connection asked for by nobody inside is dropped, whether forwarded or for the router.
            net.run(router, iptables(), "-A", "INPUT", "-i", "eth0", "-p", "tcp", "-m", "conntrack", "--ctstate",
                    "NEW,INVALID", "-j", "DROP");
        }
        registry = RegistryProcess.startOn(net.address("registry"), net.on("registry"), tmp.resolve("registry"));
        chat = new TestNetworkChat(net, registry, tmp);
    }

    @AfterAll
    static void tearDown() throws Exception {
        TestNetworkChat.closeAll(tmp, registry, net);
    }

    @AfterEach
    void stopPeers() {
        chat.closePeers();
    }

    @Test
    void twoPeersBehindTwoDifferentHomeRoutersChatBothWaysOverAPunchedHole() throws Exception {
        // Neither router lets a dial in, so neither a dial nor a dial-back joins them; both dial at once instead.
        RunningProcess a = chat.loggedIn("p1", "holeA");
        RunningProcess b = chat.loggedIn("p2", "holeB");
        openChat(a, b);
        deliver(a, b, "through the hole");
        deliver(b, a, "and back through it");
        deliver(a, b, "once more");
        deliver(b, a, "and once more back");
        // The asker is told when the chat opens which way the link came, with the address of the other's NAT.
        // (The other side is asked with /path only: at the chat's opening it may still be waiting out its own
        // failed dial-back before it takes the punched link up for its requests.)
        a.awaitLine("link to holeB — punched: neither you nor holeB could reach the other, so at the registry's"
                + " word you both dialled at once and your NATs let the connection through (holeB at "
                + TestNetwork.PUBLIC_NET + ".42:");
        int mark = a.lineCount();
        a.send("/path holeB");
        a.awaitLineAfter(mark, "link to holeB — punched: ");
        mark = b.lineCount();
        b.send("/path holeA");
        b.awaitLineAfter(mark, "link to holeA — punched: ");
        String askerLog = log("p1", "holeA");
        assertThat(askerLog).contains("Link to holeB open by a hole punch to " + TestNetwork.PUBLIC_NET + ".42:")
                .doesNotContain("through the relay");
        assertThat(log("p2", "holeB")).contains("Punched a hole to holeA at its request");
    }

    @Test
    void aPeerBehindASymmetricNatIsStillReachedThroughARelayAfterThePunchFails() throws Exception {
        // The symmetric NAT gives the punch a random source port, so the hole the home router's peer aims at
        // does not exist: the punch fails within its bound and they meet at the registry's relay.
        RunningProcess home = chat.loggedIn("p1", "homeP");
        RunningProcess sym = chat.loggedIn("s1", "symP");
        openChat(home, sym);
        deliver(home, sym, "from behind the home router");
        deliver(sym, home, "from behind the symmetric NAT");
        home.awaitLine("link to symP — relayed via ");
        sym.awaitLine("link to homeP — relayed via ");
        assertThat(log("p1", "homeP")).contains("No hole punched to symP at " + TestNetwork.PUBLIC_NET + ".43:")
                .contains("Link to symP open through the relay at ");
    }

    // ------------------------------------------------------------------------------------------------------------

    private String log(String host, String user) throws Exception {
        return Files.readString(tmp.resolve(host + "-" + user).resolve("data").resolve("peer.log"));
    }

    /** The iptables command: on PATH, or in an sbin directory a non-login PATH may lack. */
    private static String iptables() {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "").split(":")));
        dirs.addAll(SBIN);
        return dirs.stream().filter(d -> !d.isBlank()).map(d -> Path.of(d, "iptables"))
                .filter(Files::isExecutable).map(Path::toString).findFirst().orElse("iptables");
    }
}
