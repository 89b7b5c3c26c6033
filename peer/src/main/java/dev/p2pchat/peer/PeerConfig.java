package dev.p2pchat.peer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a {@link Peer} needs to start, fixed for its lifetime.
 *
 * @param registryHost        where the registry listens
 * @param registryPort        its TLS port
 * @param registryFingerprint SHA-256 of the registry's certificate; null trusts it on first use and pins it in
 *                            {@code dataDir/known_registries}
 * @param listenHost          the address this peer's own server binds; null lets the
 *                            {@link dev.p2pchat.peer.reach.ListenPolicy} choose (every interface, or loopback
 *                            when the registry is on loopback)
 * @param listenPort          its port; 0 picks a free one
 * @param dataDir             identity, known registries and the outbox live here
 * @param requestTimeout      how long one request to the registry or another peer may take
 * @param deliveryWindow      how long an undelivered message is retried before it is reported failed
 * @param retryBase           first delay of the reconnect and redelivery backoff (doubles each time)
 * @param retryMax            longest delay of that backoff
 * @param advertisedPort      the port other peers are told to connect to; 0 means the listening port
 *                            (set it when a port forward or proxy sits in front of this peer)
 * @param history             keep every conversation in {@code dataDir/chat-history.db} (false: {@code --no-history})
 * @param registryPing        how long the registry connection may be silent while logged in before it is pinged
 *                            (a dead one is then noticed and replaced); under common NAT idle timeouts
 * @param registryFallbacks   other nodes of the same registry cluster ({@code HOST:PORT}), tried in order after
 *                            {@code registryHost:registryPort} when a connection cannot be made or is lost; they
 *                            present the same certificate, so {@code registryFingerprint} pins them all
 */
public record PeerConfig(String registryHost, int registryPort, String registryFingerprint, String listenHost,
                         int listenPort, Path dataDir, Duration requestTimeout, Duration deliveryWindow,
                         Duration retryBase, Duration retryMax, int advertisedPort, boolean history,
                         Duration registryPing,
                         java.util.List<RegistryAddress> registryFallbacks) {

    /** Where one registry node listens. */
    public record RegistryAddress(String host, int port) {
        public RegistryAddress {
            Objects.requireNonNull(host, "host");
            checkPort("registry port", port, false);
        }

        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DELIVERY_WINDOW = Duration.ofMinutes(2);
    public static final Duration DEFAULT_RETRY_BASE = Duration.ofMillis(500);
    public static final Duration DEFAULT_RETRY_MAX = Duration.ofSeconds(30);
    public static final Duration DEFAULT_REGISTRY_PING = Duration.ofSeconds(25);

    /** With the default registry ping and no other registry nodes to fail over to. */
    public PeerConfig(String registryHost, int registryPort, String registryFingerprint, String listenHost,
                      int listenPort, Path dataDir, Duration requestTimeout, Duration deliveryWindow,
                      Duration retryBase, Duration retryMax, int advertisedPort, boolean history) {
        this(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir, requestTimeout,
                deliveryWindow, retryBase, retryMax, advertisedPort, history, DEFAULT_REGISTRY_PING, java.util.List.of());
    }

    /** With the chat history kept. */
    public PeerConfig(String registryHost, int registryPort, String registryFingerprint, String listenHost,
                      int listenPort, Path dataDir, Duration requestTimeout, Duration deliveryWindow,
                      Duration retryBase, Duration retryMax, int advertisedPort) {
        this(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir, requestTimeout,
                deliveryWindow, retryBase, retryMax, advertisedPort, true);
    }

    public PeerConfig {
        Objects.requireNonNull(registryHost, "registryHost");
        Objects.requireNonNull(dataDir, "dataDir");
        listenHost = listenHost == null || listenHost.isBlank() ? null : listenHost;
        requestTimeout = positiveOr(requestTimeout, DEFAULT_REQUEST_TIMEOUT);
        deliveryWindow = positiveOr(deliveryWindow, DEFAULT_DELIVERY_WINDOW);
        retryBase = positiveOr(retryBase, DEFAULT_RETRY_BASE);
        retryMax = positiveOr(retryMax, DEFAULT_RETRY_MAX);
        registryPing = positiveOr(registryPing, DEFAULT_REGISTRY_PING);
        checkPort("registryPort", registryPort, false);
        checkPort("listenPort", listenPort, true);
        checkPort("advertisedPort", advertisedPort, true);
        if (retryMax.compareTo(retryBase) < 0) {
            throw new IllegalArgumentException("retryMax must not be shorter than retryBase");
        }
        registryFallbacks = registryFallbacks == null ? java.util.List.of() : java.util.List.copyOf(registryFallbacks);
    }

    /** Every registry node to try, in order: the first is {@code registryHost:registryPort}. */
    public java.util.List<RegistryAddress> registries() {
        java.util.List<RegistryAddress> all = new java.util.ArrayList<>(1 + registryFallbacks.size());
        all.add(new RegistryAddress(registryHost, registryPort));
        all.addAll(registryFallbacks);
        return all;
    }

    public PeerConfig withRegistryFallbacks(java.util.List<RegistryAddress> fallbacks) {
        return new PeerConfig(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir,
                requestTimeout, deliveryWindow, retryBase, retryMax, advertisedPort, history, registryPing, fallbacks);
    }

    /** The configuration the issue describes; backoff 0.5 s doubling to 30 s, advertised port = listening port. */
    public PeerConfig(String registryHost, int registryPort, String registryFingerprint, String listenHost,
                      int listenPort, Path dataDir, Duration requestTimeout, Duration deliveryWindow) {
        this(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir, requestTimeout,
                deliveryWindow, DEFAULT_RETRY_BASE, DEFAULT_RETRY_MAX, 0);
    }

    public PeerConfig withRetry(Duration base, Duration max) {
        return new PeerConfig(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir,
                requestTimeout, deliveryWindow, base, max, advertisedPort, history, registryPing,
                registryFallbacks);
    }

    public PeerConfig withAdvertisedPort(int port) {
        return new PeerConfig(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir,
                requestTimeout, deliveryWindow, retryBase, retryMax, port, history, registryPing,
                registryFallbacks);
    }

    public PeerConfig withListenPort(int port) {
        return new PeerConfig(registryHost, registryPort, registryFingerprint, listenHost, port, dataDir,
                requestTimeout, deliveryWindow, retryBase, retryMax, advertisedPort, history, registryPing,
                registryFallbacks);
    }

    public PeerConfig withHistory(boolean keep) {
        return new PeerConfig(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir,
                requestTimeout, deliveryWindow, retryBase, retryMax, advertisedPort, keep, registryPing,
                registryFallbacks);
    }

    public PeerConfig withRegistryPing(Duration ping) {
        return new PeerConfig(registryHost, registryPort, registryFingerprint, listenHost, listenPort, dataDir,
                requestTimeout, deliveryWindow, retryBase, retryMax, advertisedPort, history, ping,
                registryFallbacks);
    }

    private static Duration positiveOr(Duration value, Duration fallback) {
        if (value == null) {
            return fallback;
        }
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("durations must be positive: " + value);
        }
        return value;
    }

    private static void checkPort(String name, int port, boolean zeroAllowed) {
        if (port < (zeroAllowed ? 0 : 1) || port > 65535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
    }
}
