package dev.p2pchat.cli.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class InteractiveModeTest {

    @Test
    void chatTextIsWipedBecauseItReappearsFormatted() {
        assertThat(InteractiveMode.wipeFromScreen("hello *all*", true)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("//not a command", true)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("/me waves", true)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("/me waves", false)).isFalse();
        assertThat(InteractiveMode.wipeFromScreen("   ", false)).isTrue();
    }

    @Test
    void chatTextWithoutAConversationStaysAboveItsError() {
        assertThat(InteractiveMode.wipeFromScreen("hello?", false)).isFalse();
    }

    @Test
    void typedPasswordsAreWipedOtherCommandsStay() {
        assertThat(InteractiveMode.wipeFromScreen("/login alice secret", false)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("/register alice secret", false)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("/join lobby secret", true)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("/create lobby --password secret", true)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("/create lobby --pasword secret", true)).isTrue();
        assertThat(InteractiveMode.wipeFromScreen("/login alice", false)).isFalse();
        assertThat(InteractiveMode.wipeFromScreen("/join lobby", true)).isFalse();
        assertThat(InteractiveMode.wipeFromScreen("/rooms", true)).isFalse();
    }

    @Test
    void aCommandRefusedByALocalCheckStaysOnScreenAndInHistory() {
        assertThat(InteractiveMode.wipeFromScreen("/create x --capacity 1", true)).isFalse();
        FilteringHistory history = new FilteringHistory();
        history.add(java.time.Instant.EPOCH, "/create x --capacity 1");
        assertThat(history.size()).isEqualTo(1);
    }
}
