package dev.p2pchat.bench;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code bench p2p}: two real peers over mutual TLS, then room fan-out. Needs the peer module's Peer API. */
@Command(name = "p2p", mixinStandardHelpOptions = true,
        description = "Peer speed: one-to-one latency and throughput with receipts, and room fan-out to M members.")
public final class P2pScenario implements Callable<Integer> {
    @Override
    public Integer call() {
        System.err.println("bench p2p: not available yet (waits for the peer module's Peer API)");
        return 3;
    }
}
