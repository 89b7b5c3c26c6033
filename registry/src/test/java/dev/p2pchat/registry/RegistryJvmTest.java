package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RegistryJvmTest {
    @Test
    void theHeapCeilingFollowsTheConnectionLimit() {
        assertThat(RegistryJvm.options(20_000, 2)).contains("-Xmx689m", "-XX:+UseG1GC");
        assertThat(RegistryJvm.options(1_000, 2)).contains("-Xmx96m");
    }

    @Test
    void oneCpuStillGetsSeveralCarrierThreadsAndG1() {
        assertThat(RegistryJvm.options(100, 1))
                .contains("-Djdk.virtualThreadScheduler.parallelism=4", "-XX:+UseG1GC");
        assertThat(RegistryJvm.options(100, 16)).contains("-Djdk.virtualThreadScheduler.parallelism=16");
    }

    @Test
    void theCommandLinesOwnLimitIsRead() {
        assertThat(RegistryJvm.optionsFor("--max-connections", "15000", "--port", "0")).contains("-Xmx533m");
        // by default as many connections as the file limit allows
        int allowed = dev.p2pchat.registry.net.DescriptorBudget.connections();
        assertThat(RegistryJvm.optionsFor()).isEqualTo(RegistryJvm.options(allowed,
                Runtime.getRuntime().availableProcessors()));
    }

    @Test
    void aCommandLineThatDoesNotParseGetsNothingSoTheRegistryCanSayWhy() {
        assertThat(RegistryJvm.optionsFor("--max-connections", "many")).isEmpty();
        assertThat(RegistryJvm.optionsFor("--no-such-flag")).isEmpty();
    }

    @Test
    void aRegistryWithoutAnAotCacheMakesOneAsItStopsAndTheNextStartUsesIt(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("p2pchat.jar"), "a jar");
        Path data = dir.resolve("data");
        List<String> options = List.of("-Xmx96m", "-XX:+UseG1GC");

        List<String> first = RegistryJvm.aotOptions(data, jar, options, 25);
        assertThat(first).singleElement().asString().startsWith("-XX:AOTCacheOutput=" + data.resolve("jvm"));
        Path cache = Path.of(first.getFirst().substring("-XX:AOTCacheOutput=".length()));
        Files.writeString(cache, "what the JVM wrote as the first registry stopped");

        assertThat(RegistryJvm.aotOptions(data, jar, options, 25)).containsExactly("-XX:AOTCache=" + cache);
    }

    @Test
    void aCacheMadeForOtherOptionsOrAnotherJarIsNotTriedAndGoesWhenItsSuccessorIsMade(@TempDir Path dir)
            throws Exception {
        Path jar = Files.writeString(dir.resolve("p2pchat.jar"), "a jar");
        Path data = dir.resolve("data");
        String made = RegistryJvm.aotOptions(data, jar, List.of("-Xmx96m"), 25).getFirst();
        Path cache = Path.of(made.substring(made.indexOf('=') + 1));
        Files.writeString(cache, "cache");

        assertThat(RegistryJvm.aotOptions(data, jar, List.of("-Xmx689m"), 25)).singleElement().asString()
                .startsWith("-XX:AOTCacheOutput=");
        assertThat(cache).doesNotExist();

        Files.writeString(jar, "a newer, longer jar");
        assertThat(RegistryJvm.aotOptions(data, jar, List.of("-Xmx689m"), 25)).singleElement().asString()
                .startsWith("-XX:AOTCacheOutput=");
    }

    @Test
    void noAotCacheBeforeJdk25OrOffAJar(@TempDir Path dir) throws Exception {
        Path jar = Files.writeString(dir.resolve("p2pchat.jar"), "a jar");
        assertThat(RegistryJvm.aotOptions(dir, jar, List.of(), 21)).isEmpty();
        assertThat(RegistryJvm.aotOptions(dir, null, List.of(), 25)).isEmpty();
        assertThat(dir.resolve("jvm")).doesNotExist();
    }
}
