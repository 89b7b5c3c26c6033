/**
 * The peer core: everything a user's process does except the terminal UI.
 *
 * <p>Entry point: {@link dev.p2pchat.peer.Peer#start(PeerConfig, PeerListener)}. Its methods block and
 * throw {@link dev.p2pchat.peer.PeerException} with a sentence for the user; call them from virtual threads.
 * Everything unrequested (chat requests, messages, receipts, membership changes, connection changes) arrives
 * as a {@link dev.p2pchat.peer.PeerEvent} on one dispatcher thread, in order:
 *
 * <pre>{@code
 * try (Peer peer = Peer.start(config, event -> switch (event) {
 *         case PeerEvent.RoomMessageReceived m -> ui.show(m.from(), m.text()); // sanitise: untrusted text
 *         case PeerEvent.ChatRequested r -> ui.ask(r.from());
 *         default -> ui.status(event);
 *     })) {
 *     peer.login("alice", password);
 *     peer.joinRoom("lobby", null);
 *     String id = peer.sendToRoom("hello");   // Delivered / DeliveryFailed per member, then RoomDeliveryReport
 * }
 * }</pre>
 *
 * <p>Inside: {@code peer.registry} holds the TLS connection to the registry, the session that reconnects by
 * itself, and the UDP keep-alive; {@code peer.mesh} this peer's mutual-TLS server and its outgoing links;
 * {@code peer.outbox} the on-disk store of undelivered messages. This package ties them together and owns the
 * chat, room and delivery state. Dependencies point from here into those packages, never back.
 */
package dev.p2pchat.peer;
