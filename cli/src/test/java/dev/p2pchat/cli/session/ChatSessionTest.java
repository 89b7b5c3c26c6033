package dev.p2pchat.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import org.junit.jupiter.api.Test;

import dev.p2pchat.cli.command.CommandParser;
import dev.p2pchat.cli.command.Conversation;
import dev.p2pchat.peer.ConnectionState;
import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.protocol.RoomSummary;

class ChatSessionTest {

    private final FakePeer peer = new FakePeer();
    private final RecordingView view = new RecordingView();
    private final ChatSession session = new ChatSession(peer, view,
            (name, newAccount) -> "from-source".toCharArray(), Clock.fixed(Instant.EPOCH, ZoneOffset.UTC));

    static String tag(Conversation conversation) {
        return conversation instanceof Conversation.Room ? "#" + conversation.name() : "@" + conversation.name();
    }

    private ChatSession.Next type(String line) {
        return session.handle(CommandParser.parse(line));
    }

    private void loggedInAsAlice() {
        type("/login alice pw");
        view.out.clear();
        peer.calls.clear();
    }

    @Test
    void loginWithoutPasswordAsksThePasswordSource() {
        type("/login alice");

        assertThat(peer.calls).containsExactly("login alice from-source");
        assertThat(view.last()).isEqualTo("notice logged in as alice");
        assertThat(view.prompt).isEqualTo("alice");
    }

    @Test
    void aPeerFailureBecomesOneErrorLine() {
        peer.failNext = new PeerException("Wrong username or password.");

        type("/login alice bad");

        assertThat(view.out).containsExactly("error Wrong username or password.");
    }

    @Test
    void anUnexpectedExceptionBecomesAnErrorLineNotAStackTrace() {
        ChatSession broken = new ChatSession(new FakePeer() {
            @Override
            public void login(String username, char[] password) {
                throw new IllegalStateException("boom");
            }
        }, view, PasswordSource.none(), Clock.systemUTC());

        broken.handle(CommandParser.parse("/login alice pw"));

        assertThat(view.out).singleElement().asString().startsWith("error unexpected failure (IllegalStateException)");
    }

    @Test
    void lineModeWithoutPasswordRefusesClearly() {
        ChatSession lineMode = new ChatSession(peer, view, PasswordSource.none(), Clock.systemUTC());

        lineMode.handle(CommandParser.parse("/login alice"));

        assertThat(peer.calls).isEmpty();
        assertThat(view.last()).startsWith("error no password given");
    }

    @Test
    void commandsNeedALogin() {
        type("/users");

        assertThat(peer.calls).isEmpty();
        assertThat(view.last()).startsWith("error you are not logged in");
    }

    @Test
    void unknownCommandIsAnError() {
        assertThat(type("/frobnicate")).isEqualTo(ChatSession.Next.CONTINUE);

        assertThat(view.out).containsExactly("error unknown command /frobnicate — type /help");
    }

    @Test
    void plainTextWithoutAConversationIsRefused() {
        loggedInAsAlice();

        type("hello?");

        assertThat(peer.calls).doesNotContain("room hello?");
        assertThat(view.last()).startsWith("error no conversation to send to");
    }

    @Test
    void joiningMakesTheRoomTheConversationAndTextGoesThere() {
        loggedInAsAlice();
        peer.members = List.of(FakePeer.info("alice"), FakePeer.info("bob"));

        type("/join lobby");
        type("hello *all*");

        assertThat(peer.calls).containsSubsequence("join lobby -", "room hello *all*");
        assertThat(view.out).containsExactly(
                "notice joined lobby — members: alice, bob",
                "sent #lobby <alice> hello *all* m1");
        assertThat(view.prompt).isEqualTo("alice #lobby");
    }

    @Test
    void aSecondJoinKeepsTheFirstRoomAndTypingGoesToTheBuffersRoom() {
        loggedInAsAlice();
        type("/join alpha");
        type("/join beta");
        type("to beta");
        type("/switch #alpha");
        type("to alpha");
        type("/leave");

        assertThat(peer.roomSends).containsExactly("beta:to beta", "alpha:to alpha");
        assertThat(peer.joined).as("/leave in alpha's buffer leaves alpha only").containsExactly("beta");
    }

