package dev.p2pchat.bench.process;

import picocli.CommandLine;

/**
 * Runs the relay's own command in a child JVM when the app's {@code Main} is not on the class path (the bench
 * module's tests), as {@link RegistryMain} does for the registry.
 */
public final class RelayMain {
    private RelayMain() {
    }

    public static void main(String[] args) {
        int exit = new CommandLine(new dev.p2pchat.relay.RelayCommand()).execute(args);
        if (exit != 0) {
            System.exit(exit);
        }
    }
}
