package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Reverse connection: carol takes no links (as a peer behind a NAT cannot) and has opened none, so bob can reach
 * her only by having the registry ask her to dial him (CONNECT_BACK → DIAL_BACK); the link she opens then carries
 * the chat both ways.
 */
class DialBackIntegrationTest {
    @TempDir
    Path dir;

    TestRegistry registry;
    RunningPeer bob;
    RunningPeer carol;

    @BeforeEach
    void start() throws Exception {
        // No relay: this is the rung below it, and its failures must show.
        registry = TestRegistry.start(dir.resolve("registry"), b -> b.relays(TestRegistry.NO_RELAY));
        bob = RunningPeer.loggedIn(registry, dir.resolve("bob"), "bob");
        carol = RunningPeer.loggedIn(registry, dir.resolve("carol"), "carol");
        carol.stopListeningAndAwaitRefusal();
    }

    @AfterEach
    void stop() {
        for (RunningPeer p : new RunningPeer[] {bob, carol}) {
            if (p != null) {
                p.close();
            }
        }
        registry.close();
    }

    @Test
    void aPeerThatCannotBeDialledIsReachedByDiallingBackAndTheLinkCarriesTheChatBothWays() throws PeerException {
        bob.peer.requestChat("carol");
        carol.await(PeerEvent.ChatRequested.class, e -> e.from().equals("bob"));
        carol.peer.acceptChat("bob");
        bob.await(PeerEvent.ChatAccepted.class, e -> e.by().equals("carol"));
        assertThat(bob.peer.linkRoute("carol")).hasValueSatisfying(route -> {
            assertThat(route.kind()).isEqualTo(dev.p2pchat.peer.mesh.LinkRoute.Kind.DIALLED_BACK);
            assertThat(route.describe("carol")).startsWith("reversed: you could not reach carol, so carol dialled");
        });
        assertThat(carol.peer.linkRoute("bob")).hasValueSatisfying(route -> {
            assertThat(route.kind()).isEqualTo(dev.p2pchat.peer.mesh.LinkRoute.Kind.DIALLED_BACK_HERE);
            assertThat(route.address()).isEqualTo("127.0.0.1:" + bob.peer.port());
        });

        String toCarol = bob.peer.sendDirect("carol", "you dialled me back");
        assertThat(carol.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("you dialled me back");
        bob.await(PeerEvent.Delivered.class, e -> e.id().equals(toCarol));

        String toBob = carol.peer.sendDirect("bob", "on the same link");
        assertThat(bob.await(PeerEvent.DirectMessageReceived.class).text()).isEqualTo("on the same link");
        carol.await(PeerEvent.Delivered.class, e -> e.id().equals(toBob));
        assertThat(carol.events(PeerEvent.DirectMessageReceived.class)).hasSize(1);
        assertThat(bob.events(PeerEvent.DirectMessageReceived.class)).hasSize(1);
    }

    @Test
    void whenNeitherSideCanBeDialledTheRequestFailsSayingWhyAndIsNotAskedAgainAtOnce() throws Exception {
        bob.stopListeningAndAwaitRefusal();
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bob.peer.requestChat("carol")))
                .isInstanceOf(PeerException.class)
                .hasMessageContaining("did not within");
        // Asked once in vain: the next attempt fails at once instead of waiting again.
        assertThat(org.assertj.core.api.Assertions.catchThrowable(() -> bob.peer.requestChat("carol")))
                .isInstanceOf(PeerException.class)
                .hasMessageContaining("did not dial back when last asked either");
    }
}
