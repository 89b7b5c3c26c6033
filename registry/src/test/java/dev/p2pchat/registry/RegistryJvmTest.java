package dev.p2pchat.registry;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

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
}