    @Test
    void leaveWithoutARoomOutsideARoomBufferNeedsTheNameWhenInSeveral() {
        loggedInAsAlice();
        type("/join alpha");
        type("/join beta");
        session.focus(java.util.Optional.empty());
        view.out.clear();

        type("/leave");
        type("/leave #alpha");

        assertThat(view.out.getFirst()).startsWith("error you are in alpha, beta — /leave #ROOM");
        assertThat(peer.joined).containsExactly("beta");
    }

    @Test
    void roomReceiptShowsOnlyTheReportNotEachMember() {
        loggedInAsAlice();
        type("/join lobby");
        type("hi");
        view.out.clear();

        session.onEvent(new PeerEvent.Delivered("m1", "bob"));
        session.onEvent(new PeerEvent.DeliveryFailed("m1", "carol", "carol timed out"));
        session.onEvent(new PeerEvent.RoomDeliveryReport("m1", 1, 2, List.of("carol")));

        assertThat(view.out).containsExactly("receipt m1 ✗ 1/2 — missing: carol");
        assertThat(session.awaitingReceipts()).isZero();
    }

    @Test
    void aReceiptThatOvertakesItsSendIsShownAfterTheOwnLine() {
        loggedInAsAlice();
        type("/join lobby");
        peer.duringSend = id -> session.onEvent(new PeerEvent.RoomDeliveryReport(id, 0, 0, List.of()));
        view.out.clear();

        type("anyone here?");

        assertThat(view.out).containsExactly("sent #lobby <alice> anyone here? m1", "receipt m1 ✓ 0/0");
    }

    @Test
    void chatRequestAcceptedByTheOtherSideSwitchesTheConversation() {
        loggedInAsAlice();

        type("/chat bob");
        peer.open.add("bob");
        session.onEvent(new PeerEvent.ChatAccepted("bob"));
        type("hi bob");
        session.onEvent(new PeerEvent.Delivered("m1", "bob"));

        assertThat(peer.calls).containsSubsequence("request bob", "direct bob hi bob");
        assertThat(view.out).containsExactly(
                "notice asked bob for a private chat; waiting for an answer",
                "notice bob accepted your chat request — what you type now goes to bob",
                "sent @bob <alice> hi bob m1",
                "receipt m1 ✓ delivered to bob");
        assertThat(view.prompt).isEqualTo("alice @bob");
    }

    @Test
    void acceptingARequestOpensTheChat() {
        loggedInAsAlice();
        session.onEvent(new PeerEvent.ChatRequested("bob"));

        type("/accept bob");

        assertThat(view.out).containsExactly(
                "notice bob asks for a private chat — /accept bob or /reject bob (expires in 5 min)",
                "notice chat with bob is open — what you type now goes to bob");
        assertThat(session.current()).contains(new Conversation.Direct("bob"));
    }

    @Test
    void acceptingARequestWhileInARoomKeepsTheRoomCurrent() {
        loggedInAsAlice();
        type("/join lobby");
        peer.requests.add("bob");
        peer.open.add("bob");
        view.out.clear();

        type("/accept bob");
        type("still for the room");

        assertThat(session.current()).contains(new Conversation.Room("lobby"));
        assertThat(view.out.getFirst()).isEqualTo("notice chat with bob is open — /switch bob to talk to bob (you are still in #lobby)");
        assertThat(peer.calls).contains("room still for the room").doesNotContain("direct bob still for the room");
        assertThat(view.prompt).isEqualTo("alice #lobby");
    }

    @Test
    void theOtherSideAcceptingWhileInARoomKeepsTheRoomCurrent() {
        loggedInAsAlice();
        type("/join lobby");
        type("/chat bob");
        peer.open.add("bob");

        session.onEvent(new PeerEvent.ChatAccepted("bob"));

        assertThat(session.current()).contains(new Conversation.Room("lobby"));
        assertThat(view.last()).isEqualTo("notice bob accepted your chat request — /switch bob to talk to bob (you are still in #lobby)");
    }

    @Test
    void failedCommandsAreCountedForTheExitCode() {
        type("/login alice pw");
        assertThat(session.failedCommands()).isZero();

        type("/frobnicate");
        peer.failNext = new PeerException("Wrong username or password.");
        type("/login alice bad");
        type("/create x --capacity 1");

        assertThat(session.failedCommands()).isEqualTo(3);
    }

