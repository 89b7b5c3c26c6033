package dev.p2pchat.cli.ui;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.p2pchat.cli.session.ChatSession;

/**
 * What Tab completion and the end-of-line rule may know, frozen: the UI thread publishes a fresh one after
 * every batch it shows, and JLine's thread reads it without taking any lock of ours (JLine holds its own
 * while completing, so waiting for the session's lock there could deadlock).
 */
record CompletionSnapshot(List<String> users, List<String> rooms, List<String> openChats, List<String> chatRequests,
                          Optional<String> currentRoom, boolean inConversation, List<String> ignored,
                          List<String> joinedRooms) {

    static final CompletionSnapshot EMPTY = new CompletionSnapshot(List.of(), List.of(), List.of(), List.of(),
            Optional.empty(), false, List.of(), List.of());

    CompletionSnapshot {
        users = List.copyOf(users);
        rooms = List.copyOf(rooms);
        openChats = List.copyOf(openChats);
        chatRequests = List.copyOf(chatRequests);
        ignored = List.copyOf(ignored);
        joinedRooms = List.copyOf(joinedRooms);
    }

    /** Reads the session; call it on the UI thread, never with JLine's lock held. */
    static CompletionSnapshot of(ChatSession session) {
        return new CompletionSnapshot(list(session.userNames()), list(session.roomNames()),
                list(session.openChatNames()), list(session.chatRequestNames()), session.currentRoom(),
                session.current().isPresent(), list(session.ignoredNames()), session.joinedRooms());
    }

    private static List<String> list(Set<String> names) {
        return List.copyOf(names);
    }
}
