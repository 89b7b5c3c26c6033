package dev.p2pchat.cli.session;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.p2pchat.peer.ConnectionState;
import dev.p2pchat.peer.Peer;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.peer.contacts.Contact;
import dev.p2pchat.peer.contacts.Verification;
import dev.p2pchat.peer.history.HistoryLine;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RoomSummary;

/** {@link ChatPeer} backed by a real {@link Peer}; it only delegates. */
public final class PeerAdapter implements ChatPeer {

    private final Peer peer;

    public PeerAdapter(Peer peer) {
        this.peer = Objects.requireNonNull(peer, "peer");
    }

    @Override
    public void register(String username, char[] password) throws PeerException {
        peer.register(username, password);
    }

    @Override
    public void login(String username, char[] password) throws PeerException {
        peer.login(username, password);
    }

    @Override
    public void logout() throws PeerException {
        peer.logout();
    }

    @Override
    public List<RoomSummary> rooms(boolean detailed) throws PeerException {
        return peer.rooms(detailed);
    }

    @Override
    public void createRoom(String name, char[] password, int capacity, String description) throws PeerException {
        peer.createRoom(name, password, capacity, description);
    }

    @Override
    public void joinRoom(String name, char[] password) throws PeerException {
        peer.joinRoom(name, password);
    }

    @Override
    public void leaveRoom() throws PeerException {
        peer.leaveRoom();
    }

    @Override
    public Optional<String> linkPath(String username) {
        return peer.linkRoute(username).map(route -> route.describe(username));
    }

    @Override
    public void leaveRoom(String room) throws PeerException {
        peer.leaveRoom(room);
    }

    @Override
    public List<String> joinedRooms() {
        return peer.joinedRooms();
    }

    @Override
    public List<PeerInfo> roomMembers(String room) {
        return peer.roomMembers(room);
    }

    @Override
    public String sendToRoom(String room, String text) throws PeerException {
        return peer.sendToRoom(room, text);
    }

    @Override
    public Optional<String> currentRoom() {
        return peer.currentRoom();
    }

    @Override
    public List<PeerInfo> roomMembers() throws PeerException {
        return peer.roomMembers();
    }

    @Override
    public List<PeerInfo> onlineUsers() throws PeerException {
        return peer.onlineUsers();
    }

    @Override
    public PeerInfo search(String username) throws PeerException {
        return peer.search(username);
    }

    @Override
    public void requestChat(String username) throws PeerException {
        peer.requestChat(username);
    }

    @Override
    public void acceptChat(String username) throws PeerException {
        peer.acceptChat(username);
    }

    @Override
    public void rejectChat(String username) throws PeerException {
        peer.rejectChat(username);
    }

    @Override
    public void closeChat(String username) throws PeerException {
        peer.closeChat(username);
    }

    @Override
    public Set<String> openChats() {
        return peer.openChats();
    }

    @Override
    public Set<String> pendingChatRequests() {
        return peer.pendingChatRequests();
    }

    @Override
    public String sendDirect(String username, String text) throws PeerException {
        return peer.sendDirect(username, text);
    }

    @Override
    public Optional<String> sendMessageRequest(String username, String text) throws PeerException {
        return peer.sendMessageRequest(username, text);
    }

    @Override
    public String sendToRoom(String text) throws PeerException {
        return peer.sendToRoom(text);
    }

    @Override
    public String username() {
        return peer.username();
    }

    @Override
    public ConnectionState state() {
        return peer.state();
    }

    @Override
    public List<Contact> contacts() throws PeerException {
        return peer.contacts();
    }

    @Override
    public Verification safetyNumber(String username) throws PeerException {
        return peer.safetyNumber(username);
    }

    @Override
    public Contact markVerified(String username) throws PeerException {
        return peer.markVerified(username);
    }

    @Override
    public Contact trust(String username) throws PeerException {
        return peer.trust(username);
    }

    @Override
    public List<HistoryLine> history(String conversation, int n) throws PeerException {
        return peer.history(conversation, n);
    }

    @Override
    public List<HistoryLine> searchHistory(String words, int limit) throws PeerException {
        return peer.searchHistory(words, limit);
    }

    @Override
    public int forgetHistory(String conversation) throws PeerException {
        return peer.forgetHistory(conversation);
    }

    @Override
    public void sendFile(String username, java.nio.file.Path file) throws PeerException {
        peer.sendFile(username, file);
    }

    @Override
    public void getFile(String username, java.nio.file.Path dir) throws PeerException {
        peer.getFile(username, dir);
    }

    @Override
    public void declineFile(String username) throws PeerException {
        peer.declineFile(username);
    }
}
