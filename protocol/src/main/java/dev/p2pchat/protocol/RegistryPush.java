package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.CANDIDATES;
import static dev.p2pchat.protocol.HeaderNames.DELAY;
import static dev.p2pchat.protocol.HeaderNames.DIALABLE;
import static dev.p2pchat.protocol.HeaderNames.REACHABLE;
import static dev.p2pchat.protocol.HeaderNames.TESTED;
import static dev.p2pchat.protocol.HeaderNames.OBSERVED;
import static dev.p2pchat.protocol.HeaderNames.FINGERPRINT;
import static dev.p2pchat.protocol.HeaderNames.ITEM_ID;
import static dev.p2pchat.protocol.HeaderNames.RECIPIENT_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.SENDER_USERNAME;
import static dev.p2pchat.protocol.HeaderNames.STORED_AT;
import static dev.p2pchat.protocol.HeaderNames.IP;
import static dev.p2pchat.protocol.HeaderNames.PORT;
import static dev.p2pchat.protocol.HeaderNames.REASON;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.USERNAME;

import java.time.Duration;
import java.util.List;

/**
 * What the registry sends without being asked. Pushes carry no {@code id}, so a client can always tell them
 * from the answer it is waiting for. {@link Timeout} goes by UDP, the rest over the TLS connection.
 */
public sealed interface RegistryPush extends Message {

    /** {@code USER_LOGOUT}: a member of the receiver's room logged out ({@code reason: timeout} when it went silent). */
    record UserLogout(String username, String roomName, String reason) implements RegistryPush {
        public static final String VERB = "USER_LOGOUT";

        public UserLogout {
            Check.nonEmpty("username", username);
            roomName = Check.optionalText("room_name", roomName);
            reason = Check.optionalText("reason", reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(ROOM_NAME, roomName)
                    .put(REASON, reason).build());
        }

