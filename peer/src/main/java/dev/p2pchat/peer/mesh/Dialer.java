package dev.p2pchat.peer.mesh;

import dev.p2pchat.protocol.Candidate;
import dev.p2pchat.transport.ChannelSettings;
import dev.p2pchat.transport.FrameChannel;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials every candidate address of another peer, Happy-Eyeballs style (RFC 8305): one attempt at a time, the
 * next one {@link #STAGGER} later or as soon as the one before failed, all racing once started. An attempt is a
 * TCP connect and the whole mutual-TLS handshake, with the other peer's certificate pinned in the SSL context,
 * so the first that completes is a link to the right peer whatever address it came through (a stranger who
 * happens to hold a candidate address on this LAN fails its handshake). The others are abandoned and closed.
 */
final class Dialer {
    private static final Logger LOG = LoggerFactory.getLogger(Dialer.class);
    /** RFC 8305 recommends 250 ms between attempts. */
    static final Duration STAGGER = Duration.ofMillis(250);

    /** One address to dial: an IP literal (or, from an old listing, a host name) and a port. */
    record Address(String host, int port) {
        static Address of(Candidate c) {
            return new Address(c.address(), c.port());
        }

        @Override
        public String toString() {
            return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
        }
    }

    /** The first channel to complete mutual TLS, and which address it came through. */
    record Won(FrameChannel channel, Address address) {
    }

    private sealed interface Outcome {
        record Connected(FrameChannel channel, Address address) implements Outcome {
        }

        record Failed(Address address, IOException error) implements Outcome {
        }
    }

    private Dialer() {
    }

    /**
     * @throws IOException when every attempt failed: with the one attempt's own exception when there was one
     *                     address, else naming each address and why it failed
     */
    static Won connect(SSLContext tls, List<Address> addresses, ChannelSettings settings, String name)
            throws IOException {
        if (addresses.isEmpty()) {
            throw new IOException("no address to dial");
        }
        BlockingQueue<Outcome> outcomes = new LinkedBlockingQueue<>();
        List<Thread> attempts = new ArrayList<>(addresses.size());
        List<Outcome.Failed> failures = new ArrayList<>();
        int started = 0;
        // Every attempt ends within its handshake timeout (connect and handshake are each bounded by it).
        long deadline = System.nanoTime() + settings.handshakeTimeout().multipliedBy(2).toNanos()
                + STAGGER.multipliedBy(addresses.size()).toNanos();
        try {
            while (true) {
                if (started < addresses.size() && started == attempts.size()) {
                    Address address = addresses.get(started++);
                    attempts.add(Thread.ofVirtual().name(name + "-dial-" + address).start(() -> {
                        try {
                            outcomes.add(new Outcome.Connected(
                                    FrameChannel.connect(tls, address.host(), address.port(), null, settings, name),
                                    address));
                        } catch (IOException e) {
                            outcomes.add(new Outcome.Failed(address, e));
                        }
                    }));
                }
                long left = deadline - System.nanoTime();
                long wait = started < addresses.size() ? Math.min(STAGGER.toNanos(), left) : left;
                Outcome outcome = wait > 0 ? outcomes.poll(wait, TimeUnit.NANOSECONDS) : null;
                if (outcome instanceof Outcome.Connected connected) {
                    LOG.debug("{} connected via {} ({} of {} attempts started)", name, connected.address(), started,
                            addresses.size());
                    return new Won(connected.channel(), connected.address());
                }
                if (outcome instanceof Outcome.Failed failed) {
                    failures.add(failed);
                    if (failures.size() == addresses.size()) {
                        throw failure(failures);
                    }
                    continue; // start the next one now
                }
                if (System.nanoTime() - deadline >= 0) {
                    throw new IOException("no address answered in time: "
                            + addresses.stream().map(Address::toString).toList());
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while connecting");
        } finally {
            abandon(attempts, outcomes);
        }
    }

    /** Stops the attempts still under way and closes the links that completed too late. */
    private static void abandon(List<Thread> attempts, BlockingQueue<Outcome> outcomes) {
        attempts.forEach(Thread::interrupt);
        Thread.ofVirtual().name("dial-cleanup").start(() -> {
            for (Thread t : attempts) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            for (Outcome late : outcomes) {
                if (late instanceof Outcome.Connected c) {
                    c.channel().abort("another address answered first");
                }
            }
        });
    }

    private static IOException failure(List<Outcome.Failed> failures) {
        if (failures.size() == 1) {
            return failures.get(0).error();
        }
        StringBuilder why = new StringBuilder();
        for (Outcome.Failed f : failures) {
            why.append(why.isEmpty() ? "" : "; ").append(f.address()).append(": ").append(f.error().getMessage());
        }
        IOException e = new IOException(why.toString());
        failures.forEach(f -> e.addSuppressed(f.error()));
        return e;
    }
}
