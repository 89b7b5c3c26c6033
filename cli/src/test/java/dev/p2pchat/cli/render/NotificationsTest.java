package dev.p2pchat.cli.render;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;

class NotificationsTest {

    @Test
    void knownTerminalsGetTheirSequenceAndOthersOnlyTheBell() {
        assertThat(Notifications.kind(Map.of("VTE_VERSION", "7600", "TERM", "xterm-256color"))).isEqualTo(Notifications.Kind.OSC_777);
        assertThat(Notifications.kind(Map.of("TERM", "foot"))).isEqualTo(Notifications.Kind.OSC_777);
        assertThat(Notifications.kind(Map.of("TERM_PROGRAM", "iTerm.app"))).isEqualTo(Notifications.Kind.OSC_9);
        assertThat(Notifications.kind(Map.of("WT_SESSION", "x"))).isEqualTo(Notifications.Kind.OSC_9);
        assertThat(Notifications.kind(Map.of("TERM", "screen-256color", "TMUX", "/tmp/x"))).isEqualTo(Notifications.Kind.NONE);
    }

    @Test
    void theSequencesAreWellFormed() {
        assertThat(Notifications.sequence(Notifications.Kind.OSC_777, "p2pchat", "bob: hi"))
                .contains("\u001B]777;notify;p2pchat;bob: hi\u001B\\");
        assertThat(Notifications.sequence(Notifications.Kind.OSC_9, "p2pchat", "bob: hi"))
                .contains("\u001B]9;p2pchat: bob: hi\u001B\\");
        assertThat(Notifications.sequence(Notifications.Kind.NONE, "p2pchat", "bob: hi")).isEmpty();
    }

    @Test
    void aPeersTextCannotEndTheSequenceOrStartAnother() {
        String body = Notifications.sequence(Notifications.Kind.OSC_777, "p2pchat",
                "x\u0007\u001B\\\u001B]0;owned\u0007\u009Cy\nz").orElseThrow();

        String inside = body.substring("\u001B]777;notify;p2pchat;".length(), body.length() - 2);
        assertThat(inside).isEqualTo("xy z").doesNotContain("\u001B", "\u0007", "\u009C");
    }

    @Test
    void longTextIsCut() {
        String body = Notifications.sequence(Notifications.Kind.OSC_9, "p2pchat", "é".repeat(500)).orElseThrow();

        assertThat(body.codePointCount(0, body.length())).isLessThan(Notifications.MAX_BODY + 20);
    }
}
