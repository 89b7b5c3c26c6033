package dev.p2pchat.peer;

import dev.p2pchat.protocol.PeerRequest;
import dev.p2pchat.protocol.RegistryPush;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The message requests that wait for this user's answer: opened mailbox items from people with no open chat,
 * per sender, in the order pushed. Held in memory only and never acknowledged until answered, so the registry keeps
 * them (sealed) for the next login, and a rejected request is never written anywhere here. Bounded per sender and in
 * all: beyond that an item is left unacknowledged at the registry, to come again at the next login.
 */
final class MessageRequests {
    static final int MAX_PER_SENDER = 100;
    static final int MAX_SENDERS = 100;

    /** One held item and what it said. */
    record Held(RegistryPush.MailboxItem item, PeerRequest.MessageRequest message) {
    }

    /** What {@link #hold} did. */
    enum Intake { FIRST_FROM_SENDER, MORE_FROM_SENDER, ALREADY_HELD, FULL }

    /** By lower-case sender name, then by item id. */
    private final Map<String, LinkedHashMap<String, Held>> bySender = new LinkedHashMap<>();
    private final Map<String, String> spelling = new LinkedHashMap<>();

    synchronized Intake hold(String sender, Held held) {
        String key = key(sender);
        LinkedHashMap<String, Held> items = bySender.get(key);
        if (items == null) {
            if (bySender.size() >= MAX_SENDERS) {
                return Intake.FULL;
            }
            items = new LinkedHashMap<>();
            bySender.put(key, items);
            spelling.put(key, sender);
        }
        if (items.containsKey(held.item().itemId())) {
            return Intake.ALREADY_HELD;
        }
        if (items.size() >= MAX_PER_SENDER) {
            return Intake.FULL;
        }
        items.put(held.item().itemId(), held);
        return items.size() == 1 ? Intake.FIRST_FROM_SENDER : Intake.MORE_FROM_SENDER;
    }

    synchronized int count(String sender) {
        LinkedHashMap<String, Held> items = bySender.get(key(sender));
        return items == null ? 0 : items.size();
    }

    /** Everything held from {@code sender}, oldest first, now removed. */
    synchronized List<Held> take(String sender) {
        String key = key(sender);
        spelling.remove(key);
        LinkedHashMap<String, Held> items = bySender.remove(key);
        return items == null ? List.of() : new ArrayList<>(items.values());
    }

    /** The senders with requests waiting, as they spelled their names. */
    synchronized Set<String> senders() {
        return Set.copyOf(new TreeSet<>(spelling.values()));
    }

    synchronized void clear() {
        bySender.clear();
        spelling.clear();
    }

    private static String key(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
