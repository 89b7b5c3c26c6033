package dev.p2pchat.peer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.p2pchat.peer.mesh.PeerServer;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.Status;
import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Defect 4, peer side: a claimed name of 250 characters (valid on the wire) is refused with a sendable answer. */
class LinkAdmissionTest {
    static final String LONG = "n".repeat(250);
    static final String FINGERPRINT = "ab".repeat(32);

    static LinkAdmission admission(RegistryReply searchAnswer) {
        PeerStatus status = new PeerStatus();
        status.loggedIn("alice");
        return new LinkAdmission(status, new PeerDirectory(request -> searchAnswer), new RoomState());
    }

    static void assertSendable(PeerServer.Admission admission) {
        assertThat(admission).isInstanceOf(PeerServer.Admission.Refused.class);
        PeerServer.Admission.Refused refused = (PeerServer.Admission.Refused) admission;
        assertThat(refused.reason().length()).isLessThanOrEqualTo(dev.p2pchat.protocol.Reasons.MAX_CHARS);
        assertThat(FrameWriter.encode(new ErrorReply(refused.status(), refused.reason()).toFrame())).isNotEmpty();
    }

    @Test
    void aLongNameThatIsNoUserIsRefusedWithAReasonThatFits() {
        assertSendable(admission(new RegistryReply.SearchUserResponse(Status.NOT_FOUND, null))
                .admit(LONG, FINGERPRINT));
    }

    @Test
    void aLongNameThatIsNotOnlineIsRefusedWithAReasonThatFits() {
        assertSendable(admission(new RegistryReply.SearchUserResponse(Status.NOT_ONLINE, null))
                .admit(LONG, FINGERPRINT));
    }

    @Test
    void aRegistryFailureWithALongMessageIsRefusedWithAReasonThatFits() {
        PeerStatus status = new PeerStatus();
        status.loggedIn("alice");
        LinkAdmission admission = new LinkAdmission(status, new PeerDirectory(request -> {
            throw new IOException("x".repeat(300));
        }), new RoomState());

        assertSendable(admission.admit(LONG, FINGERPRINT));
    }
}
