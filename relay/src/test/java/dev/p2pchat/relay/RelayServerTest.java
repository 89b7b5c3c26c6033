package dev.p2pchat.relay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.p2pchat.protocol.Frame;
import dev.p2pchat.protocol.FrameReader;
import dev.p2pchat.protocol.FrameWriter;
import dev.p2pchat.protocol.RelayRequest;
import dev.p2pchat.protocol.Status;
import dev.p2pchat.security.Identity;
import dev.p2pchat.security.PinnedCertificateTrust;
import dev.p2pchat.security.Tls;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A real relay on loopback, real TLS to it, and the peers' own mutual TLS through it. */
class RelayServerTest {
    private static final Identity RELAY = Identity.generate("relay");
    private static final Identity ALICE = Identity.generate("alice");
    private static final Identity BOB = Identity.generate("bob");
    private static final SSLContext TO_RELAY = Tls.client(PinnedCertificateTrust.expecting(RELAY.fingerprint()));
    private static final byte[] SECRET = RendezvousTokens.newSecret();

    private final RendezvousTokens tokens = new RendezvousTokens(SECRET, Clock.systemUTC());
    private RelayServer relay;

    @AfterEach
    void stop() {
        if (relay != null) {
            relay.close();
        }
    }

    private void start(RelayLimits limits) throws IOException {
        relay = RelayServer.start(InetAddress.getLoopbackAddress(), 0, RELAY, tokens, limits);
    }

    private static RelayLimits limits(int maxLinks, int perUser, long bytesPerSecond, Duration wait) {
        return new RelayLimits(maxLinks, perUser, bytesPerSecond, wait, Duration.ofSeconds(20));
    }

    /** Connects to the relay and sends RELAY_JOIN; the answer is read with {@link #answer}. */
    private SSLSocket join(String token) throws IOException {
        SSLSocket socket = Tls.connect(TO_RELAY, "127.0.0.1", relay.port(), Duration.ofSeconds(20));
        socket.getOutputStream().write(FrameWriter.encode(new RelayRequest.Join(token).toFrame()));
        socket.getOutputStream().flush();
        return socket;
    }

    /** Reads exactly the one answer frame (it has no payload), byte by byte, so nothing of the pipe is taken. */
    private static Frame answer(SSLSocket socket) throws Exception {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int previous = -1;
        int c;
        while ((c = in.read()) >= 0) {
            bytes.write(c);
            if (c == '\n' && previous == '\n') {
                break;
            }
            previous = c;
        }
        return new FrameReader(new ByteArrayInputStream(bytes.toByteArray())).read();
    }

