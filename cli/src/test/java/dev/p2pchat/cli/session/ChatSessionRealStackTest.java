package dev.p2pchat.cli.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.p2pchat.cli.command.Conversation;

/**
 * The chat client against the real thing: a registry on a free port and real peers talking TLS to it and
 * to each other. What the user would see is read from each client's view.
 */
class ChatSessionRealStackTest {

    @TempDir
    Path dir;

    private LocalRegistry registry;
    private RunningClient alice;
    private RunningClient bob;

    @BeforeEach
    void start() throws Exception {
        registry = new LocalRegistry(dir.resolve("registry"));
        alice = new RunningClient(registry, dir.resolve("alice")).loggedInAs("alice");
        bob = new RunningClient(registry, dir.resolve("bob")).loggedInAs("bob");
    }

    @AfterEach
    void stop() {
        for (AutoCloseable c : new AutoCloseable[] {bob, alice, registry}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
    }

    @Test
    void aRoomMessageReachesTheOtherMemberAndItsReceiptComesBack() {
        alice.type("/create lobby --description 'our first room' --capacity 5");
        alice.type("/join lobby");
        bob.type("/join lobby");
        alice.awaitLine("notice bob joined lobby");

        alice.type("hello *bob*");

        String sent = alice.awaitLine(line -> line.startsWith("sent #lobby <alice> hello *bob* "));
        String id = sent.substring(sent.lastIndexOf(' ') + 1);
        bob.awaitLine("message #lobby <alice> hello *bob*");
        alice.awaitLine("receipt " + id + " ✓ 1/1");
        assertThat(alice.lines()).containsSubsequence(
                "notice logged in as alice",
                "notice created room lobby — /join lobby to enter it",
                "notice joined lobby — members: alice",
                "notice bob joined lobby",
                sent,
                "receipt " + id + " ✓ 1/1");
        assertThat(alice.session.current()).contains(new Conversation.Room("lobby"));
    }

    @Test
    void theRoomListShowsTheSingleQuotedDescription() {
        alice.type("/create lobby --description 'our first room'");

        alice.type("/rooms detailed");

        alice.awaitLine(line -> line.startsWith("block ROOM") && line.contains("lobby  0/50") && line.endsWith("our first room"));
    }

    @Test
    void aPrivateChatIsRequestedAcceptedAndConfirmed() {
        bob.type("/chat alice");
        alice.awaitLine("notice bob asks for a private chat — /accept bob or /reject bob (expires in 5 min)");
        alice.type("/chats");
        alice.awaitLine("block waiting for your answer: bob — /accept bob or /reject bob");

        alice.type("/accept bob");
        bob.awaitLine("notice alice accepted your chat request — what you type now goes to alice");
        bob.type("hi alice");

        String sent = bob.awaitLine(line -> line.startsWith("sent @alice <bob> hi alice "));
        String id = sent.substring(sent.lastIndexOf(' ') + 1);
        alice.awaitLine("message @bob <bob> hi alice");
        bob.awaitLine("receipt " + id + " ✓ delivered to alice");
    }

    @Test
    void verifyShowsBothSidesTheSameSafetyNumberAndContactsListsThePin() {
        bob.type("/chat alice");
        alice.awaitLine(line -> line.startsWith("notice bob asks"));
        alice.type("/accept bob");
        bob.awaitLine(line -> line.startsWith("notice alice accepted"));

        alice.type("/verify bob");
        bob.type("/verify alice");

        String aliceSees = alice.awaitLine(line -> line.startsWith("block safety number with bob:"));
        String bobSees = bob.awaitLine(line -> line.startsWith("block safety number with alice:"));
        String number = "\\d{5}( \\d{5}){5}";
        assertThat(aliceSees).containsPattern(" \\| +" + number + " \\| +" + number + " \\| ");
        assertThat(aliceSees.substring(aliceSees.indexOf('|'), aliceSees.lastIndexOf('|')))
                .isEqualTo(bobSees.substring(bobSees.indexOf('|'), bobSees.lastIndexOf('|')));
        alice.type("/verify bob confirm");
        alice.awaitLine("block bob's key is marked verified");
        alice.type("/contacts");
        alice.awaitLine(line -> line.startsWith("block contacts (key pinned on first contact): |   bob  verified  "));
    }

    @Test
    void findSearchesTheHistoryAndForgetDeletesAConversation() {
        bob.type("/chat alice");
        alice.awaitLine(line -> line.startsWith("notice bob asks"));
        alice.type("/accept bob");
        bob.awaitLine(line -> line.startsWith("notice alice accepted"));
        bob.type("Grüße aus München");
        alice.awaitLine("message @bob <bob> Grüße aus München");

        alice.type("/find münchen");
        alice.awaitLine(line -> line.startsWith("block 1 found, newest first: | ")
                && line.endsWith(" @bob bob: Grüße aus München"));
        alice.type("/forget bob");
        alice.awaitLine("block forgot 1 message of @bob");
        alice.type("/find münchen");
        alice.awaitLine("block nothing in the history matches münchen");
    }

    @Test
    void closingAChatTellsThePartnerAtOnceSoTheirNextLineIsNotSentIntoIt() {
        bob.type("/chat alice");
        alice.awaitLine(line -> line.startsWith("notice bob asks"));
        alice.type("/accept bob");
        bob.awaitLine(line -> line.startsWith("notice alice accepted"));

        alice.type("/close");
        alice.awaitLine("notice closed the chat with bob — /chat bob to open a new one");
        bob.awaitLine("notice chat with alice closed: alice closed the chat");
        bob.type("still there?");

        bob.awaitLine(line -> line.startsWith("error no conversation to send to"));
        assertThat(alice.lines()).noneMatch(line -> line.contains("still there?"));
        assertThat(alice.session.current()).isEmpty();
    }

    @Test
    void aRegistryRestartShowsReconnectingThenReconnected() {
        registry.restart();

        alice.awaitLine(line -> line.startsWith("error lost the registry") && line.endsWith("reconnecting…"));
        alice.awaitLine("notice reconnected to the registry");
        alice.type("/users");
        alice.awaitLine("notice online besides you: bob");
    }
}
