package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's AOT cache (RegistryJvm) with a real JVM: a registry without a cache writes one as it stops on
 * SIGTERM, and the next registry starts from it. The JVM reads a cache only from jars, so the test's class path
 * is packed into jars first, as the launcher's single jar is.
 */
class AotCacheTest {
    /** Writing the cache runs a second JVM as the first stops: seconds of CPU, more on a loaded machine. */
    private static final Duration STOPPING = Duration.ofMinutes(3);

    @TempDir
    Path dir;

    private ClusterNodeProcess registry;

    @AfterEach
    void stop() throws InterruptedException {
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void aRegistryStoppedNormallyLeavesACacheThatTheNextStartIsMadeFrom() throws Exception {
        assumeTrue(Runtime.version().feature() >= RegistryJvm.AOT_FEATURE, "a JDK before 25 makes no AOT cache");
        List<Path> jars = jarredClassPath(dir.resolve("cp"));
        String classPath = String.join(File.pathSeparator, jars.stream().map(Path::toString).toList());
        Path data = dir.resolve("data");
        List<String> heap = List.of("-Xmx128m");

        List<String> first = new ArrayList<>(heap);
        first.addAll(RegistryJvm.aotOptions(data, jars.getFirst(), heap, Runtime.version().feature()));
        assertThat(first).anyMatch(o -> o.startsWith("-XX:AOTCacheOutput="));
        registry = ClusterNodeProcess.startInJvm(first, classPath, data);
        registry.stop(STOPPING);
        assertThat(registry.endedByItself()).as("the first registry stopped by itself").isTrue();
        assertThat(registry.log()).contains("AOTCache creation is complete");

        List<String> second = new ArrayList<>(heap);
        second.addAll(RegistryJvm.aotOptions(data, jars.getFirst(), heap, Runtime.version().feature()));
        assertThat(second).anyMatch(o -> o.startsWith("-XX:AOTCache="));
        // AOTMode=on: a JVM that cannot use the cache refuses to start at all, instead of going on without it
        second.add("-XX:AOTMode=on");
        registry = ClusterNodeProcess.startInJvm(second, classPath, data);
        assertThat(registry.log()).doesNotContain("[error");
    }

    /** Each directory of this JVM's class path as a jar of its own in {@code into}; jars as they are. */
    private static List<Path> jarredClassPath(Path into) throws IOException {
        Files.createDirectories(into);
        List<Path> jars = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path p = Path.of(entry);
            if (Files.isDirectory(p)) {
                Path jar = into.resolve("classes-" + n++ + ".jar");
                jar(p, jar);
                jars.add(jar);
            } else if (Files.isRegularFile(p)) {
                jars.add(p);
            }
        }
        return jars;
    }

    private static void jar(Path classes, Path jar) throws IOException {
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar)); Stream<Path> files = Files.walk(classes)) {
            for (Path f : (Iterable<Path>) files.filter(f -> !f.equals(classes))::iterator) {
                String name = classes.relativize(f).toString().replace(File.separatorChar, '/');
                // directories too, as a built jar has them: Flyway finds its migrations by their folder
                out.putNextEntry(new JarEntry(Files.isDirectory(f) ? name + "/" : name));
                if (Files.isRegularFile(f)) {
                    try (var in = Files.newInputStream(f)) {
                        in.transferTo((OutputStream) out);
                    }
                }
                out.closeEntry();
            }
        }
    }
}
