package dev.p2pchat.relay;

import dev.p2pchat.protocol.DurationText;
import dev.p2pchat.security.Identity;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code p2pchat relay}: a relay on its own host (PROTOCOL.md section 15), for registries that name it with
 * {@code --relay HOST:PORT@FINGERPRINT}. It shares the registry's rendezvous secret (a copy of the registry's
 * {@code relay.secret}) and otherwise knows nothing of users: it checks tokens and copies ciphertext.
 */
@Command(name = "relay", mixinStandardHelpOptions = true,
        description = "Run a relay that joins two peers' outbound connections when no direct path works; it carries "
                + "their end-to-end TLS and cannot read it.")
public final class RelayCommand implements Callable<Integer> {
    static final String TLS_DIR = "tls";
    static final String COMMON_NAME = "p2pchat-relay";

    @Spec
    CommandSpec spec;

    @Option(names = "--host", defaultValue = "0.0.0.0",
            description = "Address to listen on. Default: ${DEFAULT-VALUE} (every IPv4 interface)")
    String host;

    @Option(names = "--port", defaultValue = "7071", description = "TLS port; 0 picks a free one. Default: ${DEFAULT-VALUE}")
    int port;

    @Option(names = "--data-dir", defaultValue = "./data/relay",
            description = "Where the relay's generated TLS identity lives. Default: ${DEFAULT-VALUE}")
    Path dataDir;

    @Option(names = "--tls-cert", description = "Certificate (PEM) to present instead of the generated one")
    Path tlsCert;

    @Option(names = "--tls-key", description = "Private key (PEM) of --tls-cert")
    Path tlsKey;

    @Option(names = "--secret-file", required = true,
            description = "The rendezvous secret shared with the registry: a copy of the registry's "
                    + "DATA_DIR/relay.secret (keep it mode 0600)")
    Path secretFile;

    @Option(names = "--max-links", defaultValue = "1000",
            description = "Relayed links at once; beyond, RELAY_JOIN FULL 503. Default: ${DEFAULT-VALUE}")
    int maxLinks;

    @Option(names = "--max-links-per-user", defaultValue = "8",
            description = "Relayed links one user may have at once; beyond, RATE_LIMITED 429. Default: ${DEFAULT-VALUE}")
    int maxLinksPerUser;

    @Option(names = "--bytes-per-second", defaultValue = "262144",
            description = "Per link and direction; beyond, the relay reads more slowly. Default: ${DEFAULT-VALUE}")
    long bytesPerSecond;

    @Option(names = "--partner-wait", defaultValue = "10s", converter = DurationConverter.class,
            description = "How long the first side waits for the second; then REQUEST_TIMEOUT 408. "
                    + "Default: ${DEFAULT-VALUE}")
    Duration partnerWait;

    @Option(names = "--ready-file", description = "Once listening, write {port, fingerprint} here as JSON")
    Path readyFile;

    /** Tests on the namespace network read what the relay copied, to check it is only the peers' ciphertext. */
    @Option(names = "--tap-file", hidden = true, description = "Append every relayed chunk to this file (tests)")
    Path tapFile;

    /** Parses 500ms, 10s, 2m. */
    public static final class DurationConverter implements ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return DurationText.parse(value);
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        if ((tlsCert == null) != (tlsKey == null)) {
            spec.commandLine().getErr().println("relay: --tls-cert and --tls-key go together");
            return 2;
        }
        RelayLimits limits;
        try {
            limits = new RelayLimits(maxLinks, maxLinksPerUser, bytesPerSecond, partnerWait,
                    RelayLimits.DEFAULTS.handshakeTimeout());
        } catch (IllegalArgumentException e) {
            spec.commandLine().getErr().println("relay: " + e.getMessage());
            return 2;
        }
        RelayServer relay;
        try {
            if (!Files.exists(secretFile)) {
                // A new secret here would match no registry: say so instead of making one.
                spec.commandLine().getErr().println("relay: " + secretFile + " does not exist; copy the registry's "
                        + "relay.secret from its data directory");
                return 2;
            }
            RendezvousTokens tokens = new RendezvousTokens(RendezvousTokens.loadOrCreateSecret(secretFile),
                    Clock.systemUTC());
            Identity identity = tlsCert != null ? Identity.load(tlsCert, tlsKey)
                    : Identity.loadOrCreate(dataDir.resolve(TLS_DIR), COMMON_NAME);
            relay = RelayServer.start(InetAddress.getByName(host), port, identity, tokens, limits);
            if (tapFile != null) {
                relay.tap(tapInto(tapFile));
            }
            spec.commandLine().getOut().println("relay listening on " + host + ":" + relay.port()
                    + "; give registries --relay HOST:" + relay.port() + "@" + identity.fingerprint());
            spec.commandLine().getOut().flush();
            if (readyFile != null) {
                writeReady(readyFile, relay.port(), identity.fingerprint());
            }
        } catch (IOException | RuntimeException e) {
            spec.commandLine().getErr().println("relay: cannot start: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            relay.close();
            stopped.countDown();
        }, "relay-shutdown"));
        stopped.await();
        return 0;
    }

    /** Appends each chunk whole (both directions of every link write here), mode 0600 like any file of ours. */
    private static java.util.function.Consumer<byte[]> tapInto(Path file) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
        java.io.OutputStream out = Files.newOutputStream(file, java.nio.file.StandardOpenOption.APPEND);
        return chunk -> {
            synchronized (out) {
                try {
                    out.write(chunk);
                    out.flush();
                } catch (IOException e) {
                    // a test tap: losing it shows as a test failure, never as a relay failure
                }
            }
        };
    }

    /** In one rename, so that a launcher waiting for it never reads half. */
    private static void writeReady(Path file, int port, String fingerprint) throws IOException {
        Path target = file.toAbsolutePath();
        Files.createDirectories(target.getParent());
        Path temp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
        try {
            Files.writeString(temp, "{\"port\":" + port + ",\"fingerprint\":\"" + fingerprint + "\"}\n",
                    StandardCharsets.UTF_8);
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }
}
