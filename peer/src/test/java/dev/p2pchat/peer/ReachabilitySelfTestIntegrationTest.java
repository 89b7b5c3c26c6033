package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.peer.mesh.LinkRoute;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The registry's reachability self-test seen from peers: bob and carol refuse connections when they log in (as
 * behind NATs), so the registry lists both not dialable and tells each so once. bob's chat to carol then skips the
 * rungs that cannot work: no direct dial to carol and no dial-back asked of her (nobody can reach bob either), so the
 * link goes straight to the punch and the relay, without the dial-back wait.
 */
class ReachabilitySelfTestIntegrationTest {
    private static final String UNDIALABLE = "Nobody can dial you directly at 127.0.0.1:";

    @TempDir
    Path dir;

    TestRegistry registry;
    RunningPeer bob;
    RunningPeer carol;

    @AfterEach
    void stop() {
        for (RunningPeer p : new RunningPeer[] {bob, carol}) {
            if (p != null) {
                p.close();
            }
        }
        if (registry != null) {
            registry.close();
        }
    }

    /** Starts a peer that refuses connections before it logs in, so that the registry's test at login fails. */
    private RunningPeer unreachableAtLogin(String user) throws Exception {
        RunningPeer p = RunningPeer.start(registry, dir.resolve(user));
        p.stopListeningAndAwaitRefusal();
        p.peer.register(user, (user + "-pw").toCharArray());
        p.peer.login(user, (user + "-pw").toCharArray());
        return p;
    }

    private String metrics() throws Exception {
        try (HttpClient http = HttpClient.newHttpClient()) {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + registry.metricsPort()
                    + "/metrics")).build(), HttpResponse.BodyHandlers.ofString()).body();
        }
    }

    @Test
    void aPeerNobodyCanDialIsToldOnceInPlainWords() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"));
        bob = unreachableAtLogin("bob");

        PeerEvent.Notice notice = bob.await(PeerEvent.Notice.class, n -> n.text().startsWith(UNDIALABLE));
        assertThat(notice.text()).isEqualTo(UNDIALABLE + bob.peer.port()
                + ": chats reach you by dial-back, hole punching or a relay.");
        carol = unreachableAtLogin("carol");
        carol.await(PeerEvent.Notice.class, n -> n.text().startsWith(UNDIALABLE));
        assertThat(bob.events(PeerEvent.Notice.class, n -> n.text().startsWith(UNDIALABLE))).hasSize(1);
    }

    @Test
    void twoPeersNobodyCanDialOpenARelayedLinkWithoutAskingForADialBack() throws Exception {
        registry = TestRegistry.start(dir.resolve("registry"), b -> b.metricsPort(0));
        bob = unreachableAtLogin("bob");
        carol = unreachableAtLogin("carol");
        // Each has heard the registry's verdict, so each side's ladder knows it.
        bob.await(PeerEvent.Notice.class, n -> n.text().startsWith(UNDIALABLE));
        carol.await(PeerEvent.Notice.class, n -> n.text().startsWith(UNDIALABLE));

        bob.peer.requestChat("carol");
        carol.await(PeerEvent.ChatRequested.class, e -> e.from().equals("bob"));
        carol.peer.acceptChat("bob");
        bob.await(PeerEvent.ChatAccepted.class, e -> e.by().equals("carol"));

        assertThat(bob.peer.linkRoute("carol")).hasValueSatisfying(route ->
                assertThat(route.kind()).isEqualTo(LinkRoute.Kind.RELAYED));
        String toCarol = bob.peer.sendDirect("carol", "straight to the relay");
        assertThat(carol.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("straight to the relay");
        bob.await(PeerEvent.Delivered.class, e -> e.id().equals(toCarol));

        // The registry answered a relay request and never a CONNECT_BACK: no dial-back was asked, none waited for.
        String scraped = metrics();
        assertThat(scraped).contains("type=\"RelayToken\"").doesNotContain("type=\"ConnectBack\"");
        assertThat(scraped).containsPattern("p2pchat_registry_self_tests_total [2-9]");
    }
}
