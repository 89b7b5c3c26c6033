package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryPush;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class RoomStateTest {
    private final RoomState state = new RoomState();

    private static PeerInfo peer(String name, String room) {
        return new PeerInfo(name, room, "127.0.0.1", 4000 + name.length(), "ab".repeat(32));
    }

    @BeforeEach
    void enterLobby() {
        state.enter("lobby", null, "alice", List.of(peer("alice", "lobby"), peer("bob", "lobby")));
    }

    @Test
    void someoneJoiningIsAddedAndReportedOnce() {
        RegistryPush push = new RegistryPush.RoomMemberJoined("lobby", peer("carol", "lobby"));
        assertThat(state.apply(push)).containsExactly(new PeerEvent.MemberJoined("lobby", "carol"));
        assertThat(state.apply(push)).isEmpty();
        assertThat(state.others("lobby")).extracting(PeerInfo::username).containsExactly("bob", "carol");
    }

    @Test
    void leavingLogoutAndTimeoutAreToldApart() {
        state.apply(new RegistryPush.RoomMemberJoined("lobby", peer("carol", "lobby")));
        state.apply(new RegistryPush.RoomMemberJoined("lobby", peer("dave", "lobby")));
        assertThat(state.apply(new RegistryPush.RoomMemberLeft("lobby", "bob")))
                .containsExactly(new PeerEvent.MemberLeft("lobby", "bob", "left"));
        assertThat(state.apply(new RegistryPush.UserLogout("carol", "lobby", null)))
                .containsExactly(new PeerEvent.MemberLeft("lobby", "carol", "logout"));
        assertThat(state.apply(new RegistryPush.UserLogout("dave", "lobby", "timeout")))
                .containsExactly(new PeerEvent.MemberLeft("lobby", "dave", "timeout"));
        assertThat(state.members("lobby")).extracting(PeerInfo::username).containsExactly("alice");
    }

    @Test
    void pushesAboutOtherRoomsStrangersOrMyselfChangeNothing() {
        assertThat(state.apply(new RegistryPush.RoomMemberJoined("other", peer("carol", "other")))).isEmpty();
        assertThat(state.apply(new RegistryPush.RoomMemberLeft("other", "bob"))).isEmpty();
        assertThat(state.apply(new RegistryPush.UserLogout("zed", "lobby", null))).isEmpty();
        assertThat(state.apply(new RegistryPush.RoomMemberJoined("lobby", peer("alice", "lobby")))).isEmpty();
        assertThat(state.apply(new RegistryPush.RoomMemberLeft("lobby", "alice"))).isEmpty();
        assertThat(state.members("lobby")).extracting(PeerInfo::username).containsExactly("alice", "bob");
    }

    @Test
    void aFreshListReportsWhoCameAndWentMeanwhile() {
        List<PeerEvent> changes = state.replaceMembers("lobby", List.of(peer("alice", "lobby"), peer("carol", "lobby")));
        assertThat(changes).containsExactly(new PeerEvent.MemberLeft("lobby", "bob", "left"),
                new PeerEvent.MemberJoined("lobby", "carol"));
        assertThat(state.isMember("lobby", "carol")).isTrue();
        assertThat(state.isMember("lobby", "bob")).isFalse();
    }

    @Test
    void aPartialListAfterAReconnectAddsArrivalsAndKeepsTheMembersNotBackYet() {
        List<PeerEvent> changes = state.addMembers("lobby", List.of(peer("alice", "lobby"), peer("carol", "lobby")));
        assertThat(changes).containsExactly(new PeerEvent.MemberJoined("lobby", "carol"));
        assertThat(state.members("lobby")).extracting(PeerInfo::username).containsExactly("alice", "bob", "carol");
    }

    @Test
    void outsideARoomNothingApplies() {
        state.leave("lobby");
        assertThat(state.room()).isEmpty();
        assertThat(state.apply(new RegistryPush.RoomMemberJoined("lobby", peer("carol", "lobby")))).isEmpty();
        assertThat(state.replaceMembers("lobby", List.of(peer("carol", "lobby")))).isEmpty();
        assertThat(state.members("lobby")).isEmpty();
    }

    @Test
    void eachRoomKeepsItsOwnMembersAndPushesGoToTheRoomTheyName() {
        state.enter("attic", null, "alice", List.of(peer("alice", "attic"), peer("carol", "attic")));

        assertThat(state.rooms()).containsExactly("lobby", "attic");
        assertThat(state.room()).contains("lobby");
        assertThat(state.apply(new RegistryPush.RoomMemberJoined("attic", peer("dave", "attic"))))
                .containsExactly(new PeerEvent.MemberJoined("attic", "dave"));
        assertThat(state.others("lobby")).extracting(PeerInfo::username).containsExactly("bob");
        assertThat(state.others("attic")).extracting(PeerInfo::username).containsExactly("carol", "dave");
        assertThat(state.apply(new RegistryPush.UserLogout("carol", null, null)))
                .as("a logout without a room applies to every room").containsExactly(
                        new PeerEvent.MemberLeft("attic", "carol", "logout"));
        state.leave("lobby");
        assertThat(state.rooms()).containsExactly("attic");
        assertThat(state.apply(new RegistryPush.RoomMemberLeft("lobby", "bob"))).isEmpty();
    }

    @Test
    void aMemberWhoseJoinPushCameBeforeAnOlderListIsKept() {
        // The join race: carol's push is applied, then the list the registry made before she joined arrives.
        RoomState.Listing listing = state.openListing("lobby");
        state.apply(new RegistryPush.RoomMemberJoined("lobby", peer("carol", "lobby")));
        state.replaceMembers(listing, "lobby", List.of(peer("alice", "lobby"), peer("bob", "lobby")));
        assertThat(state.members("lobby")).extracting(PeerInfo::username).containsExactly("alice", "bob", "carol");
    }

    @Test
    void aMemberWhoLeftAfterTheListWasMadeStaysGone() {
        RoomState.Listing listing = state.openListing("lobby");
        state.apply(new RegistryPush.RoomMemberLeft("lobby", "bob"));
        List<PeerEvent> changes = state.replaceMembers(listing, "lobby",
                List.of(peer("alice", "lobby"), peer("bob", "lobby")));
        assertThat(changes).isEmpty(); // bob's leaving was reported when its push came
        assertThat(state.members("lobby")).extracting(PeerInfo::username).containsExactly("alice");
    }

    @Test
    void pushesThatCameBeforeTheRoomWasEnteredAreReplayedOnItsFirstList() {
        RoomState fresh = new RoomState();
        RoomState.Listing listing = fresh.openListing("Garden");
        // JOIN answered, but its push about dave is read before the joining thread enters the room.
        fresh.apply(new RegistryPush.RoomMemberJoined("garden", peer("dave", "garden")));
        fresh.enter("garden", null, "alice", List.of());
        fresh.replaceMembers(listing, "garden", List.of(peer("alice", "garden")));
        assertThat(fresh.members("garden")).extracting(PeerInfo::username).containsExactly("alice", "dave");
    }

    @Test
    void aClosedListingKeepsNothingMore() {
        RoomState.Listing listing = state.openListing("lobby");
        state.close(listing);
        state.apply(new RegistryPush.RoomMemberJoined("lobby", peer("carol", "lobby")));
        state.apply(new RegistryPush.RoomMemberLeft("lobby", "carol"));
        state.replaceMembers("lobby", List.of(peer("alice", "lobby"), peer("carol", "lobby")));
        assertThat(state.members("lobby")).extracting(PeerInfo::username).containsExactly("alice", "carol");
    }

    @Test
    void aPartialListKeepsALeaveThatCameMeanwhile() {
        RoomState.Listing listing = state.openListing("lobby");
        state.apply(new RegistryPush.UserLogout("bob", "lobby", "timeout"));
        state.addMembers(listing, "lobby", List.of(peer("alice", "lobby"), peer("bob", "lobby")));
        assertThat(state.members("lobby")).extracting(PeerInfo::username).containsExactly("alice");
    }
}