    @Test
    void aSenderClockFarFromTheReceiveTimeIsNotShown() {
        loggedInAsAlice();
        Instant midnight = Instant.EPOCH.minus(Duration.ofHours(5));

        session.onEvent(new PeerEvent.DirectMessageReceived("x1", "bob", midnight, "back-dated"));
        session.onEvent(new PeerEvent.DirectMessageReceived("x2", "bob", Instant.EPOCH.minusSeconds(30), "a little late"));
        session.onEvent(new PeerEvent.DirectMessageReceived("x3", "bob", Instant.EPOCH.plus(Duration.ofDays(1)), "from the future"));

        assertThat(view.messageTimes).containsExactly(Instant.EPOCH, Instant.EPOCH.minusSeconds(30), Instant.EPOCH);
    }

    @Test
    void closeClosesTheCurrentChatAndFallsBackToTheRoom() {
        loggedInAsAlice();
        type("/join lobby");
        peer.requests.add("bob");
        type("/accept bob");
        type("/switch bob");
        view.out.clear();

        type("/close");
        session.onEvent(new PeerEvent.ChatClosed("bob", "you closed the chat"));

        assertThat(peer.calls).contains("close bob");
        assertThat(view.out).containsExactly("notice closed the chat with bob — /chat bob to open a new one");
        assertThat(session.current()).contains(new Conversation.Room("lobby"));
        assertThat(view.prompt).isEqualTo("alice #lobby");
    }

    @Test
    void closeByNameMatchesTheOpenChatWhateverTheCase() {
        loggedInAsAlice();
        peer.open.add("Bob");

        type("/close bob");

        assertThat(peer.calls).containsExactly("close Bob");
    }

    @Test
    void aChatClosedByTheOtherSideKeepsItsReason() {
        loggedInAsAlice();
        peer.open.add("bob");
        type("/close bob");
        view.out.clear();

        session.onEvent(new PeerEvent.ChatClosed("bob", "you closed the chat"));
        session.onEvent(new PeerEvent.ChatClosed("carol", "carol closed the chat"));

        assertThat(view.out).containsExactly("notice closed the chat with bob — /chat bob to open a new one",
                "notice chat with carol closed: carol closed the chat");
    }

    @Test
    void closeNeedsAnOpenChat() {
        loggedInAsAlice();

        type("/close");
        type("/close bob");

        assertThat(peer.calls).isEmpty();
        assertThat(view.out).containsExactly("error which chat? /close NAME — /chats lists the open ones",
                "error no open chat with bob — /chats lists the open ones");
    }

    @Test
    void chatsListsOpenChatsAndUnansweredRequestsBothWays() {
        loggedInAsAlice();
        peer.open.add("carol");
        peer.requests.add("dave");
        type("/chat bob");
        type("/switch carol");
        view.out.clear();

        type("/chats");

        assertThat(view.out).containsExactly("block private chats: carol (current)"
                + " | waiting for your answer: dave — /accept dave or /reject dave"
                + " | waiting for their answer: bob");
    }

    @Test
    void chatsWithoutAnySaysHowToStartOne() {
        loggedInAsAlice();

        type("/chats");

        assertThat(view.out).containsExactly("notice no private chats — /chat NAME to ask someone for one");
    }

    @Test
    void failedDirectDeliveryNamesTheReason() {
        loggedInAsAlice();
        peer.open.add("bob");

        type("/msg bob are you there");
        session.onEvent(new PeerEvent.DeliveryFailed("m1", "bob", "bob is offline"));

        assertThat(view.last()).isEqualTo("receipt m1 ✗ not delivered to bob: bob is offline");
        assertThat(session.current()).isEmpty();
    }

    @Test
    void msgWithoutAnOpenChatIsRefusedBeforeSending() {
        loggedInAsAlice();

        type("/msg bob hi");

        assertThat(peer.calls).isEmpty();
        assertThat(view.last()).isEqualTo("error no open chat with bob — /chat bob first");
    }

    @Test
    void closedChatFallsBackToTheRoom() {
        loggedInAsAlice();
        type("/join lobby");
        session.onEvent(new PeerEvent.ChatRequested("bob"));
        type("/accept bob");

        session.onEvent(new PeerEvent.ChatClosed("bob", "bob logged out"));

        assertThat(session.current()).contains(new Conversation.Room("lobby"));
        assertThat(view.last()).isEqualTo("notice chat with bob closed: bob logged out");
    }

    @Test
    void switchNeedsAnOpenChatOrTheCurrentRoom() {
        loggedInAsAlice();

        type("/switch bob");
        type("/switch #lobby");

        assertThat(view.out).containsExactly(
                "error no open chat with bob — /chat bob first",
                "error you are not in room lobby — /join lobby first");
    }

