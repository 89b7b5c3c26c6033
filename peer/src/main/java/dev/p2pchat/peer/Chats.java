package dev.p2pchat.peer;

import dev.p2pchat.protocol.PeerReply;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Who this user has one-to-one chats with: open chats, requests it sent that await an answer, and requests
 * it received that await the user's decision (each holding the reply future of the link it came on).
 */
final class Chats {
    private final Set<String> open = new HashSet<>();
    private final Set<String> asked = new HashSet<>();
    private final Map<String, List<CompletableFuture<PeerReply>>> incoming = new HashMap<>();

    synchronized boolean isOpen(String user) {
        return open.contains(user);
    }

    synchronized Set<String> openChats() {
        return Set.copyOf(new TreeSet<>(open));
    }

    /** This user sent {@code user} a chat request. */
    synchronized void asked(String user) {
        asked.add(user);
    }

    /** {@code user} accepted, explicitly or by writing first; true when this opened the chat just now. */
    synchronized boolean acceptedBy(String user) {
        asked.remove(user);
        return open.add(user);
    }

    /** Opens the chat only if this user asked {@code user} for it. True when that opened it just now. */
    synchronized boolean acceptImplicitly(String user) {
        return asked.contains(user) && acceptedBy(user);
    }

    synchronized boolean hasAsked(String user) {
        return asked.contains(user);
    }

    synchronized void answered(String user) {
        asked.remove(user);
    }

    /** What {@link #requestedBy} decided about an incoming request. */
    enum Intake { PENDING, ALREADY_PENDING, TOO_MANY }

    /**
     * Records {@code user}'s request, holding its reply future until the user answers or it expires. At most one
     * request per asker and {@code maxPending} in all are held: those beyond are not taken (the caller refuses them).
     */
    synchronized Intake requestedBy(String user, CompletableFuture<PeerReply> reply, int maxPending) {
        if (incoming.containsKey(user)) {
            return Intake.ALREADY_PENDING;
        }
        if (incoming.size() >= maxPending) {
            return Intake.TOO_MANY;
        }
        incoming.computeIfAbsent(user, u -> new ArrayList<>()).add(reply);
        reply.whenComplete((r, e) -> forgetRequest(user, reply));
        return Intake.PENDING;
    }

    /** The pending request from {@code user} if it is still this very one, now removed; null otherwise. */
    synchronized CompletableFuture<PeerReply> takeIfPending(String user, CompletableFuture<PeerReply> reply) {
        List<CompletableFuture<PeerReply>> list = incoming.get(user);
        if (list == null || !list.remove(reply)) {
            return null;
        }
        if (list.isEmpty()) {
            incoming.remove(user);
        }
        return reply;
    }

    synchronized boolean hasRequestFrom(String user) {
        return incoming.containsKey(user);
    }

    /** The pending requests from {@code user}, now removed, for the caller to answer. */
    synchronized List<CompletableFuture<PeerReply>> takeRequests(String user) {
        List<CompletableFuture<PeerReply>> taken = incoming.remove(user);
        return taken == null ? List.of() : taken;
    }

    synchronized Set<String> pendingRequesters() {
        return Set.copyOf(incoming.keySet());
    }

    synchronized void open(String user) {
        open.add(user);
    }

    /** The other side ended the chat: forget it and anything pending with {@code user}. True when it was open. */
    synchronized boolean closedBy(String user) {
        List<CompletableFuture<PeerReply>> unanswered = incoming.remove(user);
        if (unanswered != null) {
            unanswered.forEach(f -> f.cancel(false));
        }
        asked.remove(user);
        return open.remove(user);
    }

    /** True when the chat was open. */
    synchronized boolean close(String user) {
        asked.remove(user);
        return open.remove(user);
    }

    /** Forgets everything; returns the chats that were open. */
    synchronized Set<String> closeAll() {
        Set<String> wasOpen = new TreeSet<>(open);
        open.clear();
        asked.clear();
        List<CompletableFuture<PeerReply>> unanswered = incoming.values().stream().flatMap(List::stream).toList();
        incoming.clear();
        unanswered.forEach(f -> f.cancel(false));
        return wasOpen;
    }

    private synchronized void forgetRequest(String user, CompletableFuture<PeerReply> reply) {
        List<CompletableFuture<PeerReply>> list = incoming.get(user);
        if (list != null) {
            list.remove(reply);
            if (list.isEmpty()) {
                incoming.remove(user);
            }
        }
    }
}
