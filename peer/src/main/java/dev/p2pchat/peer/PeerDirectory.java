package dev.p2pchat.peer;

import dev.p2pchat.peer.registry.RegistrySession;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import dev.p2pchat.security.Fingerprints;
import java.io.IOException;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where other users can be reached and which certificate they must present, as the registry last said.
 * Fed by SEARCH_USER answers, room member lists and join pushes; asked again whenever a cached entry failed.
 */
final class PeerDirectory {
    sealed interface Lookup {
        /** {@code rooms}: every room of the user the registry lets us know of (the peer's room first). */
        record Found(PeerInfo peer, java.util.List<String> rooms) implements Lookup {
            public Found {
                rooms = java.util.List.copyOf(rooms);
            }

            public Found(PeerInfo peer) {
                this(peer, peer.room() == null ? java.util.List.of() : java.util.List.of(peer.room()));
            }
        }

        record NotOnline(String username) implements Lookup {
        }

        record NoSuchUser(String username) implements Lookup {
        }

        /** The registry hands out another key than the one pinned for this user: not to be used. */
        record KeyChanged(String username) implements Lookup {
        }
    }

    private final RegistrySession.Caller registry;
    private final ContactKeys keys;
    private final Map<String, PeerInfo> known = new ConcurrentHashMap<>();

    /** Without pins (tests of what the registry says alone). */
    PeerDirectory(RegistrySession.Caller registry) {
        this(registry, null);
    }

    PeerDirectory(RegistrySession.Caller registry, ContactKeys keys) {
        this.registry = registry;
        this.keys = keys;
    }

    PeerInfo cached(String username) {
        return known.get(username);
    }

    void remember(PeerInfo peer) {
        known.put(peer.username(), peer);
    }

    void forget(String username) {
        known.remove(username);
    }

    /** Asks the registry now. */
    Lookup lookup(String username) throws IOException {
        RegistryReply reply = registry.call(new RegistryRequest.SearchUser(username));
        if (reply instanceof RegistryReply.SearchUserResponse response) {
            if (response.status().isSuccess()) {
                if (!pinned(username, response.peer().fingerprint(), response.certificate())) {
                    forget(username);
                    return new Lookup.KeyChanged(username);
                }
                remember(response.peer());
                return new Lookup.Found(response.peer(), response.allRooms());
            }
            forget(username);
            if (response.certificate() != null
                    && !pinned(username, fingerprintOf(response.certificate()), response.certificate())) {
                return new Lookup.KeyChanged(username);
            }
            return response.status().code() == 300 ? new Lookup.NotOnline(username) : new Lookup.NoSuchUser(username);
        }
        if (reply instanceof ErrorReply error) {
            throw new IOException("the registry refused SEARCH_USER: " + error.reason());
        }
        throw new IOException("unexpected answer to SEARCH_USER: " + reply);
    }

    /** Every key the registry hands out is checked against the pins (and pinned when it is the first). */
    private boolean pinned(String username, String fingerprint, String certificate) {
        return keys == null || keys.accepts(username, fingerprint, certificate, "from the registry");
    }

    /** The fingerprint of a certificate's base64 DER, or null when it is no base64 (then nothing is pinned). */
    static String fingerprintOf(String certificate) {
        try {
            return Fingerprints.sha256Hex(Base64.getDecoder().decode(certificate));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
