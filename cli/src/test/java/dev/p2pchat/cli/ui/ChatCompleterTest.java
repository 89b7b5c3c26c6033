package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class ChatCompleterTest {

    private int refreshes;

    private final ChatCompleter completer = new ChatCompleter(new ChatCompleter.Names() {
        @Override
        public void refresh() {
            refreshes++;
        }

        @Override
        public Collection<String> users() {
            return List.of("bob", "carol", "dave");
        }

        @Override
        public Collection<String> rooms() {
            return List.of("lobby", "quiet");
        }

        @Override
        public Collection<String> openChats() {
            return List.of("carol");
        }

        @Override
        public Collection<String> chatRequests() {
            return List.of("dave");
        }

        @Override
        public Optional<String> currentRoom() {
            return Optional.of("lobby");
        }
    });

    @Test
    void theFirstWordCompletesToCommands() {
        assertThat(completer.candidates(List.of("/c"), 0)).contains("/chat", "/close", "/chats", "/create");
        assertThat(completer.candidates(List.of("hello"), 0)).isEmpty();
    }

    @Test
    void acceptAndRejectOfferOnlyTheUsersAsking() {
        assertThat(completer.candidates(List.of("/accept", ""), 1)).containsExactly("dave");
        assertThat(completer.candidates(List.of("/reject", ""), 1)).containsExactly("dave");
    }

    @Test
    void closeOffersOnlyOpenChats() {
        assertThat(completer.candidates(List.of("/close", ""), 1)).containsExactly("carol");
    }

    @Test
    void switchOffersOpenChatsAndTheCurrentRoom() {
        assertThat(completer.candidates(List.of("/switch", ""), 1)).containsExactly("carol", "#lobby");
    }

    @Test
    void switchAndLeaveOfferEveryJoinedRoom() {
        ChatCompleter inTwo = new ChatCompleter(new ChatCompleter.Names() {
            @Override public void refresh() { }
            @Override public Collection<String> users() { return List.of(); }
            @Override public Collection<String> rooms() { return List.of("alpha", "beta", "gamma"); }
            @Override public Collection<String> openChats() { return List.of("carol"); }
            @Override public Collection<String> chatRequests() { return List.of(); }
            @Override public Optional<String> currentRoom() { return Optional.of("alpha"); }
            @Override public Collection<String> joinedRooms() { return List.of("alpha", "beta"); }
        });

        assertThat(inTwo.candidates(List.of("/switch", ""), 1)).containsExactly("carol", "#alpha", "#beta");
        assertThat(inTwo.candidates(List.of("/leave", ""), 1)).containsExactly("#alpha", "#beta");
    }

    @Test
    void chatAndJoinAskTheRegistryForFreshNames() {
        assertThat(completer.candidates(List.of("/chat", ""), 1)).containsExactly("bob", "carol", "dave");
        assertThat(completer.candidates(List.of("/join", ""), 1)).containsExactly("lobby", "quiet");
        assertThat(refreshes).isEqualTo(2);
    }

    @Test
    void onlyTheFirstArgumentIsCompleted() {
        assertThat(completer.candidates(List.of("/msg", "bob", ""), 2)).isEmpty();
    }
}
