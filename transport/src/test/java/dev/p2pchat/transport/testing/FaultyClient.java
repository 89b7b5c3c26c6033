package dev.p2pchat.transport.testing;

import dev.p2pchat.security.Tls;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;

/**
 * A client that applies one {@link Fault} to a real server on a real socket, and records what the server did
 * about it: the bytes it answered with and whether it closed the connection. Test code only.
 */
public final class FaultyClient implements Closeable {
    private final Socket socket;
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final AtomicBoolean closedByServer = new AtomicBoolean();
    private final AtomicBoolean writeFailed = new AtomicBoolean();
    private final AtomicInteger bytesSent = new AtomicInteger();
    private final AtomicInteger framesSent = new AtomicInteger();
    private volatile boolean stopped;

    private FaultyClient(Socket socket) {
        this.socket = socket;
    }

    /**
     * Connects to {@code port} on loopback and starts misbehaving on a virtual thread.
     *
     * @param tls   trusts the server (any certificate will do for these faults)
     * @param frame the frame the faults send, whole or in part
     * @param pace  time between two bytes of a drip
     */
    public static FaultyClient start(int port, SSLContext tls, Fault fault, String frame, Duration pace)
            throws IOException {
        byte[] bytes = frame.getBytes(StandardCharsets.UTF_8);
        Socket plain = new Socket();
        if (fault == Fault.STOP_READING) {
            plain.setReceiveBufferSize(4096); // so the server's writes block soon
        }
        plain.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        FaultyClient client;
        switch (fault) {
            case STALL_AT_START -> {
                client = new FaultyClient(plain);
                client.readInBackground(plain.getInputStream());
            }
            case SLOW_HANDSHAKE -> {
                client = new FaultyClient(plain);
                byte[] hello = clientHello(tls);
                client.readInBackground(plain.getInputStream());
                Thread.ofVirtual().name("faulty-handshake").start(() -> client.drip(plain, hello, pace));
            }
            default -> {
                SSLSocket socket = (SSLSocket) tls.getSocketFactory().createSocket(plain, "127.0.0.1", port, true);
                Tls.restrict(socket);
                socket.setUseClientMode(true);
                socket.startHandshake();
                client = new FaultyClient(socket);
                if (fault != Fault.STOP_READING) {
                    client.readInBackground(socket.getInputStream());
                }
                FaultyClient c = client;
                Thread.ofVirtual().name("faulty-" + fault).start(() -> c.misbehave(fault, socket, bytes, pace));
            }
        }
        return client;
    }

    private void misbehave(Fault fault, SSLSocket socket, byte[] frame, Duration pace) {
        try {
            OutputStream out = socket.getOutputStream();
            switch (fault) {
                case STALL_MID_FRAME -> write(out, Arrays.copyOf(frame, frame.length / 2));
                case SLOW_DRIP -> drip(socket, frame, pace);
                case STOP_READING -> {
                    for (int i = 0; i < 100_000 && !stopped; i++) {
                        write(out, frame);
                        framesSent.incrementAndGet();
                    }
                }
                case RESET_MID_FRAME -> {
                    write(out, Arrays.copyOf(frame, frame.length / 2));
                    socket.setSoLinger(true, 0);
                    socket.close();
                }
                default -> throw new IllegalArgumentException(fault.name());
            }
        } catch (IOException e) {
            writeFailed.set(true);
        }
    }

    private void write(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        bytesSent.addAndGet(bytes.length);
    }

    /** One byte, then a pause, until the bytes run out, the server closes or the test stops it. */
    private void drip(Socket target, byte[] bytes, Duration pace) {
        try {
            OutputStream out = target.getOutputStream();
            for (byte b : bytes) {
                if (stopped || closedByServer.get()) {
                    return;
                }
                out.write(b);
                out.flush();
                bytesSent.incrementAndGet();
                LockSupport.parkNanos(pace.toNanos());
            }
        } catch (IOException e) {
            writeFailed.set(true);
        }
    }

    private void readInBackground(InputStream in) {
        Thread.ofVirtual().name("faulty-reader").start(() -> {
            byte[] buffer = new byte[4096];
            try {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    synchronized (received) {
                        received.write(buffer, 0, n);
                    }
                }
            } catch (IOException e) {
                // a reset counts as closed too
            }
            closedByServer.set(!stopped);
        });
    }

    /** The first flight of a real TLS 1.3 client, made by the JDK's own engine. */
    private static byte[] clientHello(SSLContext tls) throws IOException {
        SSLEngine engine = tls.createSSLEngine("127.0.0.1", 0);
        Tls.restrict(engine);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.beginHandshake();
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }

    /** True once the server closed or reset the connection. */
    public boolean closedByServer() {
        return closedByServer.get() || writeFailed.get();
    }

    /** What the server sent, as text. */
    public String received() {
        synchronized (received) {
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    public int bytesSent() {
        return bytesSent.get();
    }

    public int framesSent() {
        return framesSent.get();
    }

    @Override
    public void close() {
        stopped = true;
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
