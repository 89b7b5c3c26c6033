package dev.p2pchat.cli.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.p2pchat.peer.ConnectionState;
import dev.p2pchat.peer.contacts.Contact;
import dev.p2pchat.peer.contacts.Verification;
import dev.p2pchat.peer.history.HistoryLine;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RoomSummary;

/**
 * The part of {@link dev.p2pchat.peer.Peer} the chat UI drives. {@link ChatSession} depends on this
 * small interface, not on the peer itself, so its logic is tested without a network; {@link PeerAdapter}
 * is the one real implementation. Every method may block on the network; failures are
 * {@link PeerException}s whose message is one sentence for the user.
 */
public interface ChatPeer {

    void register(String username, char[] password) throws PeerException;

    void login(String username, char[] password) throws PeerException;

    void logout() throws PeerException;

    List<RoomSummary> rooms(boolean detailed) throws PeerException;

    /** @param password null for an open room; @param capacity 0 for the registry's default; @param description nullable */
    void createRoom(String name, char[] password, int capacity, String description) throws PeerException;

    /** @param password null for an open room */
    void joinRoom(String name, char[] password) throws PeerException;

    void leaveRoom() throws PeerException;

    /** Leaves {@code room} (one of {@link #joinedRooms()}) and stays in the others. */
    default void leaveRoom(String room) throws PeerException {
        leaveRoom();
    }

    /** The first room joined of those the user is in. */
    Optional<String> currentRoom();

    /** Every room the user is in, in the order joined (several at once). */
    default List<String> joinedRooms() {
        return currentRoom().map(List::of).orElse(List.of());
    }

    List<PeerInfo> roomMembers() throws PeerException;

    /** Everyone in {@code room}, this user included. */
    default List<PeerInfo> roomMembers(String room) throws PeerException {
        return roomMembers();
    }

    List<PeerInfo> onlineUsers() throws PeerException;

    PeerInfo search(String username) throws PeerException;

    void requestChat(String username) throws PeerException;

    void acceptChat(String username) throws PeerException;

    void rejectChat(String username) throws PeerException;

    /** Closes the open chat with {@code username} here; a {@code ChatClosed} event follows. */
    void closeChat(String username) throws PeerException;

    Set<String> openChats();

    /** How the open link to {@code username} was opened, in one line; empty when no link is open. */
    default Optional<String> linkPath(String username) {
        return Optional.empty();
    }

    /** Users whose chat requests wait for this user's /accept or /reject. */
    Set<String> pendingChatRequests();

    /** @return the message id that later {@code Delivered}/{@code DeliveryFailed} events name */
    String sendDirect(String username, String text) throws PeerException;

    /**
     * To {@code username}, with no open chat and offline, as a message request kept in their mailbox until they
     * accept or reject it; empty, nothing sent, when they are online (a chat request asks them then).
     * @return the message id that later {@code StoredForLater}/{@code Delivered} events name
     */
    default Optional<String> sendMessageRequest(String username, String text) throws PeerException {
        return Optional.empty();
    }

    /** @return the message id that the later {@code RoomDeliveryReport} names */
    String sendToRoom(String text) throws PeerException;

    /** To {@code room}, one of {@link #joinedRooms()}; @return the id the later {@code RoomDeliveryReport} names */
    default String sendToRoom(String room, String text) throws PeerException {
        return sendToRoom(text);
    }

    /** The logged-in user, or null. */
    String username();

    ConnectionState state();

    /** The logged-in user's pinned contacts (peers without contacts, e.g. in tests, have none to offer). */
    default List<Contact> contacts() throws PeerException {
        throw new PeerException("contacts are not available here");
    }

    /** The safety number with {@code username}, of its new key if it changed. */
    default Verification safetyNumber(String username) throws PeerException {
        throw new PeerException("contacts are not available here");
    }

    /** Marks {@code username}'s pinned key verified (the safety numbers matched). */
    default Contact markVerified(String username) throws PeerException {
        throw new PeerException("contacts are not available here");
    }

    /** Accepts {@code username}'s new key; the messages waiting for it go. */
    default Contact trust(String username) throws PeerException {
        throw new PeerException("contacts are not available here");
    }

    /** The last {@code n} messages of {@code conversation} ({@code @user} or {@code #room}), oldest first. */
    default List<HistoryLine> history(String conversation, int n) throws PeerException {
        throw new PeerException("the chat history is not available here");
    }

    /** Messages of every conversation with these words, newest first. */
    default List<HistoryLine> searchHistory(String words, int limit) throws PeerException {
        throw new PeerException("the chat history is not available here");
    }

    /** Deletes a conversation's history; how many messages. */
    default int forgetHistory(String conversation) throws PeerException {
        throw new PeerException("the chat history is not available here");
    }

    /** Offers {@code file} to {@code username} in their open chat. */
    default void sendFile(String username, java.nio.file.Path file) throws PeerException {
        throw new PeerException("files are not available here");
    }

    /** Takes (or resumes) {@code username}'s file offer into {@code dir}; null: the download dir. */
    default void getFile(String username, java.nio.file.Path dir) throws PeerException {
        throw new PeerException("files are not available here");
    }

    default void declineFile(String username) throws PeerException {
        throw new PeerException("files are not available here");
    }
}
