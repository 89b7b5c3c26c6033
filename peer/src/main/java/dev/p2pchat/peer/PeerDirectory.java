package dev.p2pchat.peer;

import dev.p2pchat.peer.registry.RegistrySession;
import dev.p2pchat.protocol.ErrorReply;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import java.io.IOException;
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
    }

    private final RegistrySession.Caller registry;
    private final Map<String, PeerInfo> known = new ConcurrentHashMap<>();

    PeerDirectory(RegistrySession.Caller registry) {
        this.registry = registry;
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
                remember(response.peer());
                return new Lookup.Found(response.peer(), response.allRooms());
            }
            forget(username);
            return response.status().code() == 300 ? new Lookup.NotOnline(username) : new Lookup.NoSuchUser(username);
        }
        if (reply instanceof ErrorReply error) {
            throw new IOException("the registry refused SEARCH_USER: " + error.reason());
        }
        throw new IOException("unexpected answer to SEARCH_USER: " + reply);
    }
}
