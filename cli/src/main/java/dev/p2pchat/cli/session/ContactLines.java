package dev.p2pchat.cli.session;

import java.util.ArrayList;
import java.util.List;

import dev.p2pchat.peer.PeerEvent;
import dev.p2pchat.peer.PeerException;
import dev.p2pchat.peer.contacts.Contact;
import dev.p2pchat.peer.contacts.Verification;

/** What /contacts, /verify and /trust show, and the warning for a changed key: lines for the chat view. */
final class ContactLines {
    private ContactLines() {
    }

    static List<String> contacts(ChatPeer peer) throws PeerException {
        List<Contact> contacts = peer.contacts();
        if (contacts.isEmpty()) {
            return List.of("no contacts pinned yet — a user's key is pinned the first time you meet them");
        }
        List<String> lines = new ArrayList<>();
        lines.add("contacts (key pinned on first contact):");
        for (Contact c : contacts) {
            lines.add("  " + c.user() + "  " + switch (c.state()) {
                case VERIFIED -> "verified";
                case UNVERIFIED -> "unverified — /verify " + c.user();
                case CHANGED -> "KEY CHANGED — messages held; /verify " + c.user() + ", then /trust " + c.user();
            } + "  " + grouped(c.fingerprint()));
        }
        return lines;
    }

    static List<String> verify(ChatPeer peer, String name, boolean confirm) throws PeerException {
        if (confirm) {
            Contact c = peer.markVerified(name);
            return List.of(c.user() + "'s key is marked verified");
        }
        Verification v = peer.safetyNumber(name);
        String number = v.safetyNumber();
        List<String> lines = new ArrayList<>();
        lines.add("safety number with " + v.contact().user() + (v.ofOfferedKey() ? " (their NEW key, not trusted yet)" : "")
                + ":");
        lines.add("  " + number.substring(0, 35));
        lines.add("  " + number.substring(36));
        lines.add("compare it with " + v.contact().user() + " in person or by a call; " + (v.ofOfferedKey()
                ? "if it matches, /trust " + v.contact().user()
                : "if it matches, /verify " + v.contact().user() + " confirm"));
        return lines;
    }

    static List<String> trust(ChatPeer peer, String name) throws PeerException {
        Contact c = peer.trust(name);
        return List.of("trusting " + c.user() + "'s new key " + grouped(c.fingerprint())
                + " (unverified: /verify " + c.user() + "); held messages go now");
    }

    static String warning(PeerEvent.KeyChanged k) {
        return "WARNING: " + k.user() + "'s key changed (" + k.where() + ")! pinned " + grouped(k.pinnedFingerprint())
                + ", now " + grouped(k.offeredFingerprint()) + " — nothing is sent to or accepted from the new key; "
                + "/verify " + k.user() + " to compare safety numbers, /trust " + k.user() + " to accept it";
    }

    /** A fingerprint in groups of eight hex digits, easier to read aloud. */
    static String grouped(String fingerprint) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < fingerprint.length(); i += 8) {
            if (i > 0) {
                out.append(' ');
            }
            out.append(fingerprint, i, Math.min(fingerprint.length(), i + 8));
        }
        return out.toString();
    }
}