    @Test
    void roomsAreShownAsATable() {
        loggedInAsAlice();
        peer.rooms = List.of(new RoomSummary("lobby", "the first", 2, 50, false),
                new RoomSummary("secret-club", null, 1, 5, true));

        type("/rooms detailed");

        assertThat(view.last()).isEqualTo("block ROOM         MEMBERS  LOCKED  DESCRIPTION"
                + " | lobby        2/50     no      the first"
                + " | secret-club  1/5      yes");
    }

    @Test
    void createPassesTheDefaultCapacity() {
        loggedInAsAlice();

        type("/create lobby --password pw --description a room for all");

        assertThat(peer.calls).containsExactly("create lobby pw 50 a room for all");
        assertThat(view.last()).startsWith("notice created room lobby");
    }

    @Test
    void membersComingAndGoingAreNoticed() {
        loggedInAsAlice();

        session.onEvent(new PeerEvent.MemberJoined("lobby", "bob"));
        session.onEvent(new PeerEvent.MemberJoined("lobby", "alice"));
        session.onEvent(new PeerEvent.MemberLeft("lobby", "bob", "left"));
        session.onEvent(new PeerEvent.MemberLeft("lobby", "carol", "timeout"));

        assertThat(view.out).containsExactly("notice bob joined lobby", "notice bob left lobby",
                "notice carol timed out (left lobby)");
    }

    @Test
    void reconnectsAreShownOnlyWhenLoggedIn() {
        session.onEvent(new PeerEvent.ConnectionChanged(ConnectionState.RECONNECTING, "idle"));
        loggedInAsAlice();
        session.onEvent(new PeerEvent.ConnectionChanged(ConnectionState.RECONNECTING, "registry closed"));
        session.onEvent(new PeerEvent.ConnectionChanged(ConnectionState.RECONNECTED, null));

        assertThat(view.out).containsExactly("error lost the registry: registry closed — reconnecting…",
                "notice reconnected to the registry");
    }

    @Test
    void incomingMessagesAreShownInTheirConversation() {
        loggedInAsAlice();

        session.onEvent(new PeerEvent.DirectMessageReceived("x1", "bob", Instant.EPOCH, "psst"));
        session.onEvent(new PeerEvent.RoomMessageReceived("x2", "lobby", "carol", Instant.EPOCH, "hi all"));

        assertThat(view.out).containsExactly("message @bob <bob> psst", "message #lobby <carol> hi all");
    }

    @Test
    void messageThatWaitedInTheMailboxIsMarkedAsReceivedWhileAway() {
        loggedInAsAlice();

        session.onEvent(new PeerEvent.DirectMessageReceived("x1", "bob", Instant.EPOCH, "psst", true));

        assertThat(view.out).containsExactly("message @bob <bob> (while you were away) psst");
    }

    @Test
    void awaitReceiptsReturnsOnceTheLastReceiptArrives() throws Exception {
        loggedInAsAlice();
        peer.open.add("bob");
        type("/msg bob one");
        assertThat(session.awaitReceipts(Duration.ofMillis(10))).isFalse();

        Thread.ofVirtual().start(() -> session.onEvent(new PeerEvent.Delivered("m1", "bob")));

        assertThat(session.awaitReceipts(Duration.ofSeconds(10))).isTrue();
    }

    @Test
    void endLogsOutAndSilencesLaterEvents() {
        loggedInAsAlice();

        session.end();
        session.onEvent(new PeerEvent.ConnectionChanged(ConnectionState.OFFLINE, "closed"));

        assertThat(peer.calls).containsExactly("logout");
        assertThat(view.out).containsExactly("notice logged out");
    }

    @Test
    void aLoginEndedByTheRegistryClearsThePrompt() {
        loggedInAsAlice();
        type("/join lobby");

        peer.user = null;
        session.onEvent(new PeerEvent.Notice("The registry logged you out: your session expired."));

        assertThat(view.out).endsWith("notice The registry logged you out: your session expired.");
        assertThat(view.prompt).isEqualTo("null");
        assertThat(session.current()).isEmpty();
    }

    @Test
    void usersListsEveryoneElseOnline() {
        loggedInAsAlice();
        peer.members = List.of(FakePeer.info("bob"), FakePeer.info("carol"));

        type("/users");
        peer.members = List.of();
        type("/users");

        assertThat(view.out).containsExactly("notice online besides you: bob, carol", "notice nobody else is online");
    }

