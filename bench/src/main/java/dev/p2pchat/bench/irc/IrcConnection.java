package dev.p2pchat.bench.irc;

import dev.p2pchat.security.Tls;
import java.io.BufferedReader;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The IRC counterpart of the bench's registry client: one TLS socket, a virtual thread reading lines (answering
 * the server's PING), and one command in flight whose end is a known numeric (001 after NICK/USER, 366 after
 * JOIN, 318 after WHOIS). Error numerics (400-599) seen while waiting are reported with the answer.
 */
final class IrcConnection implements Closeable {
    static final AtomicLong PONGS = new AtomicLong();

    record Answer(String terminator, String error) {
    }

    private final SSLSocket socket;
    private final OutputStream out;
    private volatile CompletableFuture<Answer> pending;
    private volatile Set<String> terminators = Set.of();
    private volatile String errorSeen;

    private IrcConnection(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
    }

    static IrcConnection open(SSLContext tls, String host, int port, Duration timeout) throws IOException {
        SSLSocket socket = Tls.connect(tls, host, port, timeout);
        socket.setTcpNoDelay(true);
        IrcConnection c = new IrcConnection(socket);
        Thread.ofVirtual().name("bench-irc-reader").start(c::readLoop);
        return c;
    }

    /** Sends {@code lines} and waits for one of {@code ends}. */
    Answer call(String lines, Set<String> ends, Duration timeout) throws IOException, TimeoutException {
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        errorSeen = null;
        terminators = ends;
        pending = answer;
        write(lines);
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            pending = null;
        }
    }

    void write(String lines) throws IOException {
        byte[] bytes = lines.getBytes(StandardCharsets.UTF_8);
        synchronized (out) {
            out.write(bytes);
            out.flush();
        }
    }

    private void readLoop() {
        IOException failure = new EOFException("server closed the connection");
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(),
                StandardCharsets.UTF_8), 4096)) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("PING ")) {
                    write("PONG " + line.substring(5) + "\r\n");
                    continue;
                }
                String command = command(line);
                if (command.equals("PONG")) {
                    PONGS.incrementAndGet();
                    continue;
                }
                CompletableFuture<Answer> waiting = pending;
                if (waiting == null) {
                    continue;
                }
                if (command.length() == 3 && (command.charAt(0) == '4' || command.charAt(0) == '5')) {
                    errorSeen = command;
                }
                if (terminators.contains(command)) {
                    waiting.complete(new Answer(command, errorSeen));
                } else if (command.equals("ERROR")) {
                    waiting.complete(new Answer(command, "ERROR"));
                }
            }
        } catch (IOException e) {
            failure = e;
        } finally {
            CompletableFuture<Answer> waiting = pending;
            if (waiting != null) {
                waiting.completeExceptionally(failure);
            }
            close();
        }
    }

    /** ":prefix COMMAND args" or "COMMAND args" -> COMMAND. */
    private static String command(String line) {
        int start = 0;
        if (line.startsWith(":")) {
            start = line.indexOf(' ') + 1;
            if (start == 0) {
                return "";
            }
        }
        int end = line.indexOf(' ', start);
        return end < 0 ? line.substring(start) : line.substring(start, end);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already gone
        }
    }
}
