package dev.p2pchat.peer;

import dev.p2pchat.peer.PeerDirectory.Lookup;
import dev.p2pchat.protocol.PeerInfo;
import dev.p2pchat.protocol.RegistryReply;
import dev.p2pchat.protocol.RegistryRequest;
import java.io.IOException;
import java.util.List;

/** Finds other users through the registry for the user, remembering where they can be reached. */
final class UserSearch {
    private final RegistryCalls registry;
    private final PeerDirectory directory;

    UserSearch(RegistryCalls registry, PeerDirectory directory) {
        this.registry = registry;
        this.directory = directory;
    }

    List<PeerInfo> online() throws PeerException {
        RegistryReply reply = registry.callForUser(new RegistryRequest.DiscoverPeers(null));
        if (reply instanceof RegistryReply.PeerList list) {
            if (!list.status().isSuccess()) {
                return List.of();
            }
            list.peers().forEach(directory::remember);
            return list.peers();
        }
        throw Failures.failure(reply, "Could not list the users online.");
    }

    PeerInfo find(String username) throws PeerException {
        UserInput.checkName("username", username);
        Lookup lookup;
        try {
            lookup = directory.lookup(username);
        } catch (IOException e) {
            throw Failures.unreachable(e);
        }
        return switch (lookup) {
            case Lookup.Found found -> found.peer();
            case Lookup.NotOnline n -> throw new PeerException(username + " is not online.");
            case Lookup.NoSuchUser n -> throw new PeerException("There is no user named '" + username + "'.");
            case Lookup.KeyChanged k -> throw new PeerException(username + "'s key is not the one you pinned: "
                    + "compare safety numbers with /verify " + username + ", then /trust " + username + ".");
        };
    }
}
