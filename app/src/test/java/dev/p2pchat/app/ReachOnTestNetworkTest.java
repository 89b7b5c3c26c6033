package dev.p2pchat.app;

import static dev.p2pchat.app.TestNetworkChat.deliver;
import static dev.p2pchat.app.TestNetworkChat.logIn;
import static dev.p2pchat.app.TestNetworkChat.openChat;
import static dev.p2pchat.app.TestNetworkChat.pendingId;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Who can chat with whom on a simulated internet ({@link TestNetwork}): a registry and two public hosts, a home
 * router (NAT, no inbound connections, no hairpinning) with two hosts behind it, a second router with one, a
 * router with a symmetric NAT ({@code MASQUERADE --random}) with one, and a relay on a host of its own beside the
 * one inside the registry. Every peer is a real {@code p2pchat peer} process in line mode, on its own host, with
 * the default listen policy (every interface, since the registry is on another machine).
 *
 * <pre>
 *   registry .1   relayhost .2   pub1 .11   pub2 .12          (198.51.100.0/24, "the internet")
 *   registry ::1  pub1 ::11  pub6 ::6 (IPv6 only)   (2001:db8:100::/64)
 *        home1 .21 (NAT)            home2 .22 (NAT)        sym .31 (symmetric NAT)
 *      h1a 192.168.1.11  h1b .12      h2a 192.168.2.11        s1 192.168.31.11
 * </pre>
 */
class ReachOnTestNetworkTest {
    private static final Pattern RELAY_READY = Pattern.compile("\\{\"port\":(\\d+),\"fingerprint\":\"([0-9a-f]+)\"\\}");

    static TestNetwork net;
    static RegistryProcess registry;
    /** {@code p2pchat relay} on relayhost, sharing the registry's secret; its tap file holds what it copied. */
    static RunningProcess relay;
    static Path relayTap;
    static Path tmp;
    static TestNetworkChat chat;