        static UserLogout from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new UserLogout(Fields.required(f, USERNAME), Fields.optional(f, ROOM_NAME),
                    Fields.optional(f, REASON)));
        }
    }

    /** {@code ROOM_MEMBER_JOINED} (extension): someone joined the receiver's room; here is how to reach them. */
    record RoomMemberJoined(String roomName, PeerInfo member) implements RegistryPush {
        public static final String VERB = "ROOM_MEMBER_JOINED";

        /** The member is in {@code roomName} by definition: a member without a room is put there. */
        public RoomMemberJoined {
            Check.nonEmpty("room_name", roomName);
            java.util.Objects.requireNonNull(member, "member");
            if (member.room() == null) {
                member = member.inRoom(roomName);
            } else if (!member.room().equals(roomName)) {
                throw new IllegalArgumentException("member is in room " + member.room() + ", not " + roomName);
            }
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ROOM_NAME, roomName).put(USERNAME, member.username())
                    .put(IP, member.ip()).put(PORT, member.port()).put(FINGERPRINT, member.fingerprint())
                    .put(CANDIDATES, Candidate.formatList(member.candidates()))
                    .put(DIALABLE, member.dialable().word()).build());
        }

        static RoomMemberJoined from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> {
                String room = Fields.required(f, ROOM_NAME);
                return new RoomMemberJoined(room, new PeerInfo(Fields.required(f, USERNAME), room,
                        Fields.required(f, IP), Fields.integer(f, PORT), Fields.required(f, FINGERPRINT),
                        Fields.candidates(f), Fields.dialable(f)));
            });
        }
    }

    /** {@code ROOM_MEMBER_LEFT} (extension): someone left the receiver's room but is still online. */
    record RoomMemberLeft(String roomName, String username) implements RegistryPush {
        public static final String VERB = "ROOM_MEMBER_LEFT";

        public RoomMemberLeft {
            Check.nonEmpty("room_name", roomName);
            Check.nonEmpty("username", username);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ROOM_NAME, roomName).put(USERNAME, username).build());
        }

        static RoomMemberLeft from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RoomMemberLeft(Fields.required(f, ROOM_NAME), Fields.required(f, USERNAME)));
        }
    }

    /** {@code TIMEOUT} (UDP): the receiver's session expired for lack of keep-alives; it must log in again. */
    record Timeout(String username) implements RegistryPush {
        public static final String VERB = "TIMEOUT";

        public Timeout {
            Check.nonEmpty("username", username);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).build());
        }

        static Timeout from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Timeout(Fields.required(f, USERNAME)));
        }
    }

    /** {@code SHUTDOWN} (extension): the registry is stopping; reconnect with RESUME when it is back. */
    record Shutdown(String reason) implements RegistryPush {
        public static final String VERB = "SHUTDOWN";

        public Shutdown {
            reason = Check.optionalText("reason", reason);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(REASON, reason).build());
        }

        static Shutdown from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Shutdown(Fields.optional(f, REASON)));
        }
    }

    /**
     * {@code MAILBOX_ITEM} (extension): one waiting item of the receiver's mailbox, pushed after the
     * {@code AUTH SUCCESS} of a LOGIN or RESUME (and at once to an online recipient). It stays until the receiver
     * sends MAILBOX_ACK for it; an item may come more than once, so receivers drop duplicates by id.
     */
    record MailboxItem(String itemId, String senderUsername, java.time.Instant storedAt, String sealed)
            implements RegistryPush {
        public static final String VERB = "MAILBOX_ITEM";

        public MailboxItem {
            Check.id("item_id", itemId);
            Check.nonEmpty("sender_username", senderUsername);
            storedAt = Check.instant("stored_at", storedAt);
            Check.base64Bytes("sealed item", sealed);
        }

        public byte[] sealedBytes() {
            return java.util.Base64.getDecoder().decode(sealed);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(ITEM_ID, itemId).put(SENDER_USERNAME, senderUsername)
                    .put(STORED_AT, Fields.epochMillis(storedAt)).build()).withPayload(sealed + "\n");
        }

        static MailboxItem from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new MailboxItem(Fields.required(f, ITEM_ID),
                    Fields.required(f, SENDER_USERNAME), Fields.instant(f, STORED_AT), Fields.line(f.payload())));
        }
    }

    /**
     * {@code MAILBOX_EXPIRED} (extension): an item the receiver left in {@code recipientUsername}'s mailbox waited
     * its whole time to live unread and was deleted. Pushed when it happens, or after the sender's next
     * {@code AUTH SUCCESS}; sent once.
     */
    record MailboxExpired(String recipientUsername, String itemId) implements RegistryPush {
        public static final String VERB = "MAILBOX_EXPIRED";

        public MailboxExpired {
            Check.nonEmpty("recipient_username", recipientUsername);
            Check.id("item_id", itemId);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(RECIPIENT_USERNAME, recipientUsername)
                    .put(ITEM_ID, itemId).build());
        }

        static MailboxExpired from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new MailboxExpired(Fields.required(f, RECIPIENT_USERNAME),
                    Fields.required(f, ITEM_ID)));
        }
    }

    /**
     * {@code DIAL_BACK} (extension): {@code asker} could not reach the receiver and asks to be dialled: the
     * receiver opens a link to the asker's addresses (with the asker's fingerprint pinned, as for any link) and
     * sends {@code LINK_HELLO} on it; both then use that link both ways. No room is named.
     */
    record DialBack(PeerInfo asker) implements RegistryPush {
        public static final String VERB = "DIAL_BACK";

        public DialBack {
            java.util.Objects.requireNonNull(asker, "asker");
            asker = asker.inRoom(null);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, asker.username()).put(IP, asker.ip())
                    .put(PORT, asker.port()).put(FINGERPRINT, asker.fingerprint())
                    .put(CANDIDATES, Candidate.formatList(asker.candidates()))
                    .put(DIALABLE, asker.dialable().word()).build());
        }

        static DialBack from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new DialBack(new PeerInfo(Fields.required(f, USERNAME), null,
                    Fields.required(f, IP), Fields.integer(f, PORT), Fields.required(f, FINGERPRINT),
                    Fields.candidates(f), Fields.dialable(f))));
        }
    }

    /**
     * {@code RELAY_OFFER} (extension, PROTOCOL.md section 15): {@code username} reached the receiver neither
     * directly nor by a dial-back and meets it at a relay: the receiver connects out to the relay, presents the
     * ticket's token, and then serves {@code username}'s mutual TLS through the pipe as on an inbound link
     * (the asker is the inner TLS client and must present the certificate {@code fingerprint} names).
     */
    record RelayOffer(String username, String fingerprint, RelayTicket ticket) implements RegistryPush {
        public static final String VERB = "RELAY_OFFER";

        public RelayOffer {
            Check.nonEmpty("username", username);
            fingerprint = Check.sha256Hex("fingerprint", fingerprint);
            java.util.Objects.requireNonNull(ticket, "ticket");
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, ticket.putInto(Headers.builder().put(USERNAME, username)
                    .put(FINGERPRINT, fingerprint)).build());
        }

        static RelayOffer from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new RelayOffer(Fields.required(f, USERNAME), Fields.required(f, FINGERPRINT),
                    RelayTicket.from(f)));
        }
    }

    /**
     * {@code PUNCH_NOW} (extension, PROTOCOL.md section 11.10): {@code username} reached the receiver neither
     * directly nor by a dial-back and asked the registry to coordinate a hole punch: {@code delay} after this push
     * the receiver connects from its listening port to {@code observed} (where {@code username}'s NAT maps its
     * listening port) while {@code username} connects to the receiver, so that both SYNs open each NAT for the
     * other (TCP simultaneous open). The receiver is the link's TLS server; the asker must present the certificate
     * {@code fingerprint} names and is admitted as on any inbound link.
     */
    record PunchNow(String username, String fingerprint, Candidate observed, Duration delay) implements RegistryPush {
        public static final String VERB = "PUNCH_NOW";

        public PunchNow {
            Check.nonEmpty("username", username);
            fingerprint = Check.sha256Hex("fingerprint", fingerprint);
            java.util.Objects.requireNonNull(observed, "observed");
            java.util.Objects.requireNonNull(delay, "delay");
            delay = Check.optionalMillis("delay", delay);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(USERNAME, username).put(FINGERPRINT, fingerprint)
                    .put(OBSERVED, observed.text()).put(DELAY, Fields.millis(delay)).build());
        }

        static PunchNow from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new PunchNow(Fields.required(f, USERNAME), Fields.required(f, FINGERPRINT),
                    Fields.optionalCandidate(f, OBSERVED), Fields.optionalMillis(f, DELAY)));
        }
    }

    /**
     * {@code REACHABILITY} (extension, PROTOCOL.md section 11.11): the registry's reachability self-test after the
     * receiver's {@code AUTH SUCCESS}. It opened a plain TCP connection (no TLS, closed at once) to each address in
     * {@code tested}; {@code reachable} are those that took it (empty: nobody on the Internet can dial the receiver
     * directly; it is reached by a dial-back, a hole punch or a relay). {@code dialable} is the verdict the registry
     * now lists the receiver with: {@link Dialable#UNKNOWN} when nothing answered but the receiver announced a public
     * address the registry does not dial (it dials only the address the receiver connected from).
     */
    record Reachability(List<Candidate> tested, List<Candidate> reachable, Dialable dialable)
            implements RegistryPush {
        public static final String VERB = "REACHABILITY";

        public Reachability {
            tested = Candidate.checkList(tested);
            reachable = Candidate.checkList(reachable);
            java.util.Objects.requireNonNull(dialable, "dialable");
            if (tested.isEmpty()) {
                throw new IllegalArgumentException("REACHABILITY names at least one tested address");
            }
            for (Candidate c : reachable) {
                if (tested.stream().noneMatch(c::sameEndpoint)) {
                    throw new IllegalArgumentException("reachable address " + c.text() + " was not tested");
                }
            }
            if ((dialable == Dialable.YES) != !reachable.isEmpty()) {
                throw new IllegalArgumentException("dialable: yes when, and only when, an address was reachable");
            }
        }

        /** The verdict of a test of every address that could be reachable: yes when one answered, else no. */
        public static Reachability of(List<Candidate> tested, List<Candidate> reachable) {
            return new Reachability(tested, reachable, reachable.isEmpty() ? Dialable.NO : Dialable.YES);
        }

        @Override
        public Frame toFrame() {
            return Frame.request(VERB, Headers.builder().put(TESTED, Candidate.formatList(tested))
                    .put(REACHABLE, Candidate.formatList(reachable)).put(DIALABLE, dialable.word()).build());
        }

        static Reachability from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> new Reachability(Candidate.parseList(Fields.required(f, TESTED)),
                    Candidate.parseList(f.header(REACHABLE)), Fields.dialable(f)));
        }
    }
}
