package dev.p2pchat.registry.session;

import dev.p2pchat.protocol.RegistryPush;
import java.util.List;
import java.util.Objects;

/**
 * One thing a change of {@link SessionRegistry}'s state requires of the world. Built under the registry's lock,
 * carried out after it is released: nothing is encoded, queued or closed while the lock is held.
 */
public sealed interface Effect {

    /** Tell {@code to} about {@code push}: encoded once, the same bytes queued for every recipient. */
    record Send(List<Outbox> to, RegistryPush push) implements Effect {
        public Send {
            to = List.copyOf(to);
            Objects.requireNonNull(push, "push");
        }
    }

    /** Tell the other nodes of the cluster what became of a session (only a node of a cluster makes these). */
    record Publish(PresenceUpdate update) implements Effect {
        public Publish {
            Objects.requireNonNull(update, "update");
        }
    }

    /** Close {@code outbox}'s connection at once (its session was taken over or expired). */
    record Kick(Outbox outbox, String why) implements Effect {
        public Kick {
            Objects.requireNonNull(outbox, "outbox");
            Objects.requireNonNull(why, "why");
        }
    }
}
