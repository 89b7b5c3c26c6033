package dev.p2pchat.peer;

import dev.p2pchat.peer.PeerDirectory.Lookup;
import dev.p2pchat.peer.mesh.PeerServer;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.Reasons;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Fingerprints;
import java.io.IOException;

/**
 * Decides who may open a link to this peer's server: a client is admitted as a user only when its certificate
 * is the one the registry lists for that user. Asks the registry only when no cached listing matches.
 */
final class LinkAdmission implements PeerServer.Gatekeeper {
    static final Status UNAVAILABLE = new Status("UNAVAILABLE", 503);

    private final PeerStatus status;
    private final PeerDirectory directory;
    private final RoomState room;
    private final ContactKeys keys;

    /** Without pins (tests of what the registry says alone). */
    LinkAdmission(PeerStatus status, PeerDirectory directory, RoomState room) {
        this(status, directory, room, null);
    }

    LinkAdmission(PeerStatus status, PeerDirectory directory, RoomState room, ContactKeys keys) {
        this.status = status;
        this.directory = directory;
        this.room = room;
        this.keys = keys;
    }

    /**
     * Admitted by the registry's listing, and then only with the pinned key: a registry that lists a key of its own
     * for a user this user talked to before cannot link as them.
     */
    @Override
    public PeerServer.Admission admit(String claimed, String fingerprint) {
        PeerServer.Admission listed = listed(claimed, fingerprint);
        if (listed instanceof PeerServer.Admission.Admitted && keys != null
                && !keys.accepts(claimed, fingerprint, null, "on a link from " + claimed)) {
            return new PeerServer.Admission.Refused(PeerServer.FORBIDDEN,
                    "your key is not the one pinned for " + Reasons.quote(claimed) + "; it must be trusted first");
        }
        return listed;
    }

    private PeerServer.Admission listed(String claimed, String fingerprint) {
        String me = status.username();
        if (me == null) {
            return new PeerServer.Admission.Refused(UNAVAILABLE, "this peer is not logged in right now");
        }
        if (claimed.equals(me)) {
            return new PeerServer.Admission.Refused(PeerServer.FORBIDDEN, "you cannot link as " + Reasons.quote(me));
        }
        PeerInfo known = directory.cached(claimed);
        if (known == null) {
            known = room.member(claimed).orElse(null);
        }
        if (known != null && Fingerprints.matches(known.fingerprint(), fingerprint)) {
            return new PeerServer.Admission.Admitted();
        }
        Lookup lookup;
        try {
            lookup = directory.lookup(claimed);
        } catch (IOException e) {
            return new PeerServer.Admission.Refused(UNAVAILABLE, Reasons.fit("cannot check who you are right now: " + e.getMessage()));
        }
        return switch (lookup) {
            case Lookup.Found found when Fingerprints.matches(found.peer().fingerprint(), fingerprint) ->
                    new PeerServer.Admission.Admitted();
            case Lookup.Found found -> new PeerServer.Admission.Refused(PeerServer.FORBIDDEN,
                    "your certificate is not the one the registry lists for " + Reasons.quote(claimed));
            case Lookup.NotOnline n -> new PeerServer.Admission.Refused(UNAVAILABLE,
                    "the registry does not list " + Reasons.quote(claimed) + " as online");
            case Lookup.NoSuchUser n -> new PeerServer.Admission.Refused(PeerServer.FORBIDDEN,
                    "there is no user named " + Reasons.quote(claimed));
            case Lookup.KeyChanged k -> new PeerServer.Admission.Refused(PeerServer.FORBIDDEN,
                    "your key is not the one pinned for " + Reasons.quote(claimed) + "; it must be trusted first");
        };
    }
}
