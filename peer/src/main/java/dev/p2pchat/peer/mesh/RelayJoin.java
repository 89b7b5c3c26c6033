package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.Limits;
import dev.p2pchat.protocol.Message;
import dev.p2pchat.protocol.Messages;
import dev.p2pchat.protocol.ProtocolException;
import dev.p2pchat.protocol.RelayReply;
import dev.p2pchat.protocol.RelayRequest;
import dev.p2pchat.protocol.RelayTicket;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * One peer's side of meeting another at a relay (PROTOCOL.md section 15): a TLS connection out to the relay (its
 * certificate pinned by the fingerprint the registry handed out), {@code RELAY_JOIN} with the rendezvous token, and
 * the wait for the relay's answer. What follows the answer on that connection is the pipe to the other peer, in
 * which the two run their own mutual TLS, layered inside the relay's ({@link #asClient}, or the peer server's side).
 * The answer is read byte by byte so that not one byte of the other peer's TLS is taken from the pipe.
 */
final class RelayJoin {
    /** Longer than a relay's default wait for the second side (10 s), so its REQUEST_TIMEOUT arrives first. */
    static final Duration ANSWER_WAIT = Duration.ofSeconds(15);

    private RelayJoin() {
    }

    /** The relay's address, IPv6 bracketed: what the user sees as the link's path. */
    static String address(RelayTicket ticket) {
        String host = ticket.host();
        return (host != null && host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + ticket.port();
    }

    /**
     * Joins at {@code ticket}'s relay (its {@code host} already resolved) and returns the connection once the other
     * side has joined too.
     *
     * @throws IOException when the relay cannot be reached or refuses (with its status and reason)
     */
    static SSLSocket join(RelayTicket ticket, Duration connectTimeout) throws IOException {
        SSLContext toRelay = Tls.client(PinnedCertificateTrust.expecting(ticket.fingerprint()));
        SSLSocket socket = Tls.connect(toRelay, ticket.host(), ticket.port(), connectTimeout);
        try {
            socket.setTcpNoDelay(true);
            socket.setKeepAlive(true);
            socket.getOutputStream().write(FrameWriter.encode(new RelayRequest.Join(ticket.token()).toFrame()));
            socket.getOutputStream().flush();
            socket.setSoTimeout((int) ANSWER_WAIT.toMillis());
            RelayReply.JoinResult answer = answer(socket.getInputStream());
            socket.setSoTimeout(0);
            if (!answer.status().isSuccess()) {
                throw new IOException("the relay at " + address(ticket) + " said " + answer.status()
                        + (answer.reason() != null ? ": " + answer.reason() : ""));
            }
            return socket;
        } catch (SocketTimeoutException e) {
            socket.close();
            throw new IOException("the relay at " + address(ticket) + " did not answer within "
                    + ANSWER_WAIT.toSeconds() + " s", e);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** This side asked for the link: it runs the inner TLS as client, pinning the other peer's certificate. */
    static SSLSocket asClient(SSLSocket relayed, SSLContext mutual, String host, Duration handshakeTimeout)
            throws IOException {
        SSLSocket inner = (SSLSocket) mutual.getSocketFactory().createSocket(relayed, host, relayed.getPort(), true);
        try {
            Tls.restrict(inner);
            inner.setUseClientMode(true);
            Tls.handshake(inner, handshakeTimeout);
            return inner;
        } catch (IOException | RuntimeException e) {
            inner.close();
            throw e;
        }
    }

    /** The answer frame alone: up to its blank line, never further. */
    private static RelayReply.JoinResult answer(InputStream in) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
        int previous = -1;
        while (true) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the relay closed the connection before answering");
            }
            bytes.write(c);
            if (c == '\n' && previous == '\n') {
                break;
            }
            if (bytes.size() > Limits.MAX_HEADER_BLOCK_BYTES) {
                throw new IOException("the relay's answer is too long");
            }
            previous = c;
        }
        try {
            Frame frame = new FrameReader(new ByteArrayInputStream(bytes.toByteArray())).read();
            Message message = frame == null ? null : Messages.decode(frame);
            if (message instanceof RelayReply.JoinResult result) {
                return result;
            }
            throw new IOException("the relay answered " + (frame == null ? "nothing" : frame.startLine()));
        } catch (ProtocolException e) {
            throw new IOException("unreadable answer from the relay: " + e.reason(), e);
        }
    }
}
