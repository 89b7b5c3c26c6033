package dev.p2pchat.cli.session;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

import dev.p2pchat.peer.ConnectionState;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RoomSummary;

/** A {@link ChatPeer} that records calls, keeps just enough state, and fails on demand. */
class FakePeer implements ChatPeer {

    final List<String> calls = new ArrayList<>();
    String user;
    /** The rooms joined, in order (several at once). */
    final List<String> joined = new ArrayList<>();
    /** "ROOM:TEXT" for each room message sent. */
    final List<String> roomSends = new ArrayList<>();
    final Set<String> open = new TreeSet<>();
    final Set<String> requests = new TreeSet<>();
    List<RoomSummary> rooms = List.of();
    List<PeerInfo> members = List.of();
    PeerException failNext;
    int nextId = 1;
    /** Runs inside a send, before it returns: lets a test deliver the receipt "too early". */
    Consumer<String> duringSend = id -> { };

    private void call(String call) throws PeerException {
        calls.add(call);
        if (failNext != null) {
            PeerException failure = failNext;
            failNext = null;
            throw failure;
        }
    }

    static PeerInfo info(String name) {
        return new PeerInfo(name, null, "127.0.0.1", 4000, "ab".repeat(32));
    }

    @Override
    public void register(String username, char[] password) throws PeerException {
        call("register " + username + " " + new String(password));
    }

    @Override
    public void login(String username, char[] password) throws PeerException {
        call("login " + username + " " + new String(password));
        user = username;
    }

    @Override
    public void logout() throws PeerException {
        call("logout");
        user = null;
        joined.clear();
        open.clear();
    }

    @Override
    public List<RoomSummary> rooms(boolean detailed) throws PeerException {
        call("rooms " + detailed);
        return rooms;
    }

    @Override
    public void createRoom(String name, char[] password, int capacity, String description) throws PeerException {
        call("create " + name + " " + (password == null ? "-" : new String(password)) + " " + capacity + " " + description);
    }

    @Override
    public void joinRoom(String name, char[] password) throws PeerException {
        call("join " + name + " " + (password == null ? "-" : new String(password)));
        joined.add(name);
    }

    @Override
    public void leaveRoom() throws PeerException {
        call("leave");
        joined.clear();
    }

    @Override
    public void leaveRoom(String name) throws PeerException {
        call("leave");
        joined.remove(name);
    }

    @Override
    public Optional<String> currentRoom() {
        return joined.stream().findFirst();
    }

    @Override
    public List<String> joinedRooms() {
        return List.copyOf(joined);
    }

    @Override
    public List<PeerInfo> roomMembers() {
        return members;
    }

    @Override
    public List<PeerInfo> onlineUsers() throws PeerException {
        call("users");
        return members;
    }

    @Override
    public PeerInfo search(String username) throws PeerException {
        call("search " + username);
        return info(username);
    }

    @Override
    public void requestChat(String username) throws PeerException {
        call("request " + username);
    }

    @Override
    public void acceptChat(String username) throws PeerException {
        call("accept " + username);
        requests.remove(username);
        open.add(username);
    }

    @Override
    public void rejectChat(String username) throws PeerException {
        call("reject " + username);
        requests.remove(username);
    }

    @Override
    public void closeChat(String username) throws PeerException {
        call("close " + username);
        open.remove(username);
    }

    @Override
    public Set<String> openChats() {
        return Set.copyOf(open);
    }

    @Override
    public Set<String> pendingChatRequests() {
        return Set.copyOf(requests);
    }

    @Override
    public String sendDirect(String username, String text) throws PeerException {
        call("direct " + username + " " + text);
        String id = "m" + nextId++;
        duringSend.accept(id);
        return id;
    }

    @Override
    public String sendToRoom(String text) throws PeerException {
        return sendToRoom(joined.isEmpty() ? "" : joined.getFirst(), text);
    }

    @Override
    public String sendToRoom(String room, String text) throws PeerException {
        call("room " + text);
        roomSends.add(room + ":" + text);
        String id = "m" + nextId++;
        duringSend.accept(id);
        return id;
    }

    @Override
    public String username() {
        return user;
    }

    @Override
    public ConnectionState state() {
        return ConnectionState.CONNECTED;
    }
}
