package dev.p2pchat.protocol;

import static dev.p2pchat.protocol.HeaderNames.CANDIDATES;
import static dev.p2pchat.protocol.HeaderNames.FINGERPRINT;
import static dev.p2pchat.protocol.HeaderNames.IP;
import static dev.p2pchat.protocol.HeaderNames.PORT;
import static dev.p2pchat.protocol.HeaderNames.REASON;
import static dev.p2pchat.protocol.HeaderNames.ROOM_NAME;
import static dev.p2pchat.protocol.HeaderNames.USERNAME;

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
                    .put(CANDIDATES, Candidate.formatList(member.candidates())).build());
        }

        static RoomMemberJoined from(Frame f) throws ProtocolException {
            return Fields.build(f, () -> {
                String room = Fields.required(f, ROOM_NAME);
                return new RoomMemberJoined(room, new PeerInfo(Fields.required(f, USERNAME), room,
                        Fields.required(f, IP), Fields.integer(f, PORT), Fields.required(f, FINGERPRINT),
                        Fields.candidates(f)));
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
}
