package dev.p2pchat.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One {@code p2pchat} process started from the test's own class path ({@code dev.p2pchat.app.Main ARGS}),
 * with stdin piped from the test, every stdout line collected by a reader thread and stderr written to a
 * file. {@link #close} kills it and everything it started.
 */
final class RunningProcess implements AutoCloseable {

    static final Duration STEP = Duration.ofSeconds(20);

    private final String name;
    private final Process process;
    private final Writer stdin;
    private final Path stderr;
    private final List<String> lines = new CopyOnWriteArrayList<>();

    private RunningProcess(String name, Process process, Path stderr) {
        this.name = name;
        this.process = process;
        this.stderr = stderr;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        Thread.ofPlatform().daemon().name("stdout-" + name).start(this::collect);
    }

    static RunningProcess start(String name, Path workDir, List<String> args) throws IOException {
        return start(name, workDir, List.of(), args);
    }

    /** Like {@link #start(String, Path, List)}, the command run through {@code prefix} ({@code ip netns exec NS}). */
    static RunningProcess start(String name, Path workDir, List<String> prefix, List<String> args) throws IOException {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(javaCommand());
        command.addAll(args);
        Files.createDirectories(workDir);
        Path stderr = workDir.resolve(name + ".stderr");
        Process process = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectError(stderr.toFile())
                .start();
        return new RunningProcess(name, process, stderr);
    }

    /** {@code java ... dev.p2pchat.app.Main}, with this test JVM's class path. */
    static List<String> javaCommand() {
        return List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), "dev.p2pchat.app.Main");
    }

    private void collect() {
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                lines.add(line);
            }
        } catch (IOException e) {
            // The process was killed; what was read stays in lines.
        }
    }

    String name() {
        return name;
    }

    /** Writes one line to the process's stdin. */
    void send(String line) {
        try {
            stdin.write(line);
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(name + " does not read its input any more", e);
        }
    }

    void closeInput() throws IOException {
        stdin.close();
    }

    /** Waits until a stdout line contains {@code text}; returns the first such line. */
    String awaitLine(String text) {
        return awaitLine(line -> line.contains(text), "a line containing \"" + text + "\"");
    }

    String awaitLine(Predicate<String> matches, String description) {
        await().atMost(STEP).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(lines).as("%s's output, waiting for %s; stderr:%n%s", name, description, stderr())
                        .anyMatch(matches));
        return lines.stream().filter(matches).findFirst().orElseThrow();
    }

    /** Like {@link #awaitLine(String)}, but only among the lines printed after the first {@code skip}. */
    String awaitLineAfter(int skip, String text) {
        Predicate<String> matches = line -> line.contains(text);
        await().atMost(STEP).pollInterval(Duration.ofMillis(20)).untilAsserted(() ->
                assertThat(lines.stream().skip(skip).toList())
                        .as("%s's output after line %d, waiting for a line containing \"%s\"; stderr:%n%s",
                                name, skip, text, stderr())
                        .anyMatch(matches));
        return lines.stream().skip(skip).filter(matches).findFirst().orElseThrow();
    }

    /** How many lines were printed so far: a mark for {@link #awaitLineAfter}. */
    int lineCount() {
        return lines.size();
    }

    long count(Predicate<String> matches) {
        return lines.stream().filter(matches).count();
    }

    List<String> lines() {
        return List.copyOf(lines);
    }

    int awaitExit() throws InterruptedException {
        assertThat(process.waitFor(STEP.toMillis(), TimeUnit.MILLISECONDS))
                .as("%s exits; output:%n%s%nstderr:%n%s", name, String.join("\n", lines), stderr()).isTrue();
        return process.exitValue();
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    /** SIGKILL: the process gets no chance to say goodbye, as in a crash or a power cut. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        assertThat(process.waitFor(STEP.toMillis(), TimeUnit.MILLISECONDS)).as("%s dies of SIGKILL", name).isTrue();
    }

    /** SIGTERM: the process shuts down in an orderly way; waits until it has. */
    int terminate() throws InterruptedException {
        process.destroy();
        return awaitExit();
    }

    String stderr() {
        try {
            return Files.exists(stderr) ? Files.readString(stderr) : "";
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
