package dev.p2pchat.bench.process;

import picocli.CommandLine;

/**
 * Runs the registry's own command ({@code dev.p2pchat.registry.RegistryCommand}) in a child JVM when the app's
 * {@code Main} is not on the class path (the bench module's tests). Looked up by name so the bench compiles
 * against the registry module whatever its command class grows into.
 */
public final class RegistryMain {
    static final String REGISTRY_COMMAND = "dev.p2pchat.registry.RegistryCommand";

    private RegistryMain() {
    }

    public static void main(String[] args) throws ReflectiveOperationException {
        Object command = Class.forName(REGISTRY_COMMAND).getDeclaredConstructor().newInstance();
        int exit = new CommandLine(command).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        // A registry that started keeps running on its own non-daemon threads; only a failed start exits here.
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
