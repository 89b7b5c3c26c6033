package dev.p2pchat.app;

import static dev.p2pchat.app.TestNetworkChat.deliver;
import static dev.p2pchat.app.TestNetworkChat.openChat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The port-mapping rung (issue 12, rung 2) against a real router daemon: Debian's miniupnpd on a home router of the
 * {@link TestNetwork}, answering NAT-PMP on its LAN side. A peer behind it asks it to forward its listening port,
 * announces the forwarded address as a {@code mapped} candidate, and a public peer that was never dialled by it
 * reaches it there directly, with no dial-back and no relay. The forward is renewed before it expires, and deleted
 * when the peer logs out or quits.
 *
 * <pre>
 *   registry .1   pub1 .11                    (198.51.100.0/24, "the internet")
 *   homeM 100.128.0.40 (NAT, miniupnpd; on the same bridge, see TestNetwork)
 *      m1 192.168.40.11
 * </pre>
 */
class MappedRungOnTestNetworkTest {
    private static final String ROUTER = "homeM";
    /** PortMapping's log line when the router granted a mapping. */
    private static final Pattern GRANTED = Pattern.compile("forwards [0-9.]+:\\d+ to port (\\d+) for ");
    private static final String LAN = "192.168.40";

    static TestNetwork net;
    static RegistryProcess registry;
    static Path tmp;
    static TestNetworkChat chat;

    @BeforeAll
    static void buildTheNetwork() throws Exception {
        TestNetwork.assumePortMappingAvailable();
        tmp = Files.createTempDirectory("p2pchat-mapped");
        net = TestNetwork.create()
                .publicHost("registry", 1)
                .publicHost("pub1", 11)
                .portMappingRouter(ROUTER, 40, LAN)
                .hostBehind(ROUTER, LAN, "m1", 11);
        registry = RegistryProcess.startOn("0.0.0.0", net.address("registry"), net.on("registry"),
                tmp.resolve("registry"));
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
    void aPublicPeerReachesAPeerBehindAPortMappingRouterDirectlyAtItsMappedAddressAndTheForwardGoesAtLogout()
            throws Exception {
        RunningProcess mapped = chat.loggedIn("m1", "mapA");
        String forward = forwardTo("m1", "mapA");
        assertThat(net.portForwards(ROUTER)).anyMatch(rule -> rule.endsWith(forward));
        RunningProcess open = chat.loggedIn("pub1", "pubM");

        // The public side asks first: it has never been dialled by mapA, and the router takes no other inbound.
        openChat(open, mapped);
        deliver(open, mapped, "through your router's forward");
        deliver(mapped, open, "over the link you dialled");
        deliver(open, mapped, "and once more");

        String at = TestNetwork.MAPPING_WAN_NET + ".40:";
        open.awaitLine("link to mapA — mapped: you dialled mapA at " + at);
        int mark = open.lineCount();
        open.send("/path mapA");
        open.awaitLineAfter(mark, "link to mapA — mapped: you dialled mapA at " + at);
        String openLog = Files.readString(tmp.resolve("pub1-pubM").resolve("data").resolve("peer.log"));
        assertThat(openLog).contains("Link to mapA open via " + at).contains("(a port its router forwards)")
                .doesNotContain("they dialled back").doesNotContain("through the relay");
        // mapA did not dial out: the link came in through the forward.
        mapped.awaitLine("link to pubM — direct: pubM dialled you, from " + net.address("pub1") + ":");

        mark = mapped.lineCount();
        mapped.send("/logout");
        mapped.awaitLineAfter(mark, "logged out");
        await("the forward deleted at logout").atMost(RunningProcess.STEP)
                .until(() -> net.portForwards(ROUTER).stream().noneMatch(rule -> rule.endsWith(forward)));
        assertThat(net.portMapperLog(ROUTER)).as("miniupnpd's log").doesNotContain("failed");
    }

    @Test
    void aPeerBehindAPortMappingRouterRenewsItsForwardBeforeItExpiresAndDeletesItWhenItQuits() throws Exception {
        // Forwards of 6 s, renewed every 3 s: without the renewals miniupnpd would remove it after 6 s.
        RunningProcess mapped = chat.loggedIn("m1", "renewA", Map.of("--port-mapping-lifetime-for-tests", "6s"));
        String forward = forwardTo("m1", "renewA");
        String lease = ":" + forward.substring(forward.lastIndexOf(' ') + 1) + ":";
        Set<String> expiries = new HashSet<>();
        // Each renewal rewrites the lease with a later expiry: the 2 h one asked for at start, the first 6 s one,
        // then at least two renewals.
        await("two renewals of renewA's forward").atMost(RunningProcess.STEP.multipliedBy(3)).until(() -> {
            net.portMappingLeases(ROUTER).stream().filter(line -> line.contains(lease))
                    .map(line -> line.split(":")[4]).forEach(expiries::add);
            return expiries.size() >= 4;
        });
        assertThat(net.portForwards(ROUTER)).as("the forward, past its first lifetime")
                .anyMatch(rule -> rule.endsWith(forward));

        RunningProcess open = chat.loggedIn("pub1", "pubR", Map.of());
        openChat(open, mapped);
        deliver(open, mapped, "still forwarded");
        deliver(mapped, open, "renewed all along");
        open.awaitLine("link to renewA — mapped: you dialled renewA at " + TestNetwork.MAPPING_WAN_NET + ".40:");

        mapped.send("/quit");
        assertThat(mapped.awaitExit()).isZero();
        await("the forward deleted at quit").atMost(RunningProcess.STEP)
                .until(() -> net.portForwards(ROUTER).stream().noneMatch(rule -> rule.endsWith(forward)));
    }

    // ------------------------------------------------------------------------------------------------------------

    /**
     * The end of the nft rule that forwards {@code user}'s port to it ({@code dnat ip to 192.168.40.11:PORT}), the
     * port read from the peer's log, where it says what the router granted (its mapped candidate is in the LOGIN).
     */
    private String forwardTo(String host, String user) {
        Path log = tmp.resolve(host + "-" + user).resolve("data").resolve("peer.log");
        String[] port = new String[1];
        await(user + " told of its forward").atMost(RunningProcess.STEP).until(() -> {
            Matcher m = Files.exists(log) ? GRANTED.matcher(Files.readString(log)) : null;
            if (m != null && m.find()) {
                port[0] = m.group(1);
            }
            return port[0] != null;
        });
        return "dnat ip to " + net.address(host) + ":" + port[0];
    }
}
