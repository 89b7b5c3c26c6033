package dev.p2pchat.registry;

import dev.p2pchat.registry.service.Relays;
import dev.p2pchat.relay.RelayLimits;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * The registry's relays (PROTOCOL.md section 15).
 *
 * @param inProcess  run a relay inside the registry process, with the registry's certificate
 * @param port       its TLS port; 0 picks a free one
 * @param external   relays on other hosts ({@code p2pchat relay}) sharing the secret, handed out in turn
 * @param secretFile the rendezvous secret shared with external relays; null: {@code DATA_DIR/relay.secret}
 * @param limits     the in-process relay's limits
 */
public record RelaySettings(boolean inProcess, int port, List<Relays.Endpoint> external, Path secretFile,
                            RelayLimits limits) {
    /** A relay in the registry on a free port, no other relay. */
    public static final RelaySettings DEFAULTS = new RelaySettings(true, 0, List.of(), null, RelayLimits.DEFAULTS);
    public static final String SECRET_FILE = "relay.secret";

    public RelaySettings {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--relay-port must be between 0 and 65535");
        }
        external = List.copyOf(external);
        Objects.requireNonNull(limits, "limits");
    }

    /** Where the secret is, for a registry keeping its data in {@code dataDir}. */
    public Path secretFile(Path dataDir) {
        return secretFile != null ? secretFile : dataDir.resolve(SECRET_FILE);
    }
}
