package dev.p2pchat.registry.session;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.EncodedFrame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RegistryPush;
import dev.p2pchat.transport.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
    final SessionRegistry state = new SessionRegistry(clock);
    /** The registry as its caller uses it: every change followed by {@link SessionRegistry#deliver()}. */
    final Delivering registry = new Delivering(state);

    /** Records what the registry pushed to one user, decoded, and the encoded frames themselves. */
    static final class RecordingOutbox implements Outbox {
        final List<RegistryPush> pushes = new ArrayList<>();
        final List<EncodedFrame> frames = new ArrayList<>();
        final List<String> kicks = new ArrayList<>();

        @Override
        public void send(EncodedFrame frame) {
            frames.add(frame);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try {
                frame.writeTo(bytes);
                pushes.add((RegistryPush) Messages.decode(
                        new FrameReader(new ByteArrayInputStream(bytes.toByteArray())).read()));
            } catch (IOException | ProtocolException e) {
                throw new AssertionError(e);
            }
        }

        @Override
        public void kick(String why) {
            kicks.add(why);
        }
    }

    /** Unwraps each change's outcome after delivering its effects, as RegistryService does. */
    record Delivering(SessionRegistry s) {
        AuthOutcome login(String u, String t, Instant e, Endpoint ep, Outbox o) {
            return done(s.login(u, t, e, ep, o));
        }

        AuthOutcome resume(String u, String t, Instant e, Endpoint ep, Outbox o, RoomRef r) {
            return done(s.resume(u, t, e, ep, o, r));
        }

        JoinOutcome join(Session session, RoomRef room) {
            return done(s.join(session, room));
        }

        LeaveOutcome leave(Session session, String room) {
            return done(s.leave(session, room));
        }

        boolean logout(Session session) {
            return done(s.logout(session));
        }

        List<Session> expireIdle(Duration timeout) {
            return done(s.expireIdle(timeout));
        }

        boolean detach(Session session, Outbox outbox) {
            return s.detach(session, outbox);
        }

        boolean keepAlive(String u, String t, InetSocketAddress from) {
            return s.keepAlive(u, t, from);
        }

        java.util.Optional<Session> find(String u) {
            return s.find(u);
        }

        List<PeerInfo> onlinePeers(Session except) {
            return s.onlinePeers(except);
        }

        List<PeerInfo> roomMembers(String room) {
            return s.roomMembers(room);
        }

        Map<String, Integer> memberCounts() {
            return s.memberCounts();
        }

        private <T> T done(Change<T> change) {
            s.deliver();
            return change.outcome();
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
    void aSessionJoinsSeveralRoomsUpToItsCap() {
        SessionRegistry capped = new SessionRegistry(clock, 2);
        Delivering two = new Delivering(capped);
        Session alice = ((AuthOutcome.Authenticated) two.login("alice", "token-alice", EXPIRES, endpoint(),
                new RecordingOutbox())).session();

        assertThat(two.join(alice, LOBBY)).isEqualTo(JoinOutcome.JOINED);
        assertThat(two.join(alice, new RoomRef("other", 5))).isEqualTo(JoinOutcome.JOINED);
        assertThat(two.join(alice, new RoomRef("LOBBY", 3))).isEqualTo(JoinOutcome.ALREADY_IN_THIS_ROOM);
        assertThat(two.join(alice, new RoomRef("third", 5))).isEqualTo(JoinOutcome.TOO_MANY_ROOMS);
        assertThat(alice.rooms()).containsExactly("Lobby", "other");
        assertThat(alice.room()).as("the first joined, for one-room fields").isEqualTo("Lobby");
        assertThat(capped.memberCounts()).isEqualTo(Map.of("lobby", 1, "other", 1));
    }

    @Test
    void leavingWithoutANameNeedsItWhenInSeveralRooms() {
        RecordingOutbox bobOut = new RecordingOutbox();
        Session alice = login("alice", new RecordingOutbox());
        Session bob = login("bob", bobOut);
        registry.join(alice, LOBBY);
        registry.join(alice, new RoomRef("other", 5));
        registry.join(bob, new RoomRef("other", 5));

        assertThat(registry.leave(alice, null)).isEqualTo(new LeaveOutcome(LeaveOutcome.Kind.NAME_NEEDED, null,
                List.of("Lobby", "other")));
        assertThat(registry.leave(alice, "lobby")).isEqualTo(new LeaveOutcome(LeaveOutcome.Kind.LEFT, "Lobby",
                List.of("other")));
        assertThat(bobOut.pushes).as("bob is not in Lobby").noneMatch(p -> p instanceof RegistryPush.RoomMemberLeft);
        assertThat(registry.leave(alice, null).room()).as("one room left: no name needed").isEqualTo("other");
        assertThat(bobOut.pushes).endsWith(new RegistryPush.RoomMemberLeft("other", "alice"));
    }

    @Test
    void logoutTellsEachRoomOfTheSession() {
        RecordingOutbox bobOut = new RecordingOutbox();
        RecordingOutbox carolOut = new RecordingOutbox();
        Session alice = login("alice", new RecordingOutbox());
        Session bob = login("bob", bobOut);
        Session carol = login("carol", carolOut);
        registry.join(bob, LOBBY);
        registry.join(carol, new RoomRef("other", 5));
        registry.join(alice, LOBBY);
        registry.join(alice, new RoomRef("other", 5));

        registry.logout(alice);

        assertThat(bobOut.pushes).endsWith(new RegistryPush.UserLogout("alice", "Lobby", null));
        assertThat(carolOut.pushes).endsWith(new RegistryPush.UserLogout("alice", "other", null));
        assertThat(state.memberCounts()).isEqualTo(Map.of("lobby", 1, "other", 1));
    }

    @Test
    void aResumeFromANewAddressIsAnnouncedInEachRoomOfTheSession() {
        RecordingOutbox bobOut = new RecordingOutbox();
        RecordingOutbox carolOut = new RecordingOutbox();
        Session alice = login("alice", new RecordingOutbox());
        Session bob = login("bob", bobOut);
        Session carol = login("carol", carolOut);
        RoomRef other = new RoomRef("other", 5);
        registry.join(bob, LOBBY);
        registry.join(carol, other);
        registry.join(alice, LOBBY);
        registry.join(alice, other);
        Endpoint moved = new Endpoint("10.0.0.9", 4001, "cd".repeat(32));

        AuthOutcome outcome = registry.resume("alice", "token-alice", EXPIRES, moved, new RecordingOutbox(), null);

        assertThat(((AuthOutcome.Authenticated) outcome).restoredRooms()).containsExactly("Lobby", "other");
        assertThat(bobOut.pushes).endsWith(new RegistryPush.RoomMemberJoined("Lobby", moved.asPeer("alice", "Lobby")));
        assertThat(carolOut.pushes).endsWith(new RegistryPush.RoomMemberJoined("other", moved.asPeer("alice", "other")));
    }

    @Test
    void aTimeOutTellsEachRoomOfTheSession() {
        RecordingOutbox bobOut = new RecordingOutbox();
        RecordingOutbox carolOut = new RecordingOutbox();
        Session alice = login("alice", new RecordingOutbox());
        Session bob = login("bob", bobOut);
        Session carol = login("carol", carolOut);
        registry.join(bob, LOBBY);
        registry.join(carol, new RoomRef("other", 5));
        registry.join(alice, LOBBY);
        registry.join(alice, new RoomRef("other", 5));
        clock.advance(TIMEOUT.plusSeconds(1));
        registry.s().touch(bob);
        registry.s().touch(carol);

        registry.expireIdle(TIMEOUT);

        assertThat(bobOut.pushes).endsWith(new RegistryPush.UserLogout("alice", "Lobby", "timeout"));
        assertThat(carolOut.pushes).endsWith(new RegistryPush.UserLogout("alice", "other", "timeout"));
    }

    @Test
    void resumeAfterARestartRejoinsEveryRoomWithSpace() {
        Delivering fresh = new Delivering(new SessionRegistry(clock));
        AuthOutcome outcome = fresh.s().resume("alice", "token-alice", EXPIRES, endpoint(), new RecordingOutbox(),
                List.of(LOBBY, new RoomRef("other", 5))).outcome();
        fresh.s().deliver();

        assertThat(((AuthOutcome.Authenticated) outcome).restoredRooms()).containsExactly("Lobby", "other");
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

    // ---- the effects a change returns (issue 9: nothing is sent or closed under the registry's lock) ----

    @Test
    void joinReturnsOnePushForAllOtherMembersAndSendsNothingBeforeDelivery() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        RecordingOutbox bobOut = new RecordingOutbox();
        RecordingOutbox carolOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", bobOut);
        Session carol = login("carol", carolOut);
        registry.join(alice, LOBBY);
        registry.join(bob, LOBBY);
        int alicePushes = aliceOut.pushes.size();

        Change<JoinOutcome> change = state.join(carol, LOBBY);

        assertThat(change.outcome()).isEqualTo(JoinOutcome.JOINED);
        assertThat(change.effects()).containsExactly(new Effect.Send(List.of(aliceOut, bobOut),
                new RegistryPush.RoomMemberJoined("Lobby", carol.peerInfo())));
        assertThat(aliceOut.pushes).hasSize(alicePushes);
        assertThat(carol.room()).isEqualTo("Lobby");
    }

    @Test
    void aPushToManyMembersIsEncodedOnceAndSharedByAll() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        RecordingOutbox bobOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", bobOut);
        Session carol = login("carol", new RecordingOutbox());
        registry.join(alice, LOBBY);
        registry.join(bob, LOBBY);
        aliceOut.frames.clear();

        registry.join(carol, LOBBY);

        assertThat(aliceOut.frames).hasSize(1);
        assertThat(bobOut.frames).hasSize(1);
        assertThat(aliceOut.frames.get(0)).isSameAs(bobOut.frames.get(0));
    }

    @Test
    void aRefusedChangeReturnsNoEffects() {
        Session alice = login("alice", new RecordingOutbox());
        registry.join(alice, LOBBY);

        assertThat(state.join(alice, new RoomRef("other", 5)).effects()).isEmpty();
        assertThat(state.leave(alice, "elsewhere").effects()).isEmpty();
        assertThat(state.login("alice", "t2", EXPIRES, endpoint(), new RecordingOutbox()).effects()).isEmpty();
    }

    @Test
    void expiryReturnsTheKickAndTheAnnouncementAndDeliversThemOnlyOnRequest() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        RecordingOutbox bobOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", bobOut);
        registry.join(alice, LOBBY);
        registry.join(bob, LOBBY);
        clock.advance(Duration.ofSeconds(20));
        registry.keepAlive("alice", alice.keepAliveToken(), new InetSocketAddress("10.0.0.1", 5000));
        clock.advance(Duration.ofSeconds(11));

        Change<List<Session>> change = state.expireIdle(TIMEOUT);

        assertThat(change.outcome()).containsExactly(bob);
        assertThat(change.effects()).containsExactly(new Effect.Kick(bobOut, "session timed out"),
                new Effect.Send(List.of(aliceOut), new RegistryPush.UserLogout("bob", "Lobby", "timeout")));
        assertThat(bobOut.kicks).isEmpty();
        state.deliver();
        assertThat(bobOut.kicks).containsExactly("session timed out");
        assertThat(aliceOut.pushes).endsWith(new RegistryPush.UserLogout("bob", "Lobby", "timeout"));
    }

    @Test
    void resumeOnANewConnectionReturnsTheKickOfTheOldOne() {
        RecordingOutbox oldOut = new RecordingOutbox();
        RecordingOutbox newOut = new RecordingOutbox();
        login("alice", oldOut);

        Change<AuthOutcome> change = state.resume("alice", "token-alice", EXPIRES, endpoint(), newOut, (RoomRef) null);

        assertThat(change.effects()).containsExactly(new Effect.Kick(oldOut, "session resumed on another connection"));
        assertThat(oldOut.kicks).isEmpty();
    }

    @Test
    void effectsOfSeveralChangesAreDeliveredInTheOrderOfTheChanges() {
        RecordingOutbox aliceOut = new RecordingOutbox();
        Session alice = login("alice", aliceOut);
        Session bob = login("bob", new RecordingOutbox());
        registry.join(alice, LOBBY);

        state.join(bob, LOBBY);
        state.leave(bob, null);
        state.deliver();

        assertThat(aliceOut.pushes).containsExactly(
                new RegistryPush.RoomMemberJoined("Lobby",
                        new PeerInfo("bob", "Lobby", "10.0.0.1", 4000, "ab".repeat(32))),
                new RegistryPush.RoomMemberLeft("Lobby", "bob"));
    }
}