    @Test
    void quitAsksTheUiToStop() {
        assertThat(type("/quit")).isEqualTo(ChatSession.Next.QUIT);
    }

    @Test
    void helpListsEveryCommand() {
        type("/help");

        assertThat(view.last()).contains("/register NAME [PASSWORD]", "/close [NAME]", "/chats", "/quit",
                "--description 'our first room'");
    }

    @Test
    void anIgnoredUsersMessagesAreDroppedAndTheirChatRequestsRefused() {
        loggedInAsAlice();
        type("/ignore Mallory");
        assertThat(view.last()).startsWith("notice ignoring Mallory");

        session.onEvent(new PeerEvent.RoomMessageReceived("x1", "lobby", "mallory", Instant.EPOCH, "spam"));
        session.onEvent(new PeerEvent.DirectMessageReceived("x2", "mallory", Instant.EPOCH, "spam"));
        session.onEvent(new PeerEvent.ChatRequested("mallory"));
        session.onEvent(new PeerEvent.RoomMessageReceived("x3", "lobby", "carol", Instant.EPOCH, "hi"));

        assertThat(view.out).noneMatch(line -> line.contains("mallory") || line.contains("spam"));
        assertThat(view.last()).isEqualTo("message #lobby <carol> hi");
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> List.copyOf(peer.calls).contains("reject mallory"));
        assertThat(session.chatRequestNames()).doesNotContain("mallory");

        type("/ignore");
        assertThat(view.last()).isEqualTo("notice ignored: Mallory");
        type("/unignore mallory");
        session.onEvent(new PeerEvent.RoomMessageReceived("x4", "lobby", "mallory", Instant.EPOCH, "back"));
        assertThat(view.last()).isEqualTo("message #lobby <mallory> back");
        type("/unignore mallory");
        assertThat(view.last()).isEqualTo("error mallory is not ignored");
    }

    @Test
    void meSendsAnActionToTheCurrentConversationAsSlashMeText() {
        loggedInAsAlice();
        type("/join lobby");

        type("/me waves");

        assertThat(peer.calls).contains("room /me waves");
    }

    @Test
    void partNamingAnotherRoomIsRefusedAndTheCurrentOneIsLeft() {
        loggedInAsAlice();
        type("/j lobby");

        type("/part #other");
        assertThat(view.last()).isEqualTo("error you are not in other (you are in lobby)");
        type("/part #lobby");
        assertThat(peer.calls).contains("leave");
    }

    @Test
    void aSecondChatRequestWhileOneIsPendingIsNotSent() {
        loggedInAsAlice();

        type("/chat bob");
        type("/chat bob");

        assertThat(peer.calls).containsExactly("request bob");
        assertThat(view.last()).isEqualTo("notice already asked bob for a private chat; still waiting for an answer");
    }

    @Test
    void askingSomeoneWhoAskedYouOpensTheChat() {
        loggedInAsAlice();
        peer.requests.add("bob");
        session.onEvent(new PeerEvent.ChatRequested("bob"));

        type("/chat Bob");

        assertThat(peer.calls).containsExactly("accept bob");
        assertThat(peer.openChats()).contains("bob");
    }

    /** A clock the test moves by hand. */
    private static final class HandClock extends Clock {
        volatile Instant now = Instant.parse("2026-01-01T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    @Test
    void unansweredChatRequestsExpireAfterFiveMinutesBothWays() {
        HandClock clock = new HandClock();
        ChatSession timed = new ChatSession(peer, view, PasswordSource.none(), clock);
        timed.handle(CommandParser.parse("/login alice pw"));
        peer.requests.add("bob");
        timed.onEvent(new PeerEvent.ChatRequested("bob"));
        timed.handle(CommandParser.parse("/chat carol"));
        view.out.clear();
        peer.calls.clear();

        clock.now = clock.now.plus(ChatSession.REQUEST_EXPIRY).plusSeconds(1);
        timed.handle(CommandParser.parse("/accept bob"));

        assertThat(view.out).startsWith("notice bob's chat request expired after 5 min unanswered — declined",
                "notice carol did not answer your chat request within 5 min — /chat carol to ask again");
        assertThat(peer.calls).startsWith("reject bob");
        assertThat(timed.chatRequestNames()).doesNotContain("bob");
        timed.handle(CommandParser.parse("/chat carol"));
        assertThat(peer.calls).contains("request carol");
    }
}
