package dev.p2pchat.bench.process;

import dev.p2pchat.bench.report.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A registry running as its own process, started exactly as a user would ({@code p2pchat registry ...} on
 * loopback, port 0, a temporary data directory, {@code --ready-file}), so what the bench measures of it (RSS,
 * CPU, heap) belongs to the registry alone. Can be SIGKILLed and restarted on the same data directory and ports.
 */
public final class RegistryProcess implements AutoCloseable {
    public static final String APP_MAIN = "dev.p2pchat.app.Main";

    private final Path dataDir;
    private final List<String> jvmOptions;
    private final List<String> registryArgs;
    private final CpuPinning pinning;
    private final Path log;
    private Process process;
    private int tcpPort;
    private int udpPort;
    private String fingerprint;

    public record Ready(int tcpPort, int udpPort, String fingerprint) {
    }

    private RegistryProcess(Path dataDir, List<String> jvmOptions, List<String> registryArgs, CpuPinning pinning) {
        this.pinning = pinning;
        this.dataDir = dataDir;
        this.jvmOptions = List.copyOf(jvmOptions);
        this.registryArgs = List.copyOf(registryArgs);
        this.log = dataDir.resolve("registry.log");
    }

    /** Starts a registry on 127.0.0.1 with port 0 (TCP and UDP) and waits until its ready file appears. */
    public static RegistryProcess start(Path dataDir, List<String> jvmOptions, List<String> registryArgs,
            CpuPinning pinning, Duration startTimeout) throws IOException {
        Files.createDirectories(dataDir);
        RegistryProcess registry = new RegistryProcess(dataDir, jvmOptions, registryArgs, pinning);
        registry.launch(0, 0, startTimeout);
        return registry;
    }

    private void launch(int port, int udp, Duration startTimeout) throws IOException {
        Path ready = dataDir.resolve("ready.json");
        Files.deleteIfExists(ready);
        List<String> args = new ArrayList<>();
        boolean viaApp = JavaCommand.present(APP_MAIN);
        if (viaApp) {
            args.add("registry");
        }
        args.addAll(List.of("--host", "127.0.0.1", "--port", Integer.toString(port), "--udp-port", Integer.toString(udp),
                "--data-dir", dataDir.toString(), "--ready-file", ready.toString()));
        args.addAll(registryArgs);
        List<String> command = pinning.forRegistry(
                JavaCommand.of(jvmOptions, viaApp ? APP_MAIN : RegistryMain.class.getName(), args));
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        killOnExit(process);
        long deadline = System.nanoTime() + startTimeout.toNanos();
        while (true) {
            if (Files.exists(ready)) {
                try {
                    Map<String, Object> json = Json.parseObject(Files.readString(ready));
                    tcpPort = ((Number) json.get("tcp_port")).intValue();
                    udpPort = ((Number) json.get("udp_port")).intValue();
                    fingerprint = (String) json.get("fingerprint");
                    return;
                } catch (RuntimeException partial) {
                    // written but not complete yet: look again
                }
            }
            if (!process.isAlive()) {
                throw new IOException("the registry exited with " + process.exitValue() + " before it was ready; see "
                        + log + ":\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                process.destroyForcibly();
                throw new IOException("the registry was not ready after " + startTimeout + "; see " + log + ":\n" + tail());
            }
            sleep(20);
        }
    }

    /** A registry must not outlive the bench that started it, even when the bench is interrupted. */
    static void killOnExit(Process child) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (child.isAlive()) {
                child.destroyForcibly();
            }
        }, "bench-child-reaper"));
    }

    public Ready ready() {
        return new Ready(tcpPort, udpPort, fingerprint);
    }

    public long pid() {
        return process.pid();
    }

    public Path log() {
        return log;
    }

    /** SIGKILL: no shutdown hook, no SHUTDOWN push, nothing flushed beyond what the registry already made durable. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(30, TimeUnit.SECONDS);
    }

    /** Starts the registry again on the same data directory and the same TCP and UDP ports. */
    public void restart(Duration startTimeout) throws IOException {
        if (process.isAlive()) {
            throw new IllegalStateException("still running");
        }
        String before = fingerprint;
        launch(tcpPort, udpPort, startTimeout);
        if (!fingerprint.equals(before)) {
            throw new IOException("the restarted registry presents another certificate: " + fingerprint);
        }
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** Dumps a running flight recording to {@code file} (started with -XX:StartFlightRecording). */
    public boolean dumpFlightRecording(Path file) {
        return ProcStats.run(List.of(JavaCommand.tool("jcmd").toString(), Long.toString(pid()), "JFR.dump",
                "filename=" + file.toAbsolutePath())) != null;
    }

    /** SIGTERM, then SIGKILL if it has not stopped in 15 s. */
    @Override
    public void close() throws InterruptedException {
        if (process == null) {
            return;
        }
        process.destroy();
        if (!process.waitFor(15, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(15, TimeUnit.SECONDS);
        }
    }

    public String tail() {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
