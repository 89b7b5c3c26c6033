package dev.p2pchat.registry.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.registry.MutableClock;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionRegistryTest {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    static final Instant EXPIRES = Instant.parse("2030-01-01T00:00:00Z");
    static final RoomRef LOBBY = new RoomRef("Lobby", 3);

    final MutableClock clock = new MutableClock();
    final SessionRegistry registry = new SessionRegistry(clock);

    /** Records what the registry pushed to one user. */
    static final class RecordingOutbox implements Outbox {
        final List<RegistryPush> pushes = new ArrayList<>();
        final List<String> kicks = new ArrayList<>();

        @Override
        public void push(RegistryPush push) {
            pushes.add(push);
        }

        @Override
        public void send(dev.p2pchat.protocol.EncodedFrame frame) {
            throw new AssertionError("expected a push, got " + frame);
        }

        @Override
        public void kick(String why) {
            kicks.add(why);
        }
    }

    Session login(String name, RecordingOutbox outbox) {
        AuthOutcome outcome = registry.login(name, "token-" + name, EXPIRES, endpoint(), outbox);
        assertThat(outcome).isInstanceOf(AuthOutcome.Authenticated.class);
        return ((AuthOutcome.Authenticated) outcome).session();
    }

    static Endpoint endpoint() {
        return new Endpoint("10.0.0.1", 4000, "ab".repeat(32));
    }

    @Test
    void aUserOnlineOnAnAttachedConnectionCannotLogInAgain() {
        login("alice", new RecordingOutbox());

        assertThat(registry.login("ALICE", "t2", EXPIRES, endpoint(), new RecordingOutbox()))
                .isInstanceOf(AuthOutcome.AlreadyOnline.class);
    }

    @Test
    void aLoginReplacesASessionWhoseConnectionDropped() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        RecordingOutbox bobOut = new RecordingOutbox();
        Session bob = login("bob", bobOut);
        registry.join(alice, LOBBY);
        registry.join(bob, LOBBY);
        registry.detach(alice, aliceOut);

        Session again = login("alice", new RecordingOutbox());

        assertThat(again).isNotSameAs(alice);
        assertThat(alice.isEnded()).isTrue();
        assertThat(bobOut.pushes).contains(new RegistryPush.RoomMemberLeft("Lobby", "alice"));
        assertThat(again.room()).isNull();
    }

    @Test
    void joinTellsTheOtherMembersButNotTheJoiner() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        RecordingOutbox bobOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", bobOut);
        registry.join(alice, LOBBY);

        assertThat(registry.join(bob, new RoomRef("lobby", 3))).isEqualTo(JoinOutcome.JOINED);

        assertThat(bob.room()).isEqualTo("Lobby");
        assertThat(aliceOut.pushes).containsExactly(new RegistryPush.RoomMemberJoined("Lobby", bob.peerInfo()));
        assertThat(bobOut.pushes).isEmpty();
    }

    @Test
    void aRoomHoldsNoMoreThanItsCapacity() {
        for (String name : List.of("a1", "a2", "a3")) {
            assertThat(registry.join(login(name, new RecordingOutbox()), LOBBY)).isEqualTo(JoinOutcome.JOINED);
        }

        assertThat(registry.join(login("a4", new RecordingOutbox()), LOBBY)).isEqualTo(JoinOutcome.FULL);
        assertThat(registry.memberCounts()).isEqualTo(Map.of("lobby", 3));
    }

    @Test
    void aUserIsInAtMostOneRoom() {
        Session alice = login("alice", new RecordingOutbox());
        registry.join(alice, LOBBY);

        assertThat(registry.join(alice, new RoomRef("other", 5))).isEqualTo(JoinOutcome.IN_ANOTHER_ROOM);
        assertThat(registry.join(alice, new RoomRef("LOBBY", 3))).isEqualTo(JoinOutcome.ALREADY_IN_THIS_ROOM);
    }

    @Test
    void leaveChecksTheRoomNameAndTellsTheOthers() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", new RecordingOutbox());
        registry.join(alice, LOBBY);
        registry.join(bob, LOBBY);

        assertThat(registry.leave(bob, "elsewhere").kind()).isEqualTo(LeaveOutcome.Kind.NOT_IN_THAT_ROOM);
        assertThat(registry.leave(bob, "lobby")).isEqualTo(new LeaveOutcome(LeaveOutcome.Kind.LEFT, "Lobby"));
        assertThat(registry.leave(bob, null).kind()).isEqualTo(LeaveOutcome.Kind.NOT_IN_A_ROOM);
        assertThat(aliceOut.pushes).endsWith(new RegistryPush.RoomMemberLeft("Lobby", "bob"));
    }

    @Test
    void anEmptiedRoomDisappearsFromTheCounts() {
        Session alice = login("alice", new RecordingOutbox());
        registry.join(alice, LOBBY);

        registry.leave(alice, null);

        assertThat(registry.memberCounts()).isEmpty();
        assertThat(registry.roomMembers("lobby")).isEmpty();
    }

    @Test
    void logoutTellsTheRoomAndRevokesTheToken() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", new RecordingOutbox());
        registry.join(alice, LOBBY);
        registry.join(bob, LOBBY);

        assertThat(registry.logout(bob)).isTrue();

        assertThat(aliceOut.pushes).endsWith(new RegistryPush.UserLogout("bob", "Lobby", null));
        assertThat(registry.find("bob")).isEmpty();
        assertThat(registry.resume("bob", "token-bob", EXPIRES, endpoint(), new RecordingOutbox(), null))
                .isInstanceOf(AuthOutcome.TokenRevoked.class);
    }

    @Test
    void silentSessionsExpireAndTheirRoomHearsWhy() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        RecordingOutbox bobOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", bobOut);
        registry.join(alice, LOBBY);
        registry.join(bob, LOBBY);
        clock.advance(Duration.ofSeconds(20));
        registry.keepAlive("alice", alice.keepAliveToken(), new InetSocketAddress("10.0.0.1", 5000));
        clock.advance(Duration.ofSeconds(11));

        List<Session> expired = registry.expireIdle(TIMEOUT);

        assertThat(expired).containsExactly(bob);
        assertThat(bob.isEnded()).isTrue();
        assertThat(bobOut.kicks).hasSize(1);
        assertThat(aliceOut.pushes).endsWith(new RegistryPush.UserLogout("bob", "Lobby", "timeout"));
        assertThat(registry.onlinePeers(null)).extracting(PeerInfo::username).containsExactly("alice");
    }

    @Test
    void keepAliveNeedsTheSessionsOwnKeepAliveToken() {
        Session alice = login("alice", new RecordingOutbox());
        Session bob = login("bob", new RecordingOutbox());
        InetSocketAddress from = new InetSocketAddress("10.0.0.1", 5000);

        assertThat(registry.keepAlive("alice", bob.keepAliveToken(), from)).isFalse();
        assertThat(registry.keepAlive("ALICE", alice.keepAliveToken(), from)).isTrue();
        assertThat(registry.find("alice").orElseThrow().keepAliveAddress()).isEqualTo(from);
    }

    @Test
    void keepAliveRefusesTheSessionToken() {
        login("alice", new RecordingOutbox());

        assertThat(registry.keepAlive("alice", "token-alice", new InetSocketAddress("10.0.0.1", 5000))).isFalse();
    }

    @Test
    void eachSessionGetsItsOwnRandomKeepAliveToken() {
        Session alice = login("alice", new RecordingOutbox());
        Session bob = login("bob", new RecordingOutbox());

        assertThat(alice.keepAliveToken()).isNotBlank().isNotEqualTo(alice.token())
                .isNotEqualTo(bob.keepAliveToken());
    }

    @Test
    void resumeReplacesTheKeepAliveToken() {
        Session alice = login("alice", new RecordingOutbox());
        String before = alice.keepAliveToken();
        InetSocketAddress from = new InetSocketAddress("10.0.0.1", 5000);

        registry.resume("alice", "token-alice", EXPIRES, endpoint(), new RecordingOutbox(), null);

        assertThat(alice.keepAliveToken()).isNotEqualTo(before);
        assertThat(registry.keepAlive("alice", before, from)).isFalse();
        assertThat(registry.keepAlive("alice", alice.keepAliveToken(), from)).isTrue();
    }

    @Test
    void resumeTakesOverTheLiveSessionAndKicksItsOldConnection() {
        RecordingOutbox oldOut = new RecordingOutbox();
        Session alice = login("alice", oldOut);
        registry.join(alice, LOBBY);

        AuthOutcome outcome = registry.resume("alice", "token-alice", EXPIRES, endpoint(), new RecordingOutbox(), null);

        assertThat(outcome).isEqualTo(new AuthOutcome.Authenticated(alice, "Lobby"));
        assertThat(oldOut.kicks).hasSize(1);
    }

    @Test
    void resumeAfterARestartRejoinsTheNamedRoomWhenThereIsSpace() {
        Session other1 = login("o1", new RecordingOutbox());
        Session other2 = login("o2", new RecordingOutbox());
        registry.join(other1, new RoomRef("duo", 2));

        AuthOutcome withSpace = registry.resume("alice", "t-a", EXPIRES, endpoint(), new RecordingOutbox(),
                new RoomRef("duo", 2));
        registry.join(other2, new RoomRef("trio", 3));
        AuthOutcome full = registry.resume("bob", "t-b", EXPIRES, endpoint(), new RecordingOutbox(),
                new RoomRef("duo", 2));

        assertThat(((AuthOutcome.Authenticated) withSpace).restoredRoom()).isEqualTo("duo");
        assertThat(((AuthOutcome.Authenticated) full).restoredRoom()).isNull();
    }

    @Test
    void discoveryWithoutARoomLeavesOutTheCaller() {
        Session alice = login("alice", new RecordingOutbox());
        login("carol", new RecordingOutbox());
        login("Bob", new RecordingOutbox());

        assertThat(registry.onlinePeers(alice)).extracting(PeerInfo::username).containsExactly("Bob", "carol");
    }
}
