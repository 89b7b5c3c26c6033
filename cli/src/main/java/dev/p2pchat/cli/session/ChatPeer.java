package dev.p2pchat.cli.session;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import dev.p2pchat.peer.ConnectionState;
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

    /** Users whose chat requests wait for this user's /accept or /reject. */
    Set<String> pendingChatRequests();

    /** @return the message id that later {@code Delivered}/{@code DeliveryFailed} events name */
    String sendDirect(String username, String text) throws PeerException;

    /** @return the message id that the later {@code RoomDeliveryReport} names */
    String sendToRoom(String text) throws PeerException;

    /** To {@code room}, one of {@link #joinedRooms()}; @return the id the later {@code RoomDeliveryReport} names */
    default String sendToRoom(String room, String text) throws PeerException {
        return sendToRoom(text);
    }

    /** The logged-in user, or null. */
    String username();

    ConnectionState state();
}
