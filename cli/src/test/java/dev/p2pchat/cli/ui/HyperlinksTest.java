package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class HyperlinksTest {

    @Test
    void autoTrustsTerminalsKnownToSupportOsc8() {
        assertThat(Hyperlinks.AUTO.enabled(Map.of("TERM_PROGRAM", "iTerm.app"))).isTrue();
        assertThat(Hyperlinks.AUTO.enabled(Map.of("VTE_VERSION", "7600", "TERM", "xterm-256color"))).isTrue();
        assertThat(Hyperlinks.AUTO.enabled(Map.of("WT_SESSION", "x"))).isTrue();
        assertThat(Hyperlinks.AUTO.enabled(Map.of("TERM", "xterm-kitty"))).isTrue();
    }

    @Test
    void autoStaysOffForUnknownTerminalsAndInsideTmux() {
        assertThat(Hyperlinks.AUTO.enabled(Map.of("TERM", "xterm"))).isFalse();
        assertThat(Hyperlinks.AUTO.enabled(Map.of("TERM_PROGRAM", "iTerm.app", "TMUX", "/tmp/x"))).isFalse();
        assertThat(Hyperlinks.AUTO.enabled(Map.of("VTE_VERSION", "4000"))).isFalse();
    }

    @Test
    void alwaysAndNeverIgnoreTheEnvironment() {
        assertThat(Hyperlinks.ALWAYS.enabled(Map.of())).isTrue();
        assertThat(Hyperlinks.NEVER.enabled(Map.of("TERM_PROGRAM", "WezTerm"))).isFalse();
    }
}