    @Test
    void twoPeersRunTheirMutualTlsThroughTheRelayWhichSeesOnlyCiphertext() throws Exception {
        start(RelayLimits.DEFAULTS);
        ByteArrayOutputStream relayed = new ByteArrayOutputStream();
        relay.tap(chunk -> {
            synchronized (relayed) {
                relayed.writeBytes(chunk);
            }
        });
        String token = tokens.issue("alice", "bob", Duration.ofMinutes(1));
        SSLSocket aliceOuter = join(token);
        SSLSocket bobOuter = join(token);
        assertThat(answer(aliceOuter).status()).isEqualTo(Status.SUCCESS);
        assertThat(answer(bobOuter).status()).isEqualTo(Status.SUCCESS);

        // alice asked for the link: she is the inner TLS client, bob the server; each pins the other
        SSLSocket aliceInner = (SSLSocket) Tls.mutual(ALICE, PinnedCertificateTrust.expecting(BOB.fingerprint()))
                .getSocketFactory().createSocket(aliceOuter, "bob", relay.port(), true);
        SSLSocket bobInner = (SSLSocket) Tls.mutual(BOB, PinnedCertificateTrust.expecting(ALICE.fingerprint()))
                .getSocketFactory().createSocket(bobOuter, null, true);
        bobInner.setUseClientMode(false);
        bobInner.setNeedClientAuth(true);
        String secret = "meet me at the old mill at nine";
        CompletableFuture<String> bobRead = CompletableFuture.supplyAsync(() -> {
            try {
                bobInner.startHandshake();
                return new String(bobInner.getInputStream().readNBytes(secret.length()), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        aliceInner.startHandshake();
        aliceInner.getOutputStream().write(secret.getBytes(StandardCharsets.UTF_8));
        aliceInner.getOutputStream().flush();

        assertThat(bobRead.get(30, TimeUnit.SECONDS)).isEqualTo(secret);
        assertThat(bobInner.getSession().getPeerCertificates()[0]).isEqualTo(ALICE.certificate());
        assertThat(aliceInner.getSession().getPeerCertificates()[0]).isEqualTo(BOB.certificate());
        assertThat(relay.links()).isEqualTo(1);
        byte[] seen;
        synchronized (relayed) {
            seen = relayed.toByteArray();
        }
        assertThat(seen.length).isGreaterThan(secret.length());
        assertThat(new String(seen, StandardCharsets.ISO_8859_1)).doesNotContain(secret).doesNotContain("old mill");

        aliceInner.close();
        await().atMost(Duration.ofSeconds(30)).until(() -> relay.links() == 0);
    }

    @Test
    void aTokenFromAnotherSecretOrAlteredOrExpiredIsForbidden() throws Exception {
        start(RelayLimits.DEFAULTS);
        String foreign = new RendezvousTokens(RendezvousTokens.newSecret(), Clock.systemUTC())
                .issue("alice", "bob", Duration.ofMinutes(1));
        String genuine = tokens.issue("alice", "bob", Duration.ofMinutes(1));
        String altered = genuine.substring(0, 3) + (genuine.charAt(3) == 'A' ? 'B' : 'A') + genuine.substring(4);
        String expired = new RendezvousTokens(SECRET, Clock.fixed(Instant.now().minusSeconds(600), ZoneOffset.UTC))
                .issue("alice", "bob", Duration.ofMinutes(1));

        for (String token : new String[] {foreign, altered, "not-a-token"}) {
            try (SSLSocket socket = join(token)) {
                assertThat(answer(socket).status()).isEqualTo(Status.FORBIDDEN);
                assertThat(socket.getInputStream().read()).isEqualTo(-1);
            }
        }
        try (SSLSocket socket = join(expired)) {
            Frame answer = answer(socket);
            assertThat(answer.status()).isEqualTo(Status.FORBIDDEN);
            assertThat(answer.header("reason")).contains("expired");
        }
    }

    @Test
    void aTokenServesOneLinkAndAThirdConnectionIsTurnedAway() throws Exception {
        start(RelayLimits.DEFAULTS);
        String token = tokens.issue("alice", "bob", Duration.ofMinutes(1));
        try (SSLSocket a = join(token); SSLSocket b = join(token)) {
            assertThat(answer(a).status()).isEqualTo(Status.SUCCESS);
            assertThat(answer(b).status()).isEqualTo(Status.SUCCESS);
            try (SSLSocket third = join(token)) {
                assertThat(answer(third).status()).isEqualTo(Status.WRONG_STATE);
            }
        }
    }

    @Test
    void aSideWhosePartnerNeverComesIsToldSoAfterTheWait() throws Exception {
        start(limits(10, 10, 1 << 20, Duration.ofMillis(300)));
        try (SSLSocket alone = join(tokens.issue("alice", "bob", Duration.ofMinutes(1)))) {
            Frame answer = answer(alone);
            assertThat(answer.status()).isEqualTo(Status.REQUEST_TIMEOUT);
            assertThat(answer.header("reason")).contains("did not join");
        }
    }

    @Test
    void beyondItsLinksPerUserAUserIsRateLimitedAndBeyondItsLinksTheRelayIsFull() throws Exception {
        start(limits(2, 1, 1 << 20, Duration.ofSeconds(20)));
        String aliceBob = tokens.issue("alice", "bob", Duration.ofMinutes(1));
        String aliceCarol = tokens.issue("alice", "carol", Duration.ofMinutes(1));
        String daveErin = tokens.issue("dave", "erin", Duration.ofMinutes(1));
        String frankGina = tokens.issue("frank", "gina", Duration.ofMinutes(1));
        try (SSLSocket a1 = join(aliceBob); SSLSocket b1 = join(aliceBob)) {
            assertThat(answer(a1).status()).isEqualTo(Status.SUCCESS);
            answer(b1);
            try (SSLSocket a2 = join(aliceCarol); SSLSocket c2 = join(aliceCarol)) {
                assertThat(answer(a2).status()).isEqualTo(Status.RATE_LIMITED);
                assertThat(answer(c2).status()).isEqualTo(Status.RATE_LIMITED);
            }
            try (SSLSocket d = join(daveErin); SSLSocket e = join(daveErin)) {
                assertThat(answer(d).status()).isEqualTo(Status.SUCCESS);
                answer(e);
                try (SSLSocket f = join(frankGina); SSLSocket g = join(frankGina)) {
                    assertThat(answer(f).status()).isEqualTo(Status.FULL);
                    assertThat(answer(g).status()).isEqualTo(Status.FULL);
                }
            }
        }
    }

    @Test
    void aLinkOverItsRateIsSlowedDownNotCutAndLosesNothing() throws Exception {
        long rate = 20_000;
        start(limits(10, 10, rate, Duration.ofSeconds(20)));
        String token = tokens.issue("alice", "bob", Duration.ofMinutes(1));
        try (SSLSocket a = join(token); SSLSocket b = join(token)) {
            answer(a);
            answer(b);
            byte[] payload = new byte[60_000];
            new Random(7).nextBytes(payload);
            long started = System.nanoTime();
            CompletableFuture<byte[]> got = CompletableFuture.supplyAsync(() -> {
                try {
                    return b.getInputStream().readNBytes(payload.length);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            a.getOutputStream().write(payload);
            a.getOutputStream().flush();

            assertThat(got.get(60, TimeUnit.SECONDS)).isEqualTo(payload);
            // one second's worth may pass at once, the other 40,000 bytes at 20,000 a second: 2 s at the least
            // (a loaded machine only makes it longer)
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(1500));
        }
    }
}
