package dev.p2pchat.registry.session;

import java.util.List;

/**
 * What a method of {@link SessionRegistry} decided ({@code outcome}) and what must be sent or closed because of it
 * ({@code effects}, in the order the registry made them). The state is already changed, whole, when this is
 * returned; the caller hands it to {@link SessionRegistry#deliver()} once it holds no lock.
 */
public record Change<T>(T outcome, List<Effect> effects) {
    public Change {
        effects = List.copyOf(effects);
    }

    static <T> Change<T> of(T outcome) {
        return new Change<>(outcome, List.of());
    }
}
