package dev.p2pchat.bench.process;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class CpuPinningTest {
    @Test
    void byDefaultTheRegistryGetsCpuZeroAndTheClientsTheRest() {
        assertThat(CpuPinning.byDefault(2)).isEqualTo(new CpuPinning("0", "1"));
        assertThat(CpuPinning.byDefault(8)).isEqualTo(new CpuPinning("0", "1-7"));
        assertThat(CpuPinning.byDefault(1)).isEqualTo(CpuPinning.NONE);
    }

    @Test
    void theRegistryCommandIsRunUnderTasksetOnlyWhenPinned() {
        List<String> java = List.of("java", "-jar", "p2pchat.jar");
        assertThat(new CpuPinning("0", "1").forRegistry(java))
                .containsExactly("taskset", "-c", "0", "java", "-jar", "p2pchat.jar");
        assertThat(CpuPinning.NONE.forRegistry(java)).isEqualTo(java);
    }

    @Test
    void somethingThatIsNotACpuListIsRefusedWithTheListInTheMessage() {
        assertThatThrownBy(() -> new CpuPinning("0; rm -rf /", "1"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("0; rm -rf /");
        assertThat(new CpuPinning("0,2-3", "1").describe()).isEqualTo("registry on CPUs 0,2-3, clients on CPUs 1");
    }
}
