package dev.p2pchat.app;

import dev.p2pchat.cli.PeerCommand;
import dev.p2pchat.registry.RegistryCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of the runnable jar: {@code p2pchat registry | relay | peer | bench}. */
@Command(name = "p2pchat", mixinStandardHelpOptions = true, version = "p2pchat 0.1.0",
        description = "Peer-to-peer multi-user chat with a central registry.",
        subcommands = {RegistryCommand.class, dev.p2pchat.relay.RelayCommand.class, PeerCommand.class, dev.p2pchat.bench.BenchCommand.class,
                CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs a command line and returns its exit code; tests call this in-process. */
    public static int run(String... args) {
        return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