    @BeforeAll
    static void buildTheNetwork() throws Exception {
        TestNetwork.assumeAvailable();
        tmp = Files.createTempDirectory("p2pchat-testnet");
        net = TestNetwork.create()
                .publicHost("registry", 1).ipv6("registry", 1)
                .publicHost("pub1", 11).ipv6("pub1", 0x11)
                .publicHost("pub2", 12)
                .ipv6OnlyHost("pub6", 0x6)
                .homeRouter("home1", 21, "192.168.1")
                .hostBehind("home1", "192.168.1", "h1a", 11)
                .hostBehind("home1", "192.168.1", "h1b", 12)
                .homeRouter("home2", 22, "192.168.2")
                .hostBehind("home2", "192.168.2", "h2a", 11)
                .publicHost("relayhost", 2)
                .symmetricNatRouter("sym", 31, "192.168.31")
                .hostBehind("sym", "192.168.31", "s1", 11);
        // The secret the registry shares with the relay on relayhost (an operator copies the registry's file).
        Path secret = tmp.resolve("relay.secret");
        Files.write(secret, java.security.SecureRandom.getInstanceStrong().generateSeed(32));
        Files.setPosixFilePermissions(secret, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        String elsewhere = startRelay(secret);
        // Dual stack (every address, IPv4 and IPv6), so that the IPv6-only host reaches it too. It hands out its own
        // relay and the one on relayhost in turn.
        registry = RegistryProcess.startOn("::", net.address("registry"), net.on("registry"), tmp.resolve("registry"),
                "--relay", elsewhere, "--relay-secret-file", secret.toString());
        chat = new TestNetworkChat(net, registry, tmp);
    }

    /** Starts {@code p2pchat relay} on relayhost; returns how the registry names it, {@code HOST:PORT@FINGERPRINT}. */
    private static String startRelay(Path secret) throws Exception {
        Path dir = tmp.resolve("relayhost");
        Path ready = dir.resolve("ready.json");
        relayTap = dir.resolve("relayed.bin");
        relay = RunningProcess.start("relay", dir, net.on("relayhost"), List.of("relay", "--port", "0",
                "--data-dir", dir.resolve("data").toString(), "--secret-file", secret.toString(),
                "--ready-file", ready.toString(), "--tap-file", relayTap.toString()));
        org.awaitility.Awaitility.await().atMost(RunningProcess.STEP).until(() -> Files.exists(ready));
        Matcher m = RELAY_READY.matcher(Files.readString(ready));
        assertThat(m.find()).as("the relay's ready file").isTrue();
        return net.address("relayhost") + ":" + m.group(1) + "@" + m.group(2);
    }

    @AfterAll
    static void tearDown() throws Exception {
        TestNetworkChat.closeAll(tmp, registry, relay, net);
    }

    @AfterEach
    void stopPeers() {
        chat.closePeers();
    }

    @Test
    void twoPublicPeersChatBothWays() throws Exception {
        RunningProcess a = chat.loggedIn("pub1", "pubA");
        RunningProcess b = chat.loggedIn("pub2", "pubB");
        openChat(a, b);
        deliver(a, b, "hello from pub1");
        deliver(b, a, "hello from pub2");
        int mark = a.lineCount();
        a.send("/path pubB");
        a.awaitLineAfter(mark, "link to pubB — direct: you dialled pubB at " + TestNetwork.PUBLIC_NET + ".12:");
    }

    @Test
    void aPeerBehindNatAndAPublicPeerChatBothWaysOverTheLinkTheNatedPeerOpened() throws Exception {
        RunningProcess nated = chat.loggedIn("h1a", "natA");
        RunningProcess open = chat.loggedIn("pub1", "pubC");
        // The public peer cannot dial the NATed one (its router takes no inbound connections); the NATed one asks.
        openChat(nated, open);
        deliver(nated, open, "from behind the router");
        deliver(open, nated, "back through your own link");
        deliver(nated, open, "and once more");
    }

    @Test
    void aPublicPeerReachesAPeerBehindNatThatOpenedNoLinkBecauseTheRegistryAsksItToDialBack() throws Exception {
        RunningProcess nated = chat.loggedIn("h1a", "natB");
        RunningProcess open = chat.loggedIn("pub2", "pubD");
        // No link between them: the public peer's dial fails at the router, so it asks for a dial-back.
        openChat(open, nated);
        deliver(open, nated, "you dialled me back");
        deliver(nated, open, "over the link I opened");
        deliver(open, nated, "and again");
        assertThat(Files.readString(tmp.resolve("pub2-pubD").resolve("data").resolve("peer.log")))
                .contains("Link to natB open: they dialled back");
        // Each side is told once, when the chat opens, which way the link came.
        open.awaitLine("link to natB — reversed: you could not reach natB, so natB dialled you back");
        nated.awaitLine("link to pubD — reversed: pubD could not reach you, so you dialled pubD back at "
                + TestNetwork.PUBLIC_NET + ".12:");
        int mark = nated.lineCount();
        nated.send("/path pubD");
        nated.awaitLineAfter(mark, "link to pubD — reversed");
    }

    @Test
    void twoPeersBehindTheSameRouterChatOverTheirLanCandidates() throws Exception {
        // Listed at the router's address, which does not hairpin; each announced its LAN address too.
        RunningProcess a = chat.loggedIn("h1a", "lanA");
        RunningProcess b = chat.loggedIn("h1b", "lanB");
        openChat(a, b);
        deliver(a, b, "across the living room");
        deliver(b, a, "right back");
        assertThat(Files.readString(tmp.resolve("h1a-lanA").resolve("data").resolve("peer.log")))
                .contains("Link to lanB open via 192.168.1.12:").contains("(an address it announced)");
        a.awaitLine("link to lanB — LAN: you dialled lanB at 192.168.1.12:");
        b.awaitLine("link to lanA — direct: lanA dialled you, from 192.168.1.11:");
    }

    @Test
    void aRoomSpanningTheLanAndTheInternetGetsEveryMessageOnceWhenTheNatedMembersSpeakFirst() throws Exception {
        // The public member reaches the NATed ones only over links they opened (their first message opens one).
        RunningProcess lan1 = chat.loggedIn("h1a", "roomA");
        RunningProcess lan2 = chat.loggedIn("h1b", "roomB");
        RunningProcess pub = chat.loggedIn("pub2", "roomC");
        pub.send("/create mixed");
        pub.awaitLine("* created room mixed");
        for (RunningProcess p : List.of(pub, lan1, lan2)) {
            p.send("/join mixed");
            p.awaitLine("* joined mixed");
        }
        pub.awaitLine("* roomB joined mixed");
        lan1.awaitLine("* roomB joined mixed");
        List<RunningProcess> everyone = List.of(lan1, lan2, pub);
        for (RunningProcess sender : everyone) {
            String text = "hello from " + sender.name();
            sender.send(text);
            String id = pendingId(sender.awaitLine("[room mixed] <" + sender.name() + "> " + text + " (pending "));
            sender.awaitLine("✓ delivered " + id + " 2/2");
        }
        for (RunningProcess sender : everyone) {
            for (RunningProcess receiver : everyone) {
                String line = "<" + sender.name() + "> hello from " + sender.name();
                assertThat(receiver.count(l -> l.endsWith(line) || l.contains(line + " (pending ")))
                        .as("%s sees %s's message once", receiver.name(), sender.name()).isEqualTo(1);
            }
        }
    }

    @Test
    void anIpv6OnlyPeerReachesADualStackPeerThatLoggedInOverIpv4() throws Exception {
        RunningProcess dual = chat.loggedIn("pub1", "dualA");
        RunningProcess v6 = chat.start("pub6", "sixB", Map.of(), net.address6("registry"));
        logIn(v6);
        // dualA is listed at its IPv4 address, which sixB cannot reach; it also announced its IPv6 one.
        openChat(v6, dual);
        deliver(v6, dual, "over IPv6");
        deliver(dual, v6, "and back");
        assertThat(Files.readString(tmp.resolve("pub6-sixB").resolve("data").resolve("peer.log")))
                .contains("Link to dualA open via [" + net.address6("pub1") + "]:");
    }

    @Test
    void twoPeersBehindTwoDifferentRoutersChatBothWaysThroughARelay() throws Exception {
        // Neither router takes inbound connections, so neither a dial nor a dial-back joins them (no port mapping or
        // hole punching yet): after the dial-back's wait they meet at a relay and run their own TLS through it.
        RunningProcess a = chat.loggedIn("h1a", "remA");
        RunningProcess b = chat.loggedIn("h2a", "remB");
        openChat(a, b);
        deliver(a, b, "through a relay");
        deliver(b, a, "and back through it");
        a.awaitLine("link to remB — relayed via ");
        b.awaitLine("link to remA — relayed via ");
        assertThat(Files.readString(tmp.resolve("h1a-remA").resolve("data").resolve("peer.log")))
                .contains("Link to remB open through the relay at ");
    }

    @Test
    void aPeerBehindASymmetricNatAndAPeerBehindAHomeRouterChatBothWaysThroughARelay() throws Exception {
        RunningProcess sym = chat.loggedIn("s1", "symA");
        RunningProcess home = chat.loggedIn("h1b", "homeA");
        openChat(sym, home);
        deliver(sym, home, "from behind the symmetric NAT");
        deliver(home, sym, "from behind the home router");
        deliver(sym, home, "once more");
        int mark = sym.lineCount();
        sym.send("/path homeA");
        sym.awaitLineAfter(mark, "link to homeA — relayed via ");
        mark = home.lineCount();
        home.send("/path symA");
        home.awaitLineAfter(mark, "link to symA — relayed via ");
    }

    @Test
    void aRoomOfThreePeersBehindThreeRoutersGetsEveryMessageOnceThroughRelays() throws Exception {
        RunningProcess sym = chat.loggedIn("s1", "relRoomA");
        RunningProcess home1 = chat.loggedIn("h1a", "relRoomB");
        RunningProcess home2 = chat.loggedIn("h2a", "relRoomC");
        List<RunningProcess> everyone = List.of(sym, home1, home2);
        sym.send("/create relayed");
        sym.awaitLine("* created room relayed");
        for (RunningProcess p : everyone) {
            p.send("/join relayed");
            p.awaitLine("* joined relayed");
        }
        sym.awaitLine("* relRoomC joined relayed");
        home1.awaitLine("* relRoomC joined relayed");
        for (RunningProcess sender : everyone) {
            String text = "relayed hello from " + sender.name();
            sender.send(text);
            String id = pendingId(sender.awaitLine("[room relayed] <" + sender.name() + "> " + text + " (pending "));
            // Each pair of members first waits out a failed dial and dial-back, then meets at a relay.
            sender.awaitLine("✓ delivered " + id + " 2/2");
        }
        for (RunningProcess sender : everyone) {
            for (RunningProcess receiver : everyone) {
                String line = "<" + sender.name() + "> relayed hello from " + sender.name();
                assertThat(receiver.count(l -> l.endsWith(line) || l.contains(line + " (pending ")))
                        .as("%s sees %s's message once", receiver.name(), sender.name()).isEqualTo(1);
            }
        }
    }

    @Test
    void theRelayOnItsOwnHostCopiesOnlyCiphertext() throws Exception {
        // The registry hands out its own relay and relayhost's in turn: of two links asked for one after the other,
        // one goes through relayhost, whose tap file then holds every byte it copied, as it saw them.
        RunningProcess sym = chat.loggedIn("s1", "tapA");
        RunningProcess home1 = chat.loggedIn("h1a", "tapB");
        RunningProcess home2 = chat.loggedIn("h2a", "tapC");
        openChat(sym, home1);
        openChat(sym, home2);
        List<String> secrets = List.of("the vault code is 4471", "meet at the lighthouse", "bring the blue folder");
        deliver(sym, home1, secrets.get(0));
        deliver(home2, sym, secrets.get(1));
        deliver(home1, sym, secrets.get(2));
        String relayed = Files.readString(relayTap, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(relayed.length()).as("bytes copied by the relay on relayhost").isGreaterThan(1000);
        for (String secret : secrets) {
            assertThat(relayed).doesNotContain(secret).doesNotContain(secret.substring(secret.length() - 8));
        }
        assertThat(relayed).doesNotContain("DIRECT_MESSAGE").doesNotContain("CHAT_REQUEST").doesNotContain("tapA");
    }

    @Test
    void aPeerListeningOnLoopbackOnlyWhileTheRegistryIsElsewhereIsWarned() throws Exception {
        RunningProcess p = chat.start("pub2", "loop", Map.of("--listen-host", "127.0.0.1"));
        p.awaitLine(line -> line.contains("127.0.0.1 only") && line.contains("cannot reach you"),
                "the loopback warning");
    }
}
