package dev.p2pchat.security;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import javax.net.ssl.HandshakeCompletedListener;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import javax.net.ssl.SSLSocket;

/**
 * A TLS socket made of a plain connected {@link Socket} and any {@link SSLEngine}: the JDK's, or BoringSSL's through
 * netty-tcnative. It is an {@link SSLSocket}, so the transport uses it like the JDK's own; what it changes is the
 * memory of an idle connection and the choice of engine. The JDK's SSLSocket keeps about 8 KiB of record buffers
 * per connection for its whole life; this one reads a record's 5-byte header into a 5-byte array, then allocates
 * exactly that record, hands its plaintext to the reader and lets both go, so an idle connection parked in a read
 * holds no buffer (issue 13: bytes per idle session).
 *
 * <p>Threads: one reader and one writer may use it at once (the channel's reader and writer); each direction has
 * its own lock, as {@link SSLEngine} allows {@code wrap} and {@code unwrap} to run concurrently. A read that times
 * out ({@link #setSoTimeout}) mid-record keeps what it read, so the next read goes on where it stopped.
 */
public final class EngineSocket extends SSLSocket {

    /** TLS 1.3 allows 2^14 + 256 bytes of ciphertext per record; a larger header is not TLS. */
    private static final int MAX_RECORD = (1 << 14) + 256;
    private static final int HEADER = 5;
    /** What a record of n plaintext bytes may grow by when sealed (header, content type, tag, padding slack). */
    private static final int OVERHEAD = 256;
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);
    /** Ends a close_notify that cannot be written (the other side stopped reading) after this long. */
    private static final long CLOSE_NOTIFY_MILLIS = 1_000;
    private static final ScheduledThreadPoolExecutor CLOSER = closer();

    private final Socket plain;
    private final SSLEngine engine;
    private final InputStream netIn;
    private final OutputStream netOut;
    private final ReentrantLock readLock = new ReentrantLock();
    private final ReentrantLock writeLock = new ReentrantLock();
    private final InputStream appIn = new AppInput();
    private final OutputStream appOut = new AppOutput();

    // Guarded by readLock: the record being read (header first), and plaintext not yet read.
    private final byte[] header = new byte[HEADER];
    private int headerFilled;
    private ByteBuffer record;
    private ByteBuffer plaintext;
    private boolean inboundDone;

    private final Runnable release;
    private volatile boolean handshakeDone;
    private volatile boolean abortive;

    /**
     * @param plain   a connected socket, owned from now on
     * @param engine  an engine in the mode this side plays (server or client), restricted as {@link Tls} restricts
     * @param release run once when the socket closes (netty-tcnative's engines hold native memory until released)
     */
    public EngineSocket(Socket plain, SSLEngine engine, Runnable release) throws IOException {
        this.plain = plain;
        this.engine = engine;
        this.release = release;
        this.netIn = plain.getInputStream();
        this.netOut = plain.getOutputStream();
    }

    private static ScheduledThreadPoolExecutor closer() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1,
                Thread.ofPlatform().daemon().name("tls-close-notify-deadline").factory());
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    // ---- the handshake ---------------------------------------------------------------------------------------

    @Override
    public void startHandshake() throws IOException {
        readLock.lock();
        try {
            if (handshakeDone) {
                return;
            }
            engine.beginHandshake();
            while (true) {
                switch (engine.getHandshakeStatus()) {
                    case NEED_TASK -> runTasks();
                    case NEED_WRAP -> send(EMPTY);
                    case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                        ByteBuffer next = readRecord();
                        if (next == null) {
                            throw new EOFException("the other side closed the connection during the TLS handshake");
                        }
                        ByteBuffer plain = unwrap(next);
                        if (plain.hasRemaining()) {
                            plaintext = plain; // application data right behind the last handshake message
                        }
                        if (engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_UNWRAP && !engine.getUseClientMode()) {
                            // BoringSSL (netty-tcnative) reports NEED_UNWRAP after the client's Finished until it is
                            // asked to wrap once; the JDK's engine answers such a wrap with nothing.
                            send(EMPTY);
                        }
                    }
                    case FINISHED, NOT_HANDSHAKING -> {
                        handshakeDone = true;
                        return;
                    }
                }
            }
        } finally {
            readLock.unlock();
        }
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run();
        }
    }

    // ---- records in ------------------------------------------------------------------------------------------

    /**
     * The next whole record from the network (header included), or null at the end of the stream before one began.
     * Resumable: a read timeout keeps what was read.
     */
    private ByteBuffer readRecord() throws IOException {
        while (headerFilled < HEADER) {
            int n = netIn.read(header, headerFilled, HEADER - headerFilled);
            if (n < 0) {
                if (headerFilled == 0) {
                    return null;
                }
                throw new EOFException("the connection ended inside a TLS record");
            }
            headerFilled += n;
        }
        if (record == null) {
            int type = header[0] & 0xff;
            int length = (header[3] & 0xff) << 8 | header[4] & 0xff;
            if (type < 20 || type > 24 || length > MAX_RECORD + 2048) {
                throw new SSLException("not a TLS record (type " + type + ", length " + length + ")");
            }
            record = ByteBuffer.allocate(HEADER + length).put(header);
        }
        while (record.hasRemaining()) {
            int n = netIn.read(record.array(), record.position(), record.remaining());
            if (n < 0) {
                throw new EOFException("the connection ended inside a TLS record");
            }
            record.position(record.position() + n);
        }
        ByteBuffer whole = record.flip();
        record = null;
        headerFilled = 0;
        return whole;
    }

    /** The plaintext of one record (often none: a handshake message, a session ticket); answers what it must. */
    private ByteBuffer unwrap(ByteBuffer in) throws IOException {
        ByteBuffer out = ByteBuffer.allocate(Math.max(64, in.remaining()));
        while (true) {
            SSLEngineResult result = engine.unwrap(in, out);
            switch (result.getStatus()) {
                case BUFFER_OVERFLOW -> {
                    ByteBuffer bigger = ByteBuffer.allocate(Math.max(out.capacity() * 2, engine.getSession().getApplicationBufferSize()));
                    out = bigger.put(out.flip());
                    continue;
                }
                case BUFFER_UNDERFLOW -> throw new SSLException("a TLS record the engine could not read whole");
                case CLOSED -> inboundDone = true;
                case OK -> { }
            }
            if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                runTasks();
            }
            if (handshakeDone && engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP) {
                send(EMPTY); // a KeyUpdate or close_notify to answer
            }
            if (!in.hasRemaining() || result.getStatus() == SSLEngineResult.Status.CLOSED
                    || result.bytesConsumed() == 0 && result.bytesProduced() == 0) {
                return out.flip();
            }
        }
    }

    private int readApplication(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        readLock.lock();
        try {
            if (!handshakeDone) {
                startHandshake();
            }
            while (plaintext == null || !plaintext.hasRemaining()) {
                plaintext = null;
                if (inboundDone) {
                    return -1;
                }
                ByteBuffer next = readRecord();
                if (next == null) {
                    inboundDone = true;
                    return -1;
                }
                plaintext = unwrap(next);
            }
            int n = Math.min(len, plaintext.remaining());
            plaintext.get(b, off, n);
            if (!plaintext.hasRemaining()) {
                plaintext = null; // an idle connection keeps no buffer
            }
            return n;
        } finally {
            readLock.unlock();
        }
    }

    // ---- records out -----------------------------------------------------------------------------------------

    /** Seals {@code src} (or a handshake or closing message when empty) and writes it. */
    private void send(ByteBuffer src) throws IOException {
        writeLock.lock();
        try {
            do {
                int size = Math.min(engine.getSession().getPacketBufferSize(), src.remaining() + OVERHEAD);
                ByteBuffer out = ByteBuffer.allocate(Math.max(size, OVERHEAD));
                SSLEngineResult result = engine.wrap(src, out);
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize() + OVERHEAD);
                    result = engine.wrap(src, out);
                }
                if (result.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                    throw new SSLException("the TLS engine cannot seal a record into " + out.capacity() + " bytes");
                }
                if (out.position() > 0) {
                    netOut.write(out.array(), 0, out.position());
                }
                if (result.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_TASK) {
                    runTasks();
                }
                if (result.getStatus() == SSLEngineResult.Status.CLOSED || result.bytesConsumed() == 0 && out.position() == 0) {
                    break;
                }
            } while (src.hasRemaining() || engine.getHandshakeStatus() == SSLEngineResult.HandshakeStatus.NEED_WRAP && handshakeDone);
            netOut.flush();
        } finally {
            writeLock.unlock();
        }
    }

    private final class AppInput extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return readApplication(b, off, len);
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }

    private final class AppOutput extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (!handshakeDone) {
                startHandshake();
            }
            if (len > 0) {
                send(ByteBuffer.wrap(b, off, len));
            }
        }

        @Override
        public void close() throws IOException {
            EngineSocket.this.close();
        }
    }

    // ---- closing ---------------------------------------------------------------------------------------------

    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();

    @Override
    public void close() throws IOException {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        if (!abortive && handshakeDone && writeLock.tryLock()) {
            // close_notify, unless the writer is stuck behind a peer that stopped reading: then just close.
            ScheduledFuture<?> deadline = CLOSER.schedule(this::closePlain, CLOSE_NOTIFY_MILLIS, TimeUnit.MILLISECONDS);
            try {
                engine.closeOutbound();
                send(EMPTY);
            } catch (IOException | RuntimeException ignored) {
                // closing anyway
            } finally {
                deadline.cancel(false);
                writeLock.unlock();
            }
        }
        closePlain();
        release.run();
    }

    private void closePlain() {
        try {
            plain.close();
        } catch (IOException ignored) {
            // closed
        }
    }

    // ---- SSLSocket and Socket, delegated ---------------------------------------------------------------------

    @Override
    public InputStream getInputStream() {
        return appIn;
    }

    @Override
    public OutputStream getOutputStream() {
        return appOut;
    }

    @Override
    public SSLSession getSession() {
        return engine.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return engine.getHandshakeSession();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return engine.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return engine.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        engine.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return engine.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return engine.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        engine.setEnabledProtocols(protocols);
    }

    @Override
    public void addHandshakeCompletedListener(HandshakeCompletedListener listener) {
        throw new UnsupportedOperationException("EngineSocket has no handshake listeners");
    }

    @Override
    public void removeHandshakeCompletedListener(HandshakeCompletedListener listener) {
        throw new UnsupportedOperationException("EngineSocket has no handshake listeners");
    }

    @Override
    public void setUseClientMode(boolean mode) {
        engine.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return engine.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        engine.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return engine.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        engine.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return engine.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        engine.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return engine.getEnableSessionCreation();
    }

    @Override
    public InetAddress getInetAddress() {
        return plain.getInetAddress();
    }

    @Override
    public int getPort() {
        return plain.getPort();
    }

    @Override
    public InetAddress getLocalAddress() {
        return plain.getLocalAddress();
    }

    @Override
    public int getLocalPort() {
        return plain.getLocalPort();
    }

    @Override
    public SocketAddress getRemoteSocketAddress() {
        return plain.getRemoteSocketAddress();
    }

    @Override
    public SocketAddress getLocalSocketAddress() {
        return plain.getLocalSocketAddress();
    }

    @Override
    public boolean isConnected() {
        return plain.isConnected();
    }

    @Override
    public boolean isBound() {
        return plain.isBound();
    }

    @Override
    public boolean isClosed() {
        return plain.isClosed();
    }

    @Override
    public void setSoTimeout(int timeout) throws SocketException {
        plain.setSoTimeout(timeout);
    }

    @Override
    public int getSoTimeout() throws SocketException {
        return plain.getSoTimeout();
    }

    @Override
    public void setTcpNoDelay(boolean on) throws SocketException {
        plain.setTcpNoDelay(on);
    }

    @Override
    public boolean getTcpNoDelay() throws SocketException {
        return plain.getTcpNoDelay();
    }

    @Override
    public void setKeepAlive(boolean on) throws SocketException {
        plain.setKeepAlive(on);
    }

    @Override
    public boolean getKeepAlive() throws SocketException {
        return plain.getKeepAlive();
    }

    /** {@code setSoLinger(true, 0)} is an abortive close: no close_notify, a reset. */
    @Override
    public void setSoLinger(boolean on, int linger) throws SocketException {
        plain.setSoLinger(on, linger);
        abortive = on && linger == 0;
    }

    @Override
    public int getSoLinger() throws SocketException {
        return plain.getSoLinger();
    }

    @Override
    public void shutdownInput() throws IOException {
        plain.shutdownInput();
    }

    @Override
    public void shutdownOutput() throws IOException {
        plain.shutdownOutput();
    }

    @Override
    public String toString() {
        return "EngineSocket[" + plain + ", " + engine.getClass().getSimpleName() + "]";
    }
}
