package dev.p2pchat.registry.cluster;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.registry.session.PresenceUpdate;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * One message between the nodes of a cluster, as it travels in a PostgreSQL {@code NOTIFY} payload: one line of
 * tab-separated fields, the first naming the kind (docs/PROTOCOL.md, "Registry cluster"). Names, addresses,
 * fingerprints and candidates hold no tab or comma, so none needs escaping. Nothing secret ever goes in one: any
 * role that may LISTEN on the database reads them.
 */
sealed interface ClusterEvent {
    /** PostgreSQL refuses a payload of 8000 bytes or more. */
    int MAX_PAYLOAD_BYTES = 7999;

    /**
     * {@code S seq node user attached ip port fingerprint candidates rooms certificate}: a user's session as it is
     * now. A node of an older version sends no {@code certificate} field: read as none.
     */
    record State(RemoteUser user) implements ClusterEvent {
        static final String KIND = "S";
    }

    /** {@code G seq node user reason}: the session of claim {@code seq} ended. */
    record Gone(long seq, String node, String username, PresenceUpdate.Reason reason) implements ClusterEvent {
        static final String KIND = "G";
    }

    /** {@code D node}: the node's lease ran out; every session it held is gone. */
    record NodeDown(String node) implements ClusterEvent {
        static final String KIND = "D";
    }

    /** {@code P user frame}: a push for {@code username}, its frame's bytes in base64, for the node holding it. */
    record Push(String username, String frameBase64) implements ClusterEvent {
        static final String KIND = "P";
    }

    /** {@code R room}: a room was created; it is in the store. */
    record RoomCreated(String roomName) implements ClusterEvent {
        static final String KIND = "R";
    }

    /** Room for the kind and the seq (at most 20 digits) that the database puts before a State's tail. */
    int STATE_HEAD_BYTES = 32;

    /**
     * The fields of a State after its seq, which the database fills in: {@code node user attached … certificate}.
     * A certificate that would take the payload past what {@code NOTIFY} carries is left out (the other nodes then
     * hand out none for the user, as for one who logged in without): a payload that is refused would stop this
     * node's publisher, which retries each update until it goes through.
     */
    static String stateTail(String node, PresenceUpdate.Online online) {
        String candidates = Objects.requireNonNullElse(Candidate.formatList(online.endpoint().candidates()), "");
        String withoutCertificate = String.join("\t", node, online.username(), online.attached() ? "1" : "0",
                online.endpoint().ip(), Integer.toString(online.endpoint().port()), online.endpoint().fingerprint(),
                candidates, String.join(",", online.rooms()));
        String certificate = certificateField(online.endpoint().certificate());
        int bytes = STATE_HEAD_BYTES + withoutCertificate.getBytes(java.nio.charset.StandardCharsets.UTF_8).length
                + 1 + certificate.length();
        return withoutCertificate + "\t" + (bytes <= MAX_PAYLOAD_BYTES ? certificate : "");
    }

    /** How a certificate travels in a State and sits in {@code cluster_presence}: none is the empty string. */
    static String certificateField(String certificate) {
        return Objects.requireNonNullElse(certificate, "");
    }

    static String gone(long seq, String node, String username, PresenceUpdate.Reason reason) {
        return String.join("\t", Gone.KIND, Long.toString(seq), node, username, reason.name());
    }

    static String push(String username, String frameBase64) {
        return String.join("\t", Push.KIND, username, frameBase64);
    }

    /** @throws IllegalArgumentException when {@code payload} is not one of these */
    static ClusterEvent parse(String payload) {
        String[] f = payload.split("\t", -1);
        return switch (f[0]) {
            case State.KIND -> {
                if (f.length != 10) {
                    need(f, 11);
                }
                List<String> rooms = f[9].isEmpty() ? List.of() : Arrays.asList(f[9].split(","));
                PeerInfo peer = new PeerInfo(f[3], rooms.isEmpty() ? null : rooms.getFirst(), f[5],
                        Integer.parseInt(f[6]), f[7], Candidate.parseList(f[8]));
                String certificate = f.length == 11 && !f[10].isEmpty() ? f[10] : null;
                yield new State(new RemoteUser(f[2], Long.parseLong(f[1]), peer, rooms, "1".equals(f[4]),
                        certificate));
            }
            case Gone.KIND -> {
                need(f, 5);
                yield new Gone(Long.parseLong(f[1]), f[2], f[3], PresenceUpdate.Reason.valueOf(f[4]));
            }
            case NodeDown.KIND -> {
                need(f, 2);
                yield new NodeDown(f[1]);
            }
            case Push.KIND -> {
                need(f, 3);
                yield new Push(f[1], f[2]);
            }
            case RoomCreated.KIND -> {
                need(f, 2);
                yield new RoomCreated(f[1]);
            }
            default -> throw new IllegalArgumentException("unknown cluster event kind " + f[0]);
        };
    }

    private static void need(String[] fields, int count) {
        if (fields.length != count) {
            throw new IllegalArgumentException("a " + fields[0] + " event has " + count + " fields, not "
                    + fields.length);
        }
    }
}
