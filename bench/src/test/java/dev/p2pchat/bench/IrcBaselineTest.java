package dev.p2pchat.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.p2pchat.bench.irc.IrcBaseline;
import dev.p2pchat.bench.irc.NgircdProcess;
import dev.p2pchat.bench.process.CpuPinning;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The ngIRCd side of {@code --compare ngircd}; skipped where ngircd is not installed (CI does not need it). */
class IrcBaselineTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void ircWorkloadCompletesWithoutErrors() throws Exception {
        Optional<Path> ngircd = NgircdProcess.find();
        assumeTrue(ngircd.isPresent(), "ngircd is not installed");
        Map<String, Object> report = IrcBaseline.run(ngircd.get(), dir, new IrcBaseline.Params(100, 2, 500, 200, 500, 2000,
                Duration.ofSeconds(1), Duration.ofSeconds(20), "t"), CpuPinning.NONE, new PrintStream(System.err));
        assertThat((Map<String, Object>) report.get("errors")).isEmpty();
        assertThat(report.get("sessions_held")).isEqualTo(100);
        assertThat((Map<String, Object>) report.get("latency")).containsKeys("login/NICK_USER", "login/JOIN", "hold/WHOIS");
        assertThat(((Number) report.get("hold_requests")).longValue()).isGreaterThan(300);
    }
}
