package dev.p2pchat.bench;

import dev.p2pchat.bench.load.WorkerCommand;
import dev.p2pchat.bench.tls.TlsScenario;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code p2pchat bench <scenario>}: the load tool. Each scenario is a subcommand. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Measures the registry's scale and the peers' speed; see docs/BENCHMARKS.md.",
                "Every run is bounded in sessions and time and stops by itself; targets are loopback only."},
        subcommands = {RegistryScenario.class, ReconnectScenario.class, P2pScenario.class, PathScenario.class, TlsScenario.class,
                JfrSummary.class, WorkerCommand.class})
public final class BenchCommand implements Runnable {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
